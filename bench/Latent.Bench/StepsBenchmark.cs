using System.Globalization;
using Latent;
using Latent.Bench.Reporting;
using Latent.Data;
using Latent.Engine;
using Latent.Engine.Diagnostics;
using Latent.Models;
using Latent.Training;

namespace Latent.Bench;

/// <summary>
/// `steps`: where one warm training step's time goes, ours and PyTorch's, for the models the speed benchmarks compare
/// (dense, Hinton's network, the VAE, the convolutional denoiser): the share of GEMM, convolution, element-wise work,
/// loss, optimiser and framework overhead, and the step time of each side. PyTorch's side is
/// bench/reference/step_profile.py (torch.profiler; the same models, batch sizes and optimiser).
/// Options: --models=dense,hinton,vae,conv --warm=N (20) --steps=N (30) --threads=N (2) --no-reference.
/// </summary>
internal static class StepsBenchmark
{
    private const string Name = "steps";
    private const string Script = "step_profile.py";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly string[] AllModels = ["dense", "hinton", "vae", "conv"];

    public static int Run(string[] args)
    {
        string[] models = (BenchOptions.Value(args, "--models") ?? string.Join(",", AllModels)).Split(',');
        int warm = BenchOptions.Int(args, "--warm", 20), steps = BenchOptions.Int(args, "--steps", 30);
        int threads = BenchOptions.Int(args, "--threads", 2);
        foreach (string model in models)
            if (!AllModels.Contains(model)) throw new ArgumentException($"--models: unknown model '{model}' (expected {string.Join(", ", AllModels)}).");
        Parallelism.Threads = threads;
        Console.WriteLine($"# {Name}: one warm training step of each model, ours and PyTorch's; {warm} warm-up steps (ours: repeated for ≥ 3 s, for .NET's tiered JIT), then the mean of {steps} steps; {threads} thread(s) on both sides");
        Console.WriteLine("# kinds: gemm (matrix products, inclusive), convolution (inclusive of its GEMMs), elementwise (every other tensor op, its own time), " +
            "loss, optimiser; overhead = step time minus the kinds (tape, allocation, batching; in PyTorch also the Python and autograd engine)");
        Console.WriteLine("# data: MNIST training images; the convolutional denoiser trains clean → clean here (its benchmark adds noise to the input: same arithmetic)");

        PeerProfiles peers = args.Contains("--no-reference") ? new(null, "not run (--no-reference)") : RunReference(models, warm, steps, threads);
        Tensor train = Datasets.Load("mnist", Split.Train).Features;
        Console.WriteLine();
        Console.WriteLine("| model | side | ms/step | gemm | convolution | elementwise | loss | optimiser | overhead |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (string model in models)
        {
            var (breakdown, stepCount) = Profile(model, train, warm, steps);
            double ours = breakdown.TotalSeconds / stepCount;
            Row(model, "ours", ours, k => breakdown[k] / stepCount, breakdown.OverheadSeconds / stepCount);
            if (peers.Models?.TryGetValue(model, out PeerProfile? peer) == true)
            {
                Row(model, "PyTorch", peer.StepSeconds, k => peer.Seconds[(int)k], peer.OverheadSeconds);
                Results.Add(new BenchResult($"{model} training step", ours * 1e3, "ms", false) { Peer = "PyTorch", PeerValue = peer.StepSeconds * 1e3 });
            }
            else Results.Add(new BenchResult($"{model} training step", ours * 1e3, "ms", false) { Note = $"PyTorch: {peers.Failure}" });
        }
        return 0;
    }

    /// <summary>Trains <paramref name="model"/> for the warm-up steps, then records the next steps.</summary>
    private static (StepBreakdown Breakdown, int Steps) Profile(string model, Tensor train, int warm, int steps)
    {
        var (fit, batch) = Model(model);
        using Tensor warmRows = QuickRun.First(train, warm * batch), timedRows = QuickRun.First(train, steps * batch);
        // .NET recompiles hot methods with full optimisation only after ~100 ms of calls: warm up for three seconds at least (a dense model reaches full speed in its third second).
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        do fit(warmRows);
        while (System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds < 3);
        StepProfiler.Start();
        fit(timedRows);
        return (StepProfiler.Stop(), steps);
    }

    /// <summary>One epoch of training of the named model (the reference's architecture and batch) on the given rows.</summary>
    private static (Action<Tensor> Fit, int Batch) Model(string name)
    {
        FitOptions Options(int batch) => new() { Epochs = 1, BatchSize = batch, LearningRate = 1e-3f, ValidationFraction = 0, Schedule = ScheduleKind.Constant };
        switch (name)
        {
            case "dense":
                var dense = new DenseAutoencoder(new DenseAutoencoderConfig
                {
                    Inputs = 784, Hidden = [128, 64], CodeSize = 32, CodeActivation = Activation.Relu, Loss = ReconstructionLoss.Mse,
                    Output = Activation.Sigmoid, Initialization = WeightInit.FanInUniform,
                });
                return (rows => dense.Fit(rows, Options(256)), 256);
            case "hinton":
                var hinton = new DenseAutoencoder(new DenseAutoencoderConfig
                {
                    Inputs = 784, Hidden = [1000, 500, 250], CodeSize = 30, Activation = Activation.Sigmoid, Output = Activation.Sigmoid,
                    Loss = ReconstructionLoss.BinaryCrossEntropy, Initialization = WeightInit.FanInUniform,
                });
                return (rows => hinton.Fit(rows, Options(256)), 256);
            case "vae":
                var vae = new VariationalAutoencoder(new VariationalAutoencoderConfig { Inputs = 784, Hidden = [400], CodeSize = 20 });
                return (rows => vae.Fit(rows, Options(128)), 128);
            default:
                var conv = new ConvAutoencoder(new ConvAutoencoderConfig
                {
                    Channels = 1, Height = 28, Width = 28, Initialization = WeightInit.Glorot, Loss = ReconstructionLoss.BinaryCrossEntropy,
                });
                return (rows => conv.Fit(rows, Options(128)), 128);
        }
    }

    private static void Row(string model, string side, double stepSeconds, Func<WorkKind, double> seconds, double overhead)
    {
        string Share(double s) => (100 * s / stepSeconds).ToString("F0", Inv) + "%";
        IEnumerable<string> kinds = Enum.GetValues<WorkKind>().Select(k => Share(seconds(k)));
        Console.WriteLine($"| {model} | {side} | {(stepSeconds * 1e3).ToString("F2", Inv)} | {string.Join(" | ", kinds)} | {Share(overhead)} |");
    }

    private sealed record PeerProfile(double StepSeconds, double[] Seconds, double OverheadSeconds);

    private sealed record PeerProfiles(Dictionary<string, PeerProfile>? Models, string? Failure);

    private static PeerProfiles RunReference(string[] models, int warm, int steps, int threads)
    {
        string? script = RepositoryRoot.Find() is { } root ? Path.Combine(root, "bench", "reference", Script) : null;
        if (script is null || !File.Exists(script)) return new(null, $"bench/reference/{Script} not found");
        ReferenceResult run = ReferenceScript.Run(script, [$"--models={string.Join(",", models)}", $"--warm={warm}", $"--steps={steps}", $"--threads={threads}"]);
        if (run.Json is not { } json) return new(null, run.Failure);
        string[] keys = ["gemm", "convolution", "elementwise", "loss", "optimiser"];   // WorkKind's order
        var profiles = new Dictionary<string, PeerProfile>();
        foreach (var model in json.GetProperty("models").EnumerateObject())
        {
            var seconds = model.Value.GetProperty("seconds");
            profiles[model.Name] = new PeerProfile(model.Value.GetProperty("step_ms").GetDouble() / 1e3,
                [.. keys.Select(k => seconds.GetProperty(k).GetDouble())], model.Value.GetProperty("overhead_s").GetDouble());
        }
        return new(profiles, null);
    }
}
