namespace Latent.Engine.Nn;

/// <summary>
/// A layer or a model: it owns named parameters (trained), named buffers (state such as running statistics)
/// and child modules. Names join with dots ("encoder.0.weight"), which is how models are saved and loaded.
/// </summary>
public abstract class Module
{
    private readonly List<(string Name, Tensor Tensor)> _parameters = [];
    private readonly List<(string Name, Tensor Tensor)> _buffers = [];
    private readonly List<(string Name, Module Module)> _children = [];

    /// <summary>Whether the module is in training mode (dropout active, batch statistics used).</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>Applies the module to a batch.</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>Registers a trained tensor; it is marked <see cref="Tensor.RequiresGrad"/>.</summary>
    protected Tensor AddParameter(string name, Tensor tensor)
    {
        tensor.RequiresGrad = true;
        _parameters.Add((name, tensor));
        return tensor;
    }

    /// <summary>Registers saved state that is not trained by gradients.</summary>
    protected Tensor AddBuffer(string name, Tensor tensor)
    {
        _buffers.Add((name, tensor));
        return tensor;
    }

    /// <summary>Registers a child module; its tensors are named <c>name.…</c>.</summary>
    protected T AddModule<T>(string name, T module) where T : Module
    {
        _children.Add((name, module));
        return module;
    }

    /// <summary>Every parameter of this module and its children, with its dotted name, in registration order.</summary>
    public IEnumerable<(string Name, Tensor Tensor)> NamedParameters() => Walk(m => m._parameters, "");

    /// <summary>Every buffer of this module and its children, with its dotted name.</summary>
    public IEnumerable<(string Name, Tensor Tensor)> NamedBuffers() => Walk(m => m._buffers, "");

    /// <summary>Parameters and buffers: everything needed to restore the module's state.</summary>
    public IEnumerable<(string Name, Tensor Tensor)> NamedTensors() => NamedParameters().Concat(NamedBuffers());

    /// <summary>Every parameter (what an optimizer trains), in registration order.</summary>
    public IReadOnlyList<Tensor> Parameters() => [.. NamedParameters().Select(p => p.Tensor)];

    /// <summary>Total number of trained values.</summary>
    public long ParameterCount => NamedParameters().Sum(p => (long)p.Tensor.Length);

    /// <summary>Switches this module and its children between training and inference behaviour.</summary>
    public Module Train(bool training = true)
    {
        IsTraining = training;
        foreach (var (_, child) in _children) child.Train(training);
        return this;
    }

    /// <summary>Switches to inference behaviour (dropout off, running statistics used); same as <c>Train(false)</c>.</summary>
    public Module Eval() => Train(false);

    /// <summary>Forgets the gradients of all parameters (their storage is kept for the next step).</summary>
    public void ZeroGrad()
    {
        foreach (var (_, p) in NamedParameters()) p.ZeroGrad();
    }

    private IEnumerable<(string, Tensor)> Walk(Func<Module, List<(string Name, Tensor Tensor)>> select, string prefix)
    {
        foreach (var (name, tensor) in select(this)) yield return (prefix + name, tensor);
        foreach (var (name, child) in _children)
            foreach (var item in child.Walk(select, prefix + name + "."))
                yield return item;
    }
}
