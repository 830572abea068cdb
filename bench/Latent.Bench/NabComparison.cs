using System.Globalization;
using System.Text.Json;
using Latent.Applications.AnomalyDetection;
using Latent.Engine;
using Latent.Models.Sequence;
using Latent.Training;

namespace Latent.Bench;

/// <summary>
/// The NAB part of `seq2seq`: on each of the three NAB series, shared/reference/lstm_ae_nab.py (PyTorch LSTM autoencoder)
/// against the same architecture, recipe and scoring in our engine (values z-scored by the first 40 %, windows
/// of 48, Adam 10⁻³ in batches of 64 for 30 epochs on the training windows, a point's score the error of the window
/// ending there, threshold the 99th percentile of the training windows' scores; the initialisation differs: Keras's in
/// ours, PyTorch's uniform one in the reference; one seed each, so a one-window difference is within noise), our default series detector
/// (<see cref="AnomalyDetector"/> with LSTM autoencoders, window 48, fitted on the training part; a point's score is the
/// mean of its windows', so it looks up to 47 points ahead) and a windowed-Gaussian baseline (each point's |z| against
/// the 48 points before it), every one thresholded at the 99th percentile of its scores on the training part. Where we
/// hit more windows than PyTorch, our false-positive rate is also given at PyTorch's number of hits (the threshold raised
/// as far as it can go): a rate is only comparable at equal hits.
/// </summary>
internal static class NabComparison
{
    private const int Window = 48, Hidden = 64;
    private static readonly string[] Names = ["nyc_taxi", "ambient_temperature_system_failure", "machine_temperature_system_failure"];
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <param name="OursAtTorchHits">Ours at the highest threshold that still hits as many windows as PyTorch did (when we hit more at train-p99): the false-positive rates compared at equal hits.</param>
    public sealed record Row(string Series, int Windows, Judged Ours, double OurSpeed, Judged? Torch, double? TorchSpeed, Judged Default, Judged Gaussian,
        Judged? OursAtTorchHits);

    public sealed record Judged(int Hit, double FalsePositiveRate);

    public static IReadOnlyList<Row> Run(int threads, bool quick)
    {
        string folder = Path.Combine(Environment.GetEnvironmentVariable("LATENT_DATA") ?? throw new InvalidOperationException("Set LATENT_DATA to the shared data folder (it holds nab/)."), "nab");
        int epochs = quick ? 2 : 30;
        var rows = new List<Row>();
        foreach (string name in Names)
        {
            ReferenceResult reference = ReferenceScript.Run("lstm_ae_nab.py", [$"--series={name}", $"--threads={threads}", .. quick ? new[] { QuickRun.ReferenceFlag } : []]);
            JsonElement? peer = reference.Json;
            if (peer is null) Console.WriteLine($"# the reference did not run on {name}: {reference.Failure}");
            NabSeries series = NabSeries.Read(folder, name);
            var (scores, threshold, speed) = LikeForLike(series, epochs);
            var (hit, fpr) = series.Judge(scores, threshold);
            Judged? torch = peer is { } p ? Judge(p.GetProperty("thresholds").GetProperty("train_p99")) : null;
            Judged? atTorchHits = torch is not null && hit > torch.Hit ? AtHits(series, scores, threshold, torch.Hit) : null;
            Judged byDefault = DefaultDetector(series, quick);
            var row = new Row(name, series.Windows.Length, new Judged(hit, fpr), speed, torch, peer?.GetProperty("train_samples_per_s").GetDouble(),
                byDefault, WindowedGaussian(series), atTorchHits);
            rows.Add(row);
            string equalHits = atTorchHits is { } equal ? string.Create(Inv, $"ours at PyTorch's {equal.Hit} hits: fp {equal.FalsePositiveRate * 100:F2} %; ") : "";
            Console.WriteLine(string.Create(Inv,
                $"{name}: windows hit ours {row.Ours.Hit}/{row.Windows} (fp {row.Ours.FalsePositiveRate * 100:F2} %, {row.OurSpeed:F0} windows/s), "
                + $"torch {Text(row.Torch?.Hit)}/{row.Windows} (fp {Text(row.Torch?.FalsePositiveRate * 100, "F2")} %, {Text(row.TorchSpeed, "F0")} windows/s); "
                + $"{equalHits}our default detector {row.Default.Hit}/{row.Windows} (fp {row.Default.FalsePositiveRate * 100:F2} %); windowed Gaussian {row.Gaussian.Hit}/{row.Windows} (fp {row.Gaussian.FalsePositiveRate * 100:F2} %)"));
        }
        return rows;
    }

