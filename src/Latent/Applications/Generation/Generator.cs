using Latent.Data;
using Latent.Engine;
using Latent.Imaging;
using Latent.Models;
using Latent.Training;

namespace Latent.Applications.Generation;

/// <summary>
/// New data from a <see cref="VariationalAutoencoder"/>: samples as rows, as images (a grid or one PNG each) or as
/// table rows with the original columns (categories decoded to valid ones, numbers kept inside the range seen in
/// training), interpolations between two items in latent space, and the model's ELBO and importance-weighted
/// log-likelihood. A conditional generator (<see cref="GeneratorOptions.Conditional"/>) samples a class on request.
/// Saved as the VAE's model file, so any verb that takes an autoencoder reads it too.
/// </summary>
/// <example>
/// <code>
/// Generator generator = Generator.Fit(Datasets.Load("mnist", Split.Train), new GeneratorOptions { Training = new() { Epochs = 10 } });
/// generator.WriteImageGrid("samples.png", count: 64, seed: 1);
/// generator.Save("vae.safetensors");
/// CsvTable rows = Generator.Open("table-vae.safetensors").SampleTable(1000, seed: 7);
/// </code>
/// </example>
public sealed class Generator : ISavedModel
{
    private Generator(VariationalAutoencoder model) => Model = model;

    /// <summary>The variational autoencoder that generates.</summary>
    public VariationalAutoencoder Model { get; }

    /// <summary>The training run, or null for an opened generator.</summary>
    public History? History => Model.History;

    /// <summary>The images' shape when trained on images, else null (no pictures to draw).</summary>
    public ImageShape? Image => Model.Data?.Image;

    /// <summary>The table's columns when trained on a CSV table, else null.</summary>
    public TableSchema? Schema => Model.Data?.Schema;

    /// <summary>Whether sampling needs a class label (0 to <see cref="Classes"/> − 1).</summary>
    public bool IsConditional => Model.IsConditional;

    /// <summary>Number of classes of a conditional model (0: unconditional).</summary>
    public int Classes => Model.Config.Classes;

    /// <summary>Wraps a trained variational autoencoder.</summary>
    public static Generator From(VariationalAutoencoder model) => new(model ?? throw new ArgumentNullException(nameof(model)));

    /// <summary>
    /// Trains the VAE of <paramref name="options"/> on a data set: images in [0, 1] get a Bernoulli likelihood, tables a
    /// Gaussian on min-max scaled columns (unless the options choose); with <see cref="GeneratorOptions.Conditional"/> it
    /// learns from the data set's labels. The data set's image shape or table schema is kept for presenting samples.
    /// </summary>
    /// <exception cref="ArgumentException">Invalid options; no or negative labels for a conditional generator; convolutions on a table; bad rows.</exception>
    public static Generator Fit(Dataset data, GeneratorOptions? options = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        var (config, labels) = Plan(data, options ??= new GeneratorOptions());
        var model = new VariationalAutoencoder(config) { Data = DataDescription.Of(data) };
        model.Fit(data.Features, labels, options.Training, progress, cancel);
        return new Generator(model);
    }

    /// <summary>The VAE that <see cref="Fit(Dataset, GeneratorOptions?, IProgress{TrainingProgress}?, CancellationToken)"/> trains, and the labels it learns from.</summary>
    internal static (VariationalAutoencoderConfig Config, int[]? Labels) Plan(Dataset data, GeneratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        options.Validate();
        int[]? labels = null;
        int classes = 0;
        if (options.Conditional)
        {
            labels = data.Labels ?? throw new ArgumentException($"A conditional generator learns from labels, and {data.Name} has none (for a CSV, name its label column).");
            if (labels.Length == 0 || labels.Min() < 0) throw new ArgumentException("Labels must be whole numbers from 0 up for a conditional generator.");
            classes = Math.Max(2, labels.Max() + 1);
        }
        if (options.Convolutional && data.Image is null) throw new ArgumentException($"A convolutional generator needs image data, and {data.Name} is a table.");
        bool images = data.Image is not null && ValueRange.InUnitRange(data.Features);
        var config = new VariationalAutoencoderConfig
        {
            Inputs = data.Columns,
            Hidden = options.Convolutional ? [] : options.Hidden,
            Image = options.Convolutional ? data.Image : null,
            Filters = options.Filters,
            KernelSize = options.KernelSize,
            CodeSize = options.CodeSize,
            Activation = options.Activation,
            Likelihood = options.Likelihood ?? (images ? Likelihood.Bernoulli : Likelihood.Gaussian),
            Scaling = images ? Scaling.None : Scaling.MinMax,
            Beta = options.Beta,
            KlWarmupEpochs = options.KlWarmupEpochs,
            Classes = classes,
            Seed = options.Training.Seed,
        };
        return (config, labels);
    }

