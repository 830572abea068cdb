namespace Latent.Training;

/// <summary>
/// An <see cref="IProgress{T}"/> that calls its handler at once, on the thread that reports. Unlike
/// <see cref="Progress{T}"/>, which posts each report to a synchronisation context or the thread pool, reports arrive in
/// order and before <c>Fit</c> returns, which is what a console progress bar or a test needs.
/// </summary>
/// <example><code>
/// var progress = new InlineProgress&lt;TrainingProgress&gt;(p => Console.WriteLine($"epoch {p.Epoch}: {p.RunningLoss}"));
/// Imputer imputer = Imputer.Fit(table, progress: progress);
/// </code></example>
public sealed class InlineProgress<T>(Action<T> handler) : IProgress<T>
{
    private readonly Action<T> _handler = handler ?? throw new ArgumentNullException(nameof(handler));

    /// <summary>Calls the handler at once, on the caller's thread.</summary>
    public void Report(T value) => _handler(value);
}
