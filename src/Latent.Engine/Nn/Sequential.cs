namespace Latent.Engine.Nn;

/// <summary>Modules applied one after another; their names are their positions ("0", "1", ...).</summary>
public sealed class Sequential : Module
{
    private readonly List<Module> _layers = [];

    public Sequential(params IEnumerable<Module> layers)
    {
        foreach (Module layer in layers) Add(layer);
    }

    public IReadOnlyList<Module> Layers => _layers;

    public Sequential Add(Module layer)
    {
        _layers.Add(AddModule(_layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), layer));
        return this;
    }

    public override Tensor Forward(Tensor input)
    {
        Tensor x = input;
        foreach (Module layer in _layers) x = layer.Forward(x);
        return x;
    }
}
