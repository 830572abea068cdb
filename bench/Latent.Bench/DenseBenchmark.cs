using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Latent.Data;
using Latent.Engine;
using Latent.Engine.Losses;
using Latent.Models;
using Latent.Training;

namespace Latent.Bench;

/// <summary>
/// `dense`: the Keras-tutorial autoencoder 784-128-64-32-64-128-784 (ReLU, sigmoid output, MSE, Adam 1e-3,
/// batch 256) on MNIST, ours and shared/reference/dense_ae.py one after the other in the same run, measured
/// the same way: training samples/s (median of epochs 2..N), test MSE, single-sample latency (median of 1000
/// calls after 200 and at least 0.5 s of warm-up), batch-1000 inference and encode throughput (median of 50 after 10), peak RSS.
/// Options: --epochs=N (10), --threads=N (2), --quick (2 epochs, fewer repeats, the reference in smoke mode).
/// </summary>
internal static class DenseBenchmark
{
    public static int Run(string[] args)
    {
        int epochs = BenchArgs.Int(args, "--epochs", 10), threads = BenchArgs.Int(args, "--threads", 2);
        bool quick = args.Contains("--quick");
        if (quick) epochs = Math.Min(epochs, 2);
        Parallelism.Threads = threads;
        var inv = CultureInfo.InvariantCulture;

        Console.WriteLine($"# dense: 784-128-64-32-64-128-784, MSE, Adam 1e-3, batch 256, {epochs} epochs, {threads} threads");
        // The reference first: a child process starts with its parent's peak RSS (getrusage's ru_maxrss survives
        // fork and exec), so started after our training it would report our peak as its own.
        var referenceArgs = new List<string> { $"--epochs={epochs}", $"--threads={threads}" };
        if (quick) referenceArgs.Add("--smoke");
        ReferenceResult reference = ReferenceScript.Run("dense_ae.py", referenceArgs);

        Dataset train = Datasets.Load("mnist", Split.Train), test = Datasets.Load("mnist", Split.Test);
        Measurement ours = MeasureOurs(train.Features, test.Features, epochs, quick);
        Console.WriteLine(string.Create(inv, $"ours:  {ours.TrainSamplesPerSecond,9:N0} samples/s, test MSE {ours.TestMse:F5}, latency {ours.LatencyMicroseconds:F1} us " +
            $"(p10 {ours.LatencyP10:F1}, p90 {ours.LatencyP90:F1}), batch-1000 {ours.Batch1000PerSecond:N0}/s, encode {ours.EncodePerSecond:N0}/s, peak RSS {ours.PeakRssMiB:F0} MiB"));

        if (!reference.Succeeded)
        {
            Console.WriteLine($"dense: reference unavailable ({reference.Failure}); ours {ours.TrainSamplesPerSecond:N0} samples/s, test mse {ours.TestMse:F5}");
            return 1;
        }
        JsonElement r = reference.Json!.Value;
        double torchSpeed = r.GetProperty("train_samples_per_s").GetDouble(), torchMse = r.GetProperty("test_mse").GetDouble();
        double torchLatency = r.GetProperty("latency_1_sample_us").GetDouble();

        Console.WriteLine();
        Console.WriteLine("| metric | ours | PyTorch | ours / PyTorch |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        Row("training samples/s", ours.TrainSamplesPerSecond, torchSpeed, "N0");
        Row("test MSE", ours.TestMse, torchMse, "F5");
        Row("1-sample latency (us)", ours.LatencyMicroseconds, torchLatency, "F1");
        Row("batch-1000 inference samples/s", ours.Batch1000PerSecond, r.GetProperty("batch1000_samples_per_s").GetDouble(), "N0");
        Row("batch-1000 encode samples/s", ours.EncodePerSecond, r.GetProperty("encode_batch1000_samples_per_s").GetDouble(), "N0");
        Row("peak RSS (MiB)", ours.PeakRssMiB, r.GetProperty("peak_rss_mib").GetDouble(), "F0");
        Console.WriteLine(string.Create(inv,
            $"dense: train speed ratio {ours.TrainSamplesPerSecond / torchSpeed:F2}, test mse ours {ours.TestMse:F5} vs torch {torchMse:F5}, 1-sample latency ratio {ours.LatencyMicroseconds / torchLatency:F2}"));
        Results.Add(new("train speed", ours.TrainSamplesPerSecond, "samples/s", HigherIsBetter: true) { Peer = "PyTorch", PeerValue = torchSpeed });
        Results.Add(new("test MSE", ours.TestMse, "", HigherIsBetter: false) { Peer = "PyTorch", PeerValue = torchMse, Comparable = false, Note = "the reference has a ReLU on the 32-unit code and another initialisation" });
        Results.Add(new("1-sample latency", ours.LatencyMicroseconds, "µs", HigherIsBetter: false) { Peer = "PyTorch", PeerValue = torchLatency });
        Results.Add(new("batch-1000 inference", ours.Batch1000PerSecond, "samples/s", HigherIsBetter: true) { Peer = "PyTorch", PeerValue = r.GetProperty("batch1000_samples_per_s").GetDouble(), Detail = true });
        Results.Add(new("batch-1000 encode", ours.EncodePerSecond, "samples/s", HigherIsBetter: true) { Peer = "PyTorch", PeerValue = r.GetProperty("encode_batch1000_samples_per_s").GetDouble(), Detail = true });
        Results.Add(new("peak RSS", ours.PeakRssMiB, "MiB", HigherIsBetter: false) { Peer = "PyTorch", PeerValue = r.GetProperty("peak_rss_mib").GetDouble(), Detail = true });
        return 0;
    }

    private sealed record Measurement(double TrainSamplesPerSecond, double TestMse, double LatencyMicroseconds, double LatencyP10, double LatencyP90,
        double Batch1000PerSecond, double EncodePerSecond, double PeakRssMiB);

    private static Measurement MeasureOurs(Tensor train, Tensor test, int epochs, bool quick)
    {
        var model = new DenseAutoencoder(new DenseAutoencoderConfig { Inputs = 784, Hidden = [128, 64], CodeSize = 32 });
        History history = model.Fit(train, new FitOptions { Epochs = epochs, BatchSize = 256, LearningRate = 1e-3f, ValidationFraction = 0 });
        double[] speeds = [.. history.Epochs.Skip(epochs > 1 ? 1 : 0).Select(e => e.SamplesPerSecond)];
        double mse;
        using (Tensor.NoGrad()) mse = Loss.Mse(model.Reconstruct(test), test).Item();

        using var one = Ops.SelectRows(test, [0]);
        double[] latency = Repeat(quick ? 50 : 200, quick ? 200 : 1000, () => model.Reconstruct(one));
        using var thousand = Ops.SelectRows(test, [.. Enumerable.Range(0, 1000)]);
        double[] batch = Repeat(quick ? 3 : 10, quick ? 10 : 50, () => model.Reconstruct(thousand));
        double[] encode = Repeat(quick ? 3 : 10, quick ? 10 : 50, () => model.Encode(thousand));
        return new Measurement(Median(speeds), mse, Median(latency) * 1e6, Percentile(latency, 0.1) * 1e6, Percentile(latency, 0.9) * 1e6,
            1000 / Median(batch), 1000 / Median(encode), PeakRssMiB());
    }

    /// <summary>
    /// Seconds of each of <paramref name="count"/> timed calls after <paramref name="warmUp"/> untimed ones and at
    /// least half a second of them: .NET recompiles hot methods with full optimisation only after ~100 ms of calls,
    /// and steady state is what a long-running service sees (PyTorch has no such warm-up to wait for).
    /// </summary>
    private static double[] Repeat(int warmUp, int count, Func<Tensor> call)
    {
        long warmStart = Stopwatch.GetTimestamp();
        for (int i = 0; i < warmUp || Stopwatch.GetElapsedTime(warmStart).TotalSeconds < 0.5; i++) call().Dispose();
        var seconds = new double[count];
        for (int i = 0; i < count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            Tensor result = call();
            seconds[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            result.Dispose();
        }
        return seconds;
    }

    private static void Row(string name, double ours, double torch, string format) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {ours.ToString(format, CultureInfo.InvariantCulture)} | {torch.ToString(format, CultureInfo.InvariantCulture)} | {ours / torch:F2} |"));

    private static double Median(double[] values) => Percentile(values, 0.5);

    private static double Percentile(double[] values, double p)
    {
        double[] sorted = [.. values.Order()];
        return sorted[(int)Math.Round(p * (sorted.Length - 1))];
    }

    /// <summary>The process's peak resident set (VmHWM), as the reference measures its own.</summary>
    private static double PeakRssMiB()
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        return double.NaN;
    }
}
