namespace Latent.Engine;

/// <summary>
/// Whether operations record the autograd graph on this thread. Inference runs inside
/// <c>using (Tensor.NoGrad()) { ... }</c>: nothing is recorded and no gradient memory is kept.
/// </summary>
internal static class GradMode
{
    [ThreadStatic] private static int _disabledDepth;

    public static bool IsEnabled => _disabledDepth == 0;

    public static NoGradScope Disable()
    {
        _disabledDepth++;
        return new NoGradScope();
    }

    internal static void Restore() => _disabledDepth--;
}

/// <summary>Restores gradient recording when disposed; see <see cref="Tensor.NoGrad"/>.</summary>
public readonly struct NoGradScope : IDisposable
{
    /// <summary>Turns gradient recording back on (if no outer scope keeps it off).</summary>
    public void Dispose() => GradMode.Restore();
}