    /// <summary>Trains on plain rows (a table without a schema); with <paramref name="labels"/> the generator is conditional on them.</summary>
    public static Generator Fit(Tensor data, int[]? labels = null, GeneratorOptions? options = null, IProgress<TrainingProgress>? progress = null,
        CancellationToken cancel = default) =>
        Fit(new Dataset("the data", data, labels), (options ?? new GeneratorOptions()) with { Conditional = labels is not null }, progress, cancel);

    // ------------------------------------------------------------------ use

    /// <summary><paramref name="count"/> new rows [count, Inputs] in the data's units; the same seed gives the same rows.</summary>
    /// <exception cref="ArgumentException">A count below 1, or a label missing (conditional) or given (unconditional) or out of range.</exception>
    public Tensor Sample(int count, ulong seed = 0, int? label = null)
    {
        Tensor rows = Model.Sample(count, new Rng(seed), label);
        if (Model.Scaler is MinMaxScaler range) ClampToRange(rows, range);
        return rows;
    }

    /// <summary>New rows as a table: the training table's own columns, or columns x_1, x_2, … for other data.</summary>
    public CsvTable SampleTable(int count, ulong seed = 0, int? label = null)
    {
        using Tensor rows = Sample(count, seed, label);
        return AsTable(rows);
    }

    /// <summary>Writes <paramref name="count"/> new rows as CSV (see <see cref="SampleTable"/>).</summary>
    public void WriteTable(string path, int count, ulong seed = 0, int? label = null)
    {
        using Tensor rows = Sample(count, seed, label);
        WriteRows(path, rows);
    }

    /// <summary>Writes <paramref name="count"/> new images as one PNG grid.</summary>
    /// <exception cref="InvalidOperationException">The generator was not trained on images (check <see cref="Image"/>).</exception>
    public void WriteImageGrid(string path, int count, ulong seed = 0, int? label = null, int columns = 8)
    {
        ImageShape shape = ImageShapeOf();
        using Tensor images = Sample(count, seed, label);
        PngWriter.Write(path, ImageGrid.Compose(images.Span, shape, new GridLayout { Columns = columns, Scale = shape.Height < 32 ? 3 : 1 }));
    }

    /// <summary>Writes <paramref name="count"/> new images into <paramref name="folder"/> as sample_0001.png, sample_0002.png, ….</summary>
    /// <exception cref="InvalidOperationException">The generator was not trained on images (check <see cref="Image"/>).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> was triggered (checked before each file; the files written stay).</exception>
    public void WriteImages(string folder, int count, ulong seed = 0, int? label = null, CancellationToken cancel = default)
    {
        ImageShape shape = ImageShapeOf();
        using Tensor images = Sample(count, seed, label);
        for (int i = 0; i < count; i++)
        {
            cancel.ThrowIfCancellationRequested();
            PngWriter.Write(Path.Combine(folder, $"sample_{i + 1:D4}.png"), images.Span.Slice(i * shape.Size, shape.Size), shape.Width, shape.Height,
                shape.Channels == 1 ? PngColor.Gray : PngColor.Rgb);
        }
    }

