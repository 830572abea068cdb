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
        foreach (Module layer in _layers)
        {
            Tensor next = layer.Forward(x);
            // Without a graph nothing refers to an intermediate result any more: give its storage back to the pool
            // now, or batch inference leaves megabytes per call on the large-object heap until a full collection.
            if (!GradMode.IsEnabled && x != input && !next.SharesStorageWith(x)) x.Dispose();
            x = next;
        }
        return x;
    }
}
