using System.Globalization;
using Latent.Data;
using Latent.Engine;
using Latent.Engine.Losses;
using Latent.Models;
using Latent.Reporting;
using Latent.Training;

namespace Latent.Demo;

/// <summary>
/// What the demo learned: held-out mean squared error per pixel of the autoencoder, of PCA with the same code
/// size, and of always answering the mean image; the trained model and what the report needs.
/// </summary>
public sealed record DemoResult(DenseAutoencoder Model, History History, int TrainRows, Tensor Test, int[] TestLabels,
    float AutoencoderMse, float PcaMse, float MeanImageMse, double PcaSeconds)
{
    /// <summary>Size of the codes.</summary>
    public int CodeSize => Model.CodeSize;

    /// <summary>The run's HTML report: results table, loss curves, reconstructions and a map of the codes.</summary>
    public HtmlReport Report() => TrainingReport.Build(new TrainingReportContent
    {
        Title = "Latent demo: a dense autoencoder on the 8x8 digits",
        Facts =
        [
            ("data", $"bundled 8x8 digits: {TrainRows:N0} training rows, {Test.Dim(0):N0} held out"),
            ("architecture", $"64-{string.Join("-", Model.Config.Hidden)}-{CodeSize}-{string.Join("-", Model.Config.Hidden.Reverse())}-64, {Model.Config.Activation}, sigmoid output, {Model.Config.Loss}"),
            ("training", $"{Counted.Of(History.Epochs.Count, "epoch")} in {History.TotalSeconds:F1} s, best epoch {History.BestEpoch}"),
        ],
        Results = (["method", "code size", "held-out MSE per pixel"], Rows()),
        History = History,
        Originals = Test,
        Reconstructions = Model.Reconstruct(Test),
        Image = Imaging.ImageShape.Gray(Digits.Side, Digits.Side),
        Codes = Model.Encode(Test),
        Labels = TestLabels,
    });

    /// <summary>The first <paramref name="count"/> held-out digits, each followed by its reconstruction (64 pixels each).</summary>
    public IReadOnlyList<float[]> HeldOutPairs(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        count = Math.Min(count, Test.Dim(0));
        float[] originals, rebuilt;
        using (Tensor.NoGrad())
        {
            originals = Test.ToArray();
            rebuilt = Model.Reconstruct(Test).ToArray();
        }
        var images = new List<float[]>(2 * count);
        for (int i = 0; i < count; i++)
        {
            images.Add(originals[(i * Digits.Pixels)..((i + 1) * Digits.Pixels)]);
            images.Add(rebuilt[(i * Digits.Pixels)..((i + 1) * Digits.Pixels)]);
        }
        return images;
    }

    private IReadOnlyList<IReadOnlyList<string>> Rows() =>
    [
        ["dense autoencoder", CodeSize.ToString(CultureInfo.InvariantCulture), AutoencoderMse.ToString("F4", CultureInfo.InvariantCulture)],
        ["PCA", CodeSize.ToString(CultureInfo.InvariantCulture), PcaMse.ToString("F4", CultureInfo.InvariantCulture)],
        ["mean image", "0", MeanImageMse.ToString("F4", CultureInfo.InvariantCulture)],
    ];
}

/// <summary>
/// The first thing to run: a dense autoencoder (64-128-64-8-64-128-64) learns to compress the bundled 8x8
/// digits to 8 numbers and to rebuild them, trained on 80% of the images and judged on the other 20%,
/// side by side with PCA keeping 8 components. Takes about a second on two cores.
/// </summary>
public static class DigitsDemo
{
    /// <summary>Size of the demo's codes.</summary>
    public const int CodeSize = 8;
    /// <summary>Epochs when none are given.</summary>
    public const int DefaultEpochs = 150;

    /// <summary>Trains the demo's autoencoder and PCA on the bundled digits and compares them.</summary>
    public static DemoResult Run(int epochs = DefaultEpochs, ulong seed = 0, IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        var (pixels, labels) = Digits.Load();
        int count = labels.Length, testCount = count / 5;
        int[] order = new Rng(seed).Permutation(count);
        Tensor all = Tensor.FromArray(pixels, count, Digits.Pixels);
        Tensor test, train;
        using (Tensor.NoGrad())
        {
            test = Ops.SelectRows(all, order.AsSpan(0, testCount));
            train = Ops.SelectRows(all, order.AsSpan(testCount));
        }
        int[] testLabels = [.. order.Take(testCount).Select(i => labels[i])];

        var model = new DenseAutoencoder(new DenseAutoencoderConfig
        {
            Inputs = Digits.Pixels, Hidden = [128, 64], CodeSize = CodeSize, Loss = ReconstructionLoss.BinaryCrossEntropy, Seed = seed,
        });
        History history = model.Fit(train, new FitOptions
        {
            Epochs = epochs, BatchSize = 64, LearningRate = 3e-3f, ValidationFraction = 0.1f, Seed = seed,
        }, progress, cancel);
        cancel.ThrowIfCancellationRequested();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var pca = new Pca(CodeSize).Fit(train);
        double pcaSeconds = clock.Elapsed.TotalSeconds;
        using (Tensor.NoGrad())
        {
            float aeMse = Loss.Mse(model.Reconstruct(test), test).Item();
            float pcaMse = Loss.Mse(pca.Reconstruct(test), test).Item();
            float meanMse = Loss.Mse(test - train.Mean(0), Tensor.Zeros(testCount, Digits.Pixels)).Item();
            return new DemoResult(model, history, count - testCount, test, testLabels, aeMse, pcaMse, meanMse, pcaSeconds);
        }
    }
}
