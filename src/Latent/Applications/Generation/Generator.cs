using Latent.Data;
using Latent.Engine;
using Latent.Imaging;
using Latent.Models;

namespace Latent.Applications.Generation;

/// <summary>
/// New data from a trained <see cref="VariationalAutoencoder"/>: samples as rows, as an image grid or as table
/// rows with the original columns (categories decoded to valid ones, numbers kept inside the range seen in
/// training), interpolations between two items in latent space, and the model's test ELBO and importance-weighted
/// log-likelihood.
/// </summary>
/// <example>
/// <code>
/// var generator = new Generator(VariationalAutoencoder.Load("vae.safetensors"));
/// generator.WriteImageGrid("samples.png", count: 64, seed: 1);
/// CsvTable rows = generator.SampleTable(1000, seed: 7);
/// </code>
/// </example>
public sealed class Generator(VariationalAutoencoder model)
{
    public VariationalAutoencoder Model { get; } = model ?? throw new ArgumentNullException(nameof(model));

    /// <summary><paramref name="count"/> new rows [count, Inputs] in the data's units; the same seed gives the same rows.</summary>
    public Tensor Sample(int count, ulong seed = 0, int? label = null)
    {
        Tensor rows = Model.Sample(count, new Rng(seed), label);
        if (Model.Scaler is MinMaxScaler range) ClampToRange(rows, range);
        return rows;
    }

    /// <summary>New table rows with the training table's columns (needs a model trained on a CSV table).</summary>
    /// <exception cref="InvalidOperationException">The model was not trained on a table.</exception>
    public CsvTable SampleTable(int count, ulong seed = 0, int? label = null)
    {
        TableSchema schema = Model.Data?.Schema ?? throw new InvalidOperationException("This model was not trained on a table, so it has no columns to write.");
        using Tensor rows = Sample(count, seed, label);
        return schema.Decode(rows);
    }

    /// <summary>Writes <paramref name="count"/> new images as one PNG grid (needs a model trained on images).</summary>
    public void WriteImageGrid(string path, int count, ulong seed = 0, int? label = null, int columns = 8)
    {
        ImageShape shape = ImageShapeOf();
        using Tensor images = Sample(count, seed, label);
        PngWriter.Write(path, ImageGrid.Compose(images.Span, shape, new GridLayout { Columns = columns, Scale = shape.Height < 32 ? 3 : 1 }));
    }

    /// <summary>
    /// <paramref name="steps"/> rows decoded from evenly spaced points on the line between the codes (posterior
    /// means) of <paramref name="from"/> and <paramref name="to"/>, both ends included.
    /// </summary>
    public Tensor Interpolate(Tensor from, Tensor to, int steps, int? label = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 2);
        int[]? labels = label is { } l ? [l] : null;
        using Tensor a = Model.Encode(from, labels), b = Model.Encode(to, labels);
        if (a.Dim(0) != 1 || b.Dim(0) != 1) throw new ArgumentException("Interpolation takes one row at each end.");
        var codes = Tensor.Zeros(steps, Model.CodeSize);
        for (int s = 0; s < steps; s++)
        {
            float t = s / (float)(steps - 1);
            for (int j = 0; j < Model.CodeSize; j++) codes.Span[s * Model.CodeSize + j] = (1 - t) * a.Span[j] + t * b.Span[j];
        }
        using (codes)
        {
            Tensor rows = Model.Decode(codes, label is { } k ? Enumerable.Repeat(k, steps).ToArray() : null);
            if (Model.Scaler is MinMaxScaler range) ClampToRange(rows, range);
            return rows;
        }
    }

    /// <summary>Writes an interpolation as one strip of images.</summary>
    public void WriteInterpolationStrip(string path, Tensor from, Tensor to, int steps, int? label = null)
    {
        ImageShape shape = ImageShapeOf();
        using Tensor rows = Interpolate(from, to, steps, label);
        PngWriter.Write(path, ImageGrid.Compose(rows.Span, shape, new GridLayout { Columns = steps, Scale = shape.Height < 32 ? 3 : 1 }));
    }

    /// <summary>Test −ELBO per row (one code sampled per row) and the importance-weighted log-likelihood with <paramref name="samples"/> codes.</summary>
    public (double NegativeElbo, double LogLikelihood) Evaluate(Tensor test, int[]? labels = null, int samples = 100, ulong seed = 0) =>
        (Model.TestLoss(test, labels, seed).Loss, Model.ImportanceWeightedLogLikelihood(test, samples, labels, seed));

    private ImageShape ImageShapeOf() =>
        Model.Data?.Image ?? throw new InvalidOperationException("This model was not trained on images, so its samples cannot be drawn as pictures.");

    /// <summary>Keeps every value inside [min, max] of its column in the training data.</summary>
    private static void ClampToRange(Tensor rows, MinMaxScaler range)
    {
        Span<float> y = rows.Span;
        int width = range.Columns;
        for (int i = 0; i < y.Length; i++)
        {
            int c = i % width;
            float low = (float)range.Minimum[c], high = (float)(range.Minimum[c] + range.Range[c]);
            y[i] = Math.Clamp(y[i], low, high);
        }
    }
}
