using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Latent.Applications.SequenceToSequence;
using Latent.Engine;
using Latent.Training;

namespace Latent.Bench;

/// <summary>
/// `seq2seq`: Brownlee's encoder–decoder task (sources of 6 random integers in 1..50, target the first 3 reversed, one-hot
/// tokens; an LSTM of 128 units each side; 100,000 training pairs, 1 epoch, batches of 32, Adam 10⁻³), ours and
/// shared/reference/seq2seq.py (PyTorch) in one run at the same thread count, on the very pairs the reference draws
/// (bench/reference/brownlee_pairs.py): exact-sequence accuracy of greedy decoding on 1,000 fresh pairs, training
/// samples/s (epoch time: batches, forward, backward, optimiser step; data generation excluded on both sides), and the
/// median latency of greedy decoding of one sequence (2,000 calls after 200 warm-up calls, as the reference times it).
/// Then the NAB series (<see cref="NabComparison"/>; --skip-nab leaves them out, --only-nab runs them alone).
/// Options: --threads=N (1, the reference's default), --seeds=S (our seeds 1..S; the reference runs its seed 1),
/// --quick (5,000 training pairs, the reference's --smoke: checks that it runs, not for quoting).
/// </summary>
internal static class Seq2SeqBenchmark
{
    private const int Units = 128, Epochs = 1, Batch = 32;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(string[] args)
    {
        if (args.Contains("--validate")) return Validate();
        if (args.Contains("--only-nab"))
        {
            int nabThreads = BenchOptions.Int(args, "--threads", 1);
            Console.WriteLine(ReportNab(NabComparison.Run(nabThreads, args.Contains("--quick")), nabThreads).TrimStart(';', ' '));
            return 0;
        }
        bool quick = args.Contains("--quick");
        int threads = BenchOptions.Int(args, "--threads", 1), seeds = BenchOptions.Int(args, "--seeds", 3);
        int trainPairs = quick ? 5000 : 100_000, testPairs = quick ? 200 : 1000;
        Parallelism.Threads = threads;
        Console.WriteLine($"# seq2seq: Brownlee's task, {trainPairs} training pairs, {Epochs} epoch, batch {Batch}, LSTM {Units}/{Units}, one-hot tokens; {threads} thread(s) on both sides");
        Console.WriteLine("# like for like: both sides run Brownlee's recipe as the reference defines it (Keras initialisation, Adam 1e-3, 1 epoch; the reference's ε is 1e-7, ours 1e-8)");
        Console.WriteLine("# Brownlee's 100 % was on 100 test pairs: a model that gets 98.7 % of sequences right gets all of 100 right with probability 0.987^100 = 27 %, so the fair bar is the reference's accuracy on the same 1,000 pairs");
        Console.WriteLine($"# our default recipe ({DefaultRecipe}) is printed beside it; its learning rate was chosen on 5,000 pairs held out of the training pairs (`seq2seq --validate`), never on the test pairs");
        Console.WriteLine("# vocabularies: the reference one-hot encodes 0..50 (0 = start) on both sides; ours has 51 source columns (50 tokens + unknown) and 52 target columns (50 tokens, start, end: unused here, every target has 3 tokens)");

        var (train, test, sameDraws) = Pairs(trainPairs, testPairs);
        Console.WriteLine(sameDraws ? "# pairs: the reference's own draws (numpy RandomState(1) and (1001))" : "# pairs: our own draws (the pair script did not run): same task, other random pairs than the reference's");

        string[] referenceArgs = [$"--threads={threads}", .. quick ? new[] { QuickRun.ReferenceFlag } : []];
        ReferenceResult reference = ReferenceScript.Run("seq2seq.py", referenceArgs);
        JsonElement? peer = reference.Json;
        if (peer is null) Console.WriteLine($"# the reference did not run: {reference.Failure}");

        var runs = new List<SeedRun>();
        for (int seed = 1; seed <= seeds; seed++)
        {
            var options = new Seq2SeqOptions
            {
                Hidden = Units,
                Training = new FitOptions { Epochs = Epochs, BatchSize = Batch, LearningRate = 1e-3f, ValidationFraction = 0, Seed = (ulong)seed },
            };
            Seq2Seq model = Seq2Seq.Fit(train, options);
            EpochReport epoch = model.History!.Epochs[^1];
            Seq2SeqEvaluation evaluation = model.Evaluate(test);
            double latency = Latency(model, test[0].Source);
            runs.Add(new SeedRun(trainPairs / epoch.Seconds, evaluation.ExactAccuracy, evaluation.TokenAccuracy, latency));
            Console.WriteLine(string.Create(Inv,
                $"seed {seed}: {trainPairs / epoch.Seconds:F0} samples/s ({epoch.Seconds:F1} s), final loss {epoch.TrainLoss:F4}, exact accuracy {evaluation.ExactAccuracy * 100:F2} %, "
                + $"per token {evaluation.TokenAccuracy * 100:F2} %, 1-sequence greedy latency {latency:F1} µs"));
        }

        var defaults = new List<(double Exact, double Seconds)>();
        for (int seed = 1; seed <= seeds; seed++)
        {
            var options = new Seq2SeqOptions();
            Seq2Seq model = Seq2Seq.Fit(train, options with { Training = options.Training with { Seed = (ulong)seed } });
            defaults.Add((model.Evaluate(test).ExactAccuracy, model.History!.TotalSeconds));
            Console.WriteLine(string.Create(Inv, $"seed {seed}, our default recipe: exact accuracy {defaults[^1].Exact * 100:F2} % after {model.History.Epochs.Count} epochs ({defaults[^1].Seconds:F0} s; best epoch {model.History.BestEpoch})"));
        }
        var defaultAccuracy = new SeedStatistics([.. defaults.Select(d => d.Exact)]);
        var speed = new SeedStatistics([.. runs.Select(r => r.SamplesPerSecond)]);
        var accuracy = new SeedStatistics([.. runs.Select(r => r.Exact)]);
        double medianLatency = MedianRule.Of([.. runs.Select(r => r.LatencyMicroseconds)]);
        double? torchSpeed = Number(peer, "train_samples_per_s"), torchAccuracy = Number(peer, "test_exact_accuracy"), torchLatency = Number(peer, "latency_1_seq_us");
        double speedRatio = torchSpeed is { } ts ? speed.Mean / ts : double.NaN, latencyRatio = torchLatency is { } tl ? medianLatency / tl : double.NaN;

        Console.WriteLine();
        Console.WriteLine("| measure | ours | PyTorch |");
        Console.WriteLine("| --- | ---: | ---: |");
        Console.WriteLine(string.Create(Inv, $"| exact-sequence accuracy, {testPairs} fresh pairs | {accuracy.Format("P2")} ({seeds} seeds) | {Text(torchAccuracy, "P2")} (seed 1) |"));
        Console.WriteLine(string.Create(Inv, $"| training samples/s | {speed.Format("F0")} | {Text(torchSpeed, "F0")} |"));
        Console.WriteLine(string.Create(Inv, $"| exact-sequence accuracy, our default recipe ({DefaultRecipe}) | {defaultAccuracy.Format("P2")} in {defaults.Average(d => d.Seconds):F0} s | - |"));
        Console.WriteLine(string.Create(Inv, $"| 1-sequence greedy latency, µs (median) | {medianLatency:F1} | {Text(torchLatency, "F1")} |"));
        Results.Add(accuracy.Result($"exact-sequence accuracy, Brownlee's task, {testPairs} fresh pairs", "", true) with
            { Peer = "PyTorch encoder-decoder LSTM (seed 1)", PeerValue = torchAccuracy, Note = sameDraws ? "the reference's own training and test pairs" : "other random pairs than the reference's" });
        Results.Add(defaultAccuracy.Result($"exact-sequence accuracy, Brownlee's task, {testPairs} fresh pairs, our default recipe", "", true) with
            { Peer = "PyTorch encoder-decoder LSTM (seed 1)", PeerValue = torchAccuracy, Comparable = false, Note = $"our default recipe ({DefaultRecipe}) beside Brownlee's" });
        Results.Add(speed.Result("training samples/s, Brownlee's task", "samples/s", true) with
            { Peer = "PyTorch encoder-decoder LSTM", PeerValue = torchSpeed, Note = $"epoch time; {threads} thread(s) each" });
        Results.Add(new BenchResult("1-sequence greedy decoding latency", medianLatency, "µs", false)
            { Peer = "PyTorch encoder-decoder LSTM", PeerValue = torchLatency, Note = "median of 2000 calls after 200 warm-up calls; ours through Seq2Seq.Predict (token strings in and out)" });
        IReadOnlyList<NabComparison.Row> nab = args.Contains("--skip-nab") ? [] : NabComparison.Run(threads, quick);
        string nabText = ReportNab(nab, threads);
        Console.WriteLine(string.Create(Inv,
            $"seq2seq: accuracy {accuracy.Mean * 100:F2}% vs torch {Text(torchAccuracy * 100, "F2")}%, train speed ratio {speedRatio:F2}, latency ratio {latencyRatio:F2}; our default recipe accuracy {defaultAccuracy.Mean * 100:F2}%{nabText}{(quick ? " [quick run: not comparable]" : "")}"));
        return peer is null ? 1 : 0;
    }

