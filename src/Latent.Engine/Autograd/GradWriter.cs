namespace Latent.Engine.Autograd;

/// <summary>
/// Writes one contribution to an input's gradient. When the input has no gradient yet, <see cref="Target"/>
/// is the gradient itself (write it, no extra pass); otherwise it is scratch space that
/// <see cref="Dispose"/> adds to the gradient. Use: <c>using var w = GradWriter.For(x); Compute(w.Target);</c>
/// </summary>
internal ref struct GradWriter
{
    private readonly Span<float> _gradient;
    private readonly float[]? _scratch;

    private GradWriter(Tensor input)
    {
        _gradient = input.GradTarget(out bool accumulate);
        if (accumulate)
        {
            _scratch = TensorPool.Rent(input.Length);
            Target = _scratch.AsSpan(0, input.Length);
        }
        else
        {
            Target = _gradient;
        }
    }

    /// <summary>The span to write the contribution into (fully: its old contents are meaningless).</summary>
    public Span<float> Target { get; }

    /// <summary>Whether this contribution is the first (Target is the gradient itself).</summary>
    public readonly bool IsFirst => _scratch is null;

    /// <summary>A writer for <paramref name="input"/>'s gradient; call only when the input tracks gradients.</summary>
    public static GradWriter For(Tensor input) => new(input);

    public void Dispose()
    {
        if (_scratch is null) return;
        System.Numerics.Tensors.TensorPrimitives.Add(_gradient, Target, _gradient);
        TensorPool.Return(_scratch);
    }
}
