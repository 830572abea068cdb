namespace Latent.Engine.Nn;

/// <summary>Modules applied one after another; their names are their positions ("0", "1", ...).</summary>
public sealed class Sequential : Module
{
    private readonly List<Module> _layers = [];

    /// <summary>A stack of <paramref name="layers"/>, applied in order.</summary>
    public Sequential(params IEnumerable<Module> layers)
    {
        foreach (Module layer in layers) Add(layer);
    }

    /// <summary>The layers in the order they are applied.</summary>
    public IReadOnlyList<Module> Layers => _layers;

    /// <summary>Appends a layer; returns this stack.</summary>
    public Sequential Add(Module layer)
    {
        _layers.Add(AddModule(_layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), layer));
        return this;
    }

    /// <inheritdoc/>
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