    /// <summary>
    /// <paramref name="steps"/> rows decoded from evenly spaced points on the line between the codes (posterior
    /// means) of <paramref name="from"/> and <paramref name="to"/> (one row each), both ends included.
    /// </summary>
    public Tensor Interpolate(Tensor from, Tensor to, int steps, int? label = null)
    {
        if (steps < 2) throw new ArgumentOutOfRangeException(nameof(steps), steps, "An interpolation needs at least 2 steps.");
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

    /// <summary>Writes an interpolation between two items (rows in the data's units) as CSV, like <see cref="WriteTable"/>.</summary>
    public void WriteInterpolationTable(string path, float[] from, float[] to, int steps, int? label = null)
    {
        using Tensor rows = Interpolate(from, to, steps, label);
        WriteRows(path, rows);
    }

    /// <summary>Writes an interpolation between two images (rows in the data's units) as one strip of images.</summary>
    /// <exception cref="InvalidOperationException">The generator was not trained on images (check <see cref="Image"/>).</exception>
    public void WriteInterpolationStrip(string path, float[] from, float[] to, int steps, int? label = null)
    {
        ImageShape shape = ImageShapeOf();
        using Tensor rows = Interpolate(from, to, steps, label);
        PngWriter.Write(path, ImageGrid.Compose(rows.Span, shape, new GridLayout { Columns = steps, Scale = shape.Height < 32 ? 3 : 1 }));
    }

    /// <summary>
    /// −ELBO per row in nats on <paramref name="data"/> (one code sampled per row) with its reconstruction and KL parts,
    /// and with <paramref name="samples"/> ≥ 1 the importance-weighted log-likelihood estimate using that many codes per row.
    /// </summary>
    public GeneratorEvaluation Evaluate(Tensor data, int[]? labels = null, int samples = 100, ulong seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        var (loss, reconstruction, kl) = Model.TestLoss(data, labels, seed);
        double? logLikelihood = samples > 0 ? Model.ImportanceWeightedLogLikelihood(data, samples, labels, seed) : null;
        return new GeneratorEvaluation(loss, reconstruction, kl, logLikelihood);
    }

    // ------------------------------------------------------------------ files

    /// <summary>Saves the VAE's model file (kind "vae").</summary>
    public void Save(string path) => Model.Save(path);

    ModelContent ISavedModel.Content() => ((ISavedModel)Model).Content();

    /// <summary>Opens a VAE file written by <see cref="Save"/> or <see cref="VariationalAutoencoder.Save"/>.</summary>
    /// <exception cref="InvalidDataException">Not a VAE model file.</exception>
    public static Generator Open(string path) => new(VariationalAutoencoder.Open(path));

    // ------------------------------------------------------------------ pieces

    private Tensor Interpolate(float[] from, float[] to, int steps, int? label)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        using Tensor a = Tensor.FromArray(from, 1, from.Length), b = Tensor.FromArray(to, 1, to.Length);
        return Interpolate(a, b, steps, label);
    }

    private CsvTable AsTable(Tensor rows)
    {
        if (Schema is { } schema) return schema.Decode(rows);
        float[] values = rows.ToArray();
        int width = Model.Inputs, count = rows.Dim(0);
        return new CsvTable([.. Enumerable.Range(0, width).Select(c =>
            TableColumn.Numeric($"x_{c + 1}", Enumerable.Range(0, count).Select(r => (double)values[r * width + c])))]);
    }

    private void WriteRows(string path, Tensor rows)
    {
        if (Schema is { } schema) CsvOutput.Write(path, schema.Decode(rows));
        else CsvOutput.Write(path, [.. Enumerable.Range(1, Model.Inputs).Select(i => $"x_{i}")], rows);
    }

    private ImageShape ImageShapeOf() =>
        Image ?? throw new InvalidOperationException("This generator was not trained on images, so its samples cannot be drawn as pictures.");

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

/// <summary>
/// How well a <see cref="Generator"/>'s VAE explains rows, in nats per row: −ELBO (one sampled code per row) split
/// into reconstruction and KL, and the importance-weighted log-likelihood (null when not asked for).
/// </summary>
public sealed record GeneratorEvaluation(double NegativeElbo, double Reconstruction, double Kl, double? LogLikelihood);
