using Latent.Engine;

namespace Latent.Models;

/// <summary>
/// Encoding and reconstructing many rows with any autoencoder as long work a user may watch and stop: the rows go
/// through the model a chunk at a time, the rows done are reported after each chunk and a cancellation is honoured
/// between chunks. The results equal the model's own Encode and Reconstruct.
/// </summary>
/// <example><code>
/// Tensor codes = model.Encode(rows, new InlineProgress&lt;int&gt;(done => Console.Write($"\r{done} rows")), cancel);
/// </code></example>
public static class StoppableInference
{
    /// <summary>Rows per chunk: few enough that a stop is prompt and progress moves, enough for the models' own batching to run at full speed.</summary>
    public const int ChunkRows = 2048;

    /// <summary>The codes of the rows: [rows, CodeSize].</summary>
    /// <param name="progress">Hears the number of rows done so far after each chunk.</param>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> was triggered.</exception>
    public static Tensor Encode(this IAutoencoder model, Tensor data, IProgress<int>? progress, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        return RowChunks.Map(data, model.CodeSize, ChunkRows, (rows, _) => model.Encode(rows), progress, cancel);
    }

    /// <summary>The rows as the model rebuilds them: [rows, Inputs].</summary>
    /// <param name="progress">Hears the number of rows done so far after each chunk.</param>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> was triggered.</exception>
    public static Tensor Reconstruct(this IAutoencoder model, Tensor data, IProgress<int>? progress, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        return RowChunks.Map(data, model.Inputs, ChunkRows, (rows, _) => model.Reconstruct(rows), progress, cancel);
    }
}
