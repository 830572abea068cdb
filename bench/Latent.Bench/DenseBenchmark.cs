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
/// `dense`: the Keras-tutorial autoencoder 784-128-64-32-64-128-784 on MNIST (MSE, Adam 1e-3, batch 256):
/// shared/reference/dense_ae.py (PyTorch), then ours built exactly as it (ReLU on the code, PyTorch's initialisation:
/// the compared pair), then ours with our defaults (linear code, He initialisation, shown beside), in one run and
/// measured the same way: training samples/s, test MSE, single-sample latency, batch-1000 inference and encode
/// throughput, peak RSS. Writes bench-results/dense.json (see <see cref="Results"/>).
/// Options: --epochs=N (10), --threads=N (2), --quick (2 epochs on the reference's smoke subset, fewer repeats).
/// </summary>
internal static class DenseBenchmark
{
    private const string Name = "dense";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(string[] args)
    {
        bool quick = args.Contains("--quick");
        int epochs = BenchOptions.Int(args, "--epochs", quick ? 2 : 10), threads = BenchOptions.Int(args, "--threads", 2);
        Parallelism.Threads = threads;
        string[] protocol =
        [
            $"{Name}: 784-128-64-32-64-128-784, ReLU hidden layers, sigmoid output, MSE, Adam 1e-3, batch 256, {epochs} epochs, seed 0, {threads} thread(s) on both sides",
            quick
                ? $"data: MNIST, the reference's smoke subset: the first {QuickRun.TrainRows} training and first {QuickRun.TestRows} test images"
                : "data: MNIST official split, all 60000 training images (no validation split), 10000 test images",
            "compared model (the reference's exactly): ReLU on the 32-unit code, PyTorch's default initialisation (weights and biases U(±1/√fan_in)); " +
            "our default (linear code, He weights for ReLU layers, Glorot for the others, zero biases) is shown beside",
            "recipe: the Keras tutorial's (optimizer, rate, batch, epochs), not tuned by us; our default model's linear code and He initialisation are the library's design defaults, not chosen on test figures",
            "speed: training samples/s = rows / median epoch time of epochs 2..N (the two middle epochs averaged for an even count; common.median), the same rule on both sides; " +
            "an epoch covers shuffling, forward, backward and optimizer steps, not evaluation",
            "inference: 1-sample latency = median of 1000 calls, call i on test row i, (p10, p90 at ranks ⌊n/10⌋, ⌊9n/10⌋) after 200 warm-up calls (ours also after ≥ 0.5 s, for .NET's tiered JIT); " +
            "batch-1000 reconstruct and encode = median of 50 after 10 (quick runs: ours 200 calls after 50, 10 batches after 3); quality = test MSE per pixel after the last epoch",
            $"contended latency: the same loop while a busy loop occupies core {Contention.Core} (a machine doing other work); PyTorch's from a second, 1-epoch run of the reference on its smoke subset (same loop, same test rows)",
            "order: the reference first (a child process would count our peak RSS as its own), then ours, then the reference's contended latency",
        ];
        foreach (string line in protocol) Console.WriteLine("# " + line);

        var referenceArgs = new List<string> { $"--epochs={epochs}", $"--threads={threads}" };
        if (quick) referenceArgs.Add(QuickRun.ReferenceFlag);
        ReferenceResult reference = ReferenceScript.Run("dense_ae.py", referenceArgs);
        if (reference.Json is { } j && j.GetProperty("epochs").GetInt32() != epochs)
        {
            Console.Error.WriteLine($"{Name}: FAILED: the reference ran {j.GetProperty("epochs").GetInt32()} of {epochs} epochs.");
            return 1;
        }

        Tensor train = Datasets.Load("mnist", Split.Train).Features, test = Datasets.Load("mnist", Split.Test).Features;
        if (quick) (train, test) = (QuickRun.First(train, QuickRun.TrainRows), QuickRun.First(test, QuickRun.TestRows));
        var monitor = new CpuMonitor();
        var architecture = new DenseAutoencoderConfig { Inputs = 784, Hidden = [128, 64], CodeSize = 32, Loss = ReconstructionLoss.Mse, Output = Activation.Sigmoid };
        Measurement ours = Measure(architecture with { CodeActivation = Activation.Relu, Initialization = WeightInit.FanInUniform }, train, test, epochs, quick, inference: true);
        Print("ours, reference model", ours);
        Measurement ourDefault = Measure(architecture, train, test, epochs, quick, inference: false);
        Print("ours, default model", ourDefault);
        double? foreign = monitor.ForeignCores();
        Console.WriteLine($"ours: other processes used {(foreign is { } f ? f.ToString("F2", Inv) : "?")} cores (the contended latency's busy loop included)");
        ReferenceResult contendedReference;
        using (Contention.Start()) contendedReference = ReferenceScript.Run("dense_ae.py", ["--epochs=1", $"--threads={threads}", QuickRun.ReferenceFlag]);
        double torchContended = contendedReference.Json is { } c ? c.GetProperty("latency_1_sample_us").GetDouble() : double.NaN;

        if (reference.Json is not { } r)
        {
            Console.WriteLine(string.Create(Inv, $"{Name}: reference unavailable ({reference.Failure}); ours {ours.TrainSamplesPerSecond:F0} samples/s, test mse {ours.TestMse:F5}"));
            return 1;
        }
        double torchSpeed = Statistics.TrainingSpeed(r.GetProperty("train_samples").GetInt32(), r.Doubles("epoch_seconds"));
        double torchMse = r.GetProperty("test_mse").GetDouble(), torchLatency = r.GetProperty("latency_1_sample_us").GetDouble();
        double torchBatch = r.GetProperty("batch1000_samples_per_s").GetDouble(), torchEncode = r.GetProperty("encode_batch1000_samples_per_s").GetDouble();
        double torchRss = r.GetProperty("peak_rss_mib").GetDouble();

        Console.WriteLine();
        Console.WriteLine("| metric | ours, reference model | PyTorch | ours / PyTorch | ours, default model |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        Row("training samples/s", ours.TrainSamplesPerSecond, torchSpeed, "F0", ourDefault.TrainSamplesPerSecond);
        Row("test MSE", ours.TestMse, torchMse, "F5", ourDefault.TestMse);
        Row("1-sample latency (us)", ours.LatencyMicroseconds, torchLatency, "F1");
        Row("1-sample latency, contended (us)", ours.ContendedLatencyMicroseconds, torchContended, "F1");
        Row("batch-1000 inference samples/s", ours.Batch1000PerSecond, torchBatch, "F0");
        Row("batch-1000 encode samples/s", ours.EncodePerSecond, torchEncode, "F0");
        Row("peak RSS (MiB)", ours.PeakRssMiB, torchRss, "F0");
        Console.WriteLine(string.Create(Inv,
            $"{Name}: train speed ratio {ours.TrainSamplesPerSecond / torchSpeed:F2}, test mse ours {ours.TestMse:F5} vs torch {torchMse:F5} (the reference's model), " +
            $"ours with our default model {ourDefault.TestMse:F5}, 1-sample latency ratio {ours.LatencyMicroseconds / torchLatency:F2}, contended {ours.ContendedLatencyMicroseconds / torchContended:F2}{(quick ? QuickRun.Marker : "")}"));

        string peer = r.PeerName();
        BenchResult Compared(string measure, double value, double peerValue, string unit, bool higherIsBetter) =>
            new(measure, value, unit, higherIsBetter) { Peer = peer, PeerValue = peerValue };
        Results.Add(Compared("training samples/s", ours.TrainSamplesPerSecond, torchSpeed, "samples/s", true));
        Results.Add(Compared("test MSE, the reference's model", ours.TestMse, torchMse, "MSE per pixel", false));
        Results.Add(Compared("test MSE, our default model", ourDefault.TestMse, torchMse, "MSE per pixel", false)
            with { Comparable = false, Note = "our default model (linear code, He initialisation) beside the reference's" });
        Results.Add(Compared("1-sample latency", ours.LatencyMicroseconds, torchLatency, "us", false));
        Results.Add(Compared("1-sample latency, contended", ours.ContendedLatencyMicroseconds, torchContended, "us", false)
            with { Note = $"a busy loop pinned to core {Contention.Core}; PyTorch's from a 1-epoch run on its smoke subset (the same latency loop)" });
        Results.Add(Compared("batch-1000 inference", ours.Batch1000PerSecond, torchBatch, "samples/s", true));
        Results.Add(Compared("batch-1000 encode", ours.EncodePerSecond, torchEncode, "samples/s", true));
        Results.Add(Compared("peak RSS", ours.PeakRssMiB, torchRss, "MiB", false) with { Note = PeakMemory.Note });
        return 0;
    }

    private sealed record Measurement(double TrainSamplesPerSecond, double TestMse, double LatencyMicroseconds, double LatencyP10, double LatencyP90,
        double ContendedLatencyMicroseconds, double Batch1000PerSecond, double EncodePerSecond, double PeakRssMiB);

    private static Measurement Measure(DenseAutoencoderConfig config, Tensor train, Tensor test, int epochs, bool quick, bool inference)
    {
        var model = new DenseAutoencoder(config);
        History history = model.Fit(train, new FitOptions { Epochs = epochs, BatchSize = 256, LearningRate = 1e-3f, ValidationFraction = 0 });
        double mse;
        using (Tensor.NoGrad()) mse = Loss.Mse(model.Reconstruct(test), test).Item();
        if (!inference) return new Measurement(Statistics.TrainingSpeed(history.Epochs), mse, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, PeakMemory.MiB());

        // Call i takes test row i, as the reference's loop does.
        int calls = quick ? 200 : 1000;
        Tensor[] rows = [.. Enumerable.Range(0, Math.Min(calls, test.Dim(0))).Select(i => Ops.SelectRows(test, [i]))];
        double[] latency = Repeat(quick ? 50 : 200, calls, i => model.Reconstruct(rows[i % rows.Length]));
        double[] contended;
        using (Contention.Start()) contended = Repeat(quick ? 50 : 200, calls, i => model.Reconstruct(rows[i % rows.Length]));
        foreach (Tensor row in rows) row.Dispose();
        using var thousand = QuickRun.First(test, 1000);
        double[] batch = Repeat(quick ? 3 : 10, quick ? 10 : 50, _ => model.Reconstruct(thousand));
        double[] encode = Repeat(quick ? 3 : 10, quick ? 10 : 50, _ => model.Encode(thousand));
        return new Measurement(Statistics.TrainingSpeed(history.Epochs), mse, MedianRule.Of(latency) * 1e6,
            Statistics.Percentile(latency, 0.1) * 1e6, Statistics.Percentile(latency, 0.9) * 1e6, MedianRule.Of(contended) * 1e6,
            thousand.Dim(0) / MedianRule.Of(batch), thousand.Dim(0) / MedianRule.Of(encode), PeakMemory.MiB());
    }

    private static void Print(string name, Measurement m)
    {
        string inference = double.IsNaN(m.LatencyMicroseconds) ? "" : string.Create(Inv,
            $", latency {m.LatencyMicroseconds:F1} us (p10 {m.LatencyP10:F1}, p90 {m.LatencyP90:F1}), contended {m.ContendedLatencyMicroseconds:F1} us, batch-1000 {m.Batch1000PerSecond:F0}/s, encode {m.EncodePerSecond:F0}/s, peak RSS {m.PeakRssMiB:F0} MiB");
        Console.WriteLine(string.Create(Inv, $"{name}: {m.TrainSamplesPerSecond:F0} samples/s, test MSE {m.TestMse:F5}{inference}"));
    }

    /// <summary>
    /// Seconds of each of <paramref name="count"/> timed calls after <paramref name="warmUp"/> untimed ones and at
    /// least half a second of them: .NET recompiles hot methods with full optimisation only after ~100 ms of calls,
    /// and steady state is what a long-running service sees (PyTorch has no such warm-up to wait for).
    /// </summary>
    /// <summary>Seconds of each of <paramref name="count"/> calls (call i gets i) after the warm-up calls and at least 0.5 s of them.</summary>
    private static double[] Repeat(int warmUp, int count, Func<int, Tensor> call)
    {
        long warmStart = Stopwatch.GetTimestamp();
        for (int i = 0; i < warmUp || Stopwatch.GetElapsedTime(warmStart).TotalSeconds < 0.5; i++) call(i).Dispose();
        var seconds = new double[count];
        for (int i = 0; i < count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            Tensor result = call(i);
            seconds[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            result.Dispose();
        }
        return seconds;
    }

    private static void Row(string name, double ours, double torch, string format, double ourDefault = double.NaN) =>
        Console.WriteLine($"| {name} | {ours.ToString(format, Inv)} | {torch.ToString(format, Inv)} | {(ours / torch).ToString("F2", Inv)} | {(double.IsNaN(ourDefault) ? "" : ourDefault.ToString(format, Inv))} |");
}