    private static Judged Judge(JsonElement threshold) => new(threshold.GetProperty("windows_detected").GetInt32(), threshold.GetProperty("false_positive_rate").GetDouble());

    /// <summary>The reference's network and recipe in our engine: every point's score (NaN for the first 47), the train-p99 threshold and the training windows/s.</summary>
    private static (float[] Scores, double Threshold, double Speed) LikeForLike(NabSeries series, int epochs)
    {
        int n = series.Values.Length, train = series.TrainPoints;
        double mean = series.Values[..train].Average(v => (double)v);
        double std = Math.Sqrt(series.Values[..train].Average(v => ((double)v - mean) * ((double)v - mean)));
        float[] z = [.. series.Values.Select(v => (float)((v - mean) / std))];
        using Tensor all = Windows(z, n), trainWindows = Windows(z[..train], train);
        var model = new SequenceAutoencoder(new SequenceAutoencoderConfig { Steps = Window, Hidden = Hidden, Scaling = Latent.Models.Scaling.None, Seed = 1 });
        History history = model.Fit(trainWindows, new FitOptions { Epochs = epochs, BatchSize = 64, LearningRate = 1e-3f, ValidationFraction = 0, RestoreBestWeights = false, Seed = 1 });
        float[] errors = model.ReconstructionError(all);
        var scores = new float[n];
        Array.Fill(scores, float.NaN);
        errors.CopyTo(scores, Window - 1);   // window k ends at point k + 47
        double threshold = NabSeries.Percentile(errors[..(train - Window + 1)], 99);
        return (scores, threshold, Statistics.TrainingSpeed(history.Epochs));
    }

    /// <summary>Flags at the highest threshold (among the scores above <paramref name="from"/>) that still hits <paramref name="hits"/> windows: fewer hits as it rises.</summary>
    private static Judged AtHits(NabSeries series, float[] scores, double from, int hits)
    {
        double[] candidates = [.. scores.Where(v => v > from).Select(v => (double)v).Distinct().Order()];
        int low = -1, high = candidates.Length - 1;   // invariant: candidates[low] (or `from`) hits enough
        while (low < high)
        {
            int middle = (low + high + 1) / 2;
            if (series.Judge(scores, candidates[middle]).Hit >= hits) low = middle;
            else high = middle - 1;
        }
        var (hit, fpr) = series.Judge(scores, low < 0 ? from : candidates[low]);
        return new Judged(hit, fpr);
    }

    /// <summary>Our library's series detector with its defaults and LSTM autoencoders, fitted on the training part.</summary>
    private static Judged DefaultDetector(NabSeries series, bool quick)
    {
        int n = series.Values.Length, train = series.TrainPoints;
        using Tensor fit = Tensor.FromArray(series.Values.AsSpan(0, train), train, 1), all = Tensor.FromArray(series.Values, n, 1);
        var options = new AnomalyOptions { Autoencoder = DetectorAutoencoder.Lstm, Window = Window, Seed = 1 };
        var detector = AnomalyDetector.Fit(fit, quick ? options with { Members = 2, Epochs = 2 } : options);
        float[] scores = [.. detector.Score(all).Scores];
        var (hit, fpr) = series.Judge(scores, NabSeries.Percentile(scores[..train], 99));
        return new Judged(hit, fpr);
    }

    /// <summary>Each point's |z| against the mean and standard deviation of the 48 points before it.</summary>
    private static Judged WindowedGaussian(NabSeries series)
    {
        float[] x = series.Values;
        var scores = new float[x.Length];
        Array.Fill(scores, float.NaN);
        for (int t = Window; t < x.Length; t++)
        {
            double mean = 0, square = 0;
            for (int i = t - Window; i < t; i++)
            {
                mean += x[i];
                square += (double)x[i] * x[i];
            }
            mean /= Window;
            double std = Math.Sqrt(Math.Max(square / Window - mean * mean, 1e-12));
            scores[t] = (float)(Math.Abs(x[t] - mean) / std);
        }
        var (hit, fpr) = series.Judge(scores, NabSeries.Percentile(scores[..series.TrainPoints], 99));
        return new Judged(hit, fpr);
    }

    /// <summary>Every window of 48 consecutive values: [count − 47, 48].</summary>
    private static Tensor Windows(float[] values, int count)
    {
        int windows = count - Window + 1;
        var result = Tensor.Zeros(windows, Window);
        for (int k = 0; k < windows; k++) values.AsSpan(k, Window).CopyTo(result.Span.Slice(k * Window, Window));
        return result;
    }

    private static string Text(double? value, string format) => value is { } v ? v.ToString(format, Inv) : "-";

    private static string Text(int? value) => value?.ToString(Inv) ?? "-";
}