    /// <summary>The NAB table and results; returns the part of the result line they make (empty without NAB rows).</summary>
    private static string ReportNab(IReadOnlyList<NabComparison.Row> nab, int threads)
    {
        if (nab.Count == 0) return "";
        Console.WriteLine();
        Console.WriteLine("| NAB series | windows | hit, ours (reference's recipe) | fp rate | fp rate at PyTorch's hits | hit, PyTorch | fp rate | hit, our default detector | fp rate | hit, windowed Gaussian | fp rate |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (NabComparison.Row r in nab)
            Console.WriteLine(string.Create(Inv, $"| {r.Series} | {r.Windows} | {r.Ours.Hit} | {r.Ours.FalsePositiveRate:P2} | {Text(r.OursAtTorchHits?.FalsePositiveRate, "P2")} | "
                + $"{Text(r.Torch?.Hit)} | {Text(r.Torch?.FalsePositiveRate, "P2")} | {r.Default.Hit} | {r.Default.FalsePositiveRate:P2} | {r.Gaussian.Hit} | {r.Gaussian.FalsePositiveRate:P2} |"));
        int windows = nab.Sum(r => r.Windows);
        double ourFp = nab.Average(r => r.Ours.FalsePositiveRate);
        double? torchFp = nab.All(r => r.Torch is not null) ? nab.Average(r => r.Torch!.FalsePositiveRate) : null;
        int? torchHit = nab.All(r => r.Torch is not null) ? nab.Sum(r => r.Torch!.Hit) : null;
        string text = string.Create(Inv, $"; nab windows hit {nab.Sum(r => r.Ours.Hit)}/{windows} vs torch {Text(torchHit)}/{windows}, fp rate {ourFp * 100:F2}% vs torch {Text(torchFp * 100, "F2")}%");
        foreach (NabComparison.Row r in nab)
        {
            Results.Add(new BenchResult($"NAB {r.Series}: labelled windows hit (train-p99 threshold)", r.Ours.Hit, "windows", true)
                { Peer = "PyTorch LSTM autoencoder", PeerValue = r.Torch?.Hit, Note = $"of {r.Windows}; same architecture, recipe and scoring, other initialisation; one seed each" });
            Results.Add(new BenchResult($"NAB {r.Series}: false-positive rate outside the windows", r.Ours.FalsePositiveRate, "", false)
                { Peer = "PyTorch LSTM autoencoder", PeerValue = r.Torch?.FalsePositiveRate, Note = "same architecture, recipe and scoring, other initialisation; one seed each" });
            if (r.OursAtTorchHits is { } equal)
                Results.Add(new BenchResult($"NAB {r.Series}: false-positive rate at PyTorch's {equal.Hit} windows hit", equal.FalsePositiveRate, "", false)
                    { Peer = "PyTorch LSTM autoencoder", PeerValue = r.Torch?.FalsePositiveRate, Note = "our threshold raised until we hit as many windows as PyTorch" });
            Results.Add(new BenchResult($"NAB {r.Series}: false-positive rate outside the windows", r.Ours.FalsePositiveRate, "", false)
                { Peer = "windowed Gaussian, our baseline", PeerValue = r.Gaussian.FalsePositiveRate, PeerKind = PeerKind.Baseline, Note = $"it hits {r.Gaussian.Hit} of {r.Windows}" });
            Results.Add(new BenchResult($"NAB {r.Series}: training windows/s", r.OurSpeed, "windows/s", true)
                { Peer = "PyTorch LSTM autoencoder", PeerValue = r.TorchSpeed, Note = $"{threads} thread(s) each" });
        }
        if (nab.Any(r => r.OursAtTorchHits is not null))
            Console.WriteLine("# where we hit more windows than PyTorch, 'fp rate at PyTorch's hits' raises our threshold until we hit as many: rates compare at equal hits");
        return text;
    }

    /// <summary>
    /// `seq2seq --validate`: the learning rates and epoch counts tried for the default recipe, scored on 5,000 of the
    /// reference's training pairs held out from the other 95,000 (never on the test pairs).
    /// </summary>
    private static int Validate()
    {
        var (pairs, _, sameDraws) = Pairs(100_000, 1);
        SequencePair[] train = pairs[5000..], held = pairs[..5000];
        Console.WriteLine($"# seq2seq --validate: {train.Length} training pairs, {held.Length} held out ({(sameDraws ? "the reference's draws" : "our draws")}); seed 1");
        foreach (float rate in new[] { 1e-3f, 3e-3f })
            foreach (int epochs in new[] { 2, 5 })
            {
                var options = new Seq2SeqOptions { Training = new FitOptions { Epochs = epochs, BatchSize = Batch, LearningRate = rate, ValidationFraction = 0, Seed = 1 } };
                Seq2Seq model = Seq2Seq.Fit(train, options);
                Seq2SeqEvaluation result = model.Evaluate(held);
                Console.WriteLine(string.Create(Inv, $"lr {rate:G2}, {epochs} epochs: held-out exact accuracy {result.ExactAccuracy * 100:F2} %, per token {result.TokenAccuracy * 100:F2} %"));
            }
        return 0;
    }

    private static readonly string DefaultRecipe = string.Create(Inv,
        $"{new Seq2SeqOptions().Training.Epochs} epochs, Adam {new Seq2SeqOptions().Training.LearningRate}, 10% held out for the best epoch");

    private sealed record SeedRun(double SamplesPerSecond, double Exact, double Token, double LatencyMicroseconds);

    /// <summary>The reference's pairs (or our own draws when its pair script cannot run), as token strings.</summary>
    private static (SequencePair[] Train, SequencePair[] Test, bool SameDraws) Pairs(int train, int test)
    {
        string? script = RepositoryRoot.Find() is { } root ? Path.Combine(root, "bench", "reference", "brownlee_pairs.py") : null;
        ReferenceResult result = script is not null && File.Exists(script)
            ? ReferenceScript.Run(script, [$"--train-pairs={train}", $"--test-pairs={test}"], echoPrefix: "  [pairs] ")
            : new ReferenceResult(null, "bench/reference/brownlee_pairs.py not found");
        if (result.Json is { } json)
            return (Read(json.GetProperty("train")), Read(json.GetProperty("test")), true);
        var rng = new Rng(1);
        SequencePair[] Draw(int n) => [.. Enumerable.Range(0, n).Select(_ => Pair([.. Enumerable.Range(0, 6).Select(_ => 1 + rng.NextInt(50))]))];
        return (Draw(train), Draw(test), false);
    }

    private static SequencePair[] Read(JsonElement rows) => [.. rows.EnumerateArray().Select(r => Pair([.. r.EnumerateArray().Select(v => v.GetInt32())]))];

    /// <summary>Brownlee's pair: the source, and its first 3 tokens reversed.</summary>
    private static SequencePair Pair(int[] source)
    {
        string[] tokens = [.. source.Select(v => v.ToString(Inv))];
        return new SequencePair(tokens, [tokens[2], tokens[1], tokens[0]]);
    }

    /// <summary>Median µs of one greedy decode of one sequence, timed as the reference times it.</summary>
    private static double Latency(Seq2Seq model, IReadOnlyList<string> source)
    {
        for (int i = 0; i < 200; i++) model.Predict(source);
        var times = new double[2000];
        for (int i = 0; i < times.Length; i++)
        {
            long start = Stopwatch.GetTimestamp();
            model.Predict(source);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }
        return MedianRule.Of(times);
    }

    private static double? Number(JsonElement? json, string key) =>
        json is { } j && j.TryGetProperty(key, out JsonElement v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    private static string Text(double? value, string format) => value is { } v ? v.ToString(format, Inv) : "-";

    private static string Text(int? value) => value?.ToString(Inv) ?? "-";
}
