using System.Globalization;
using System.Text.Json;
using Latent.Applications.Recommendation;
using Latent.Data;
using Latent.Engine;
using Latent.Models.AutoRec;

namespace Latent.Bench;

/// <summary>
/// `recommend`: MovieLens 100K's five splits u1..u5 (uN.base to train, uN.test scored once), ours and
/// shared/reference/autorec.py (PyTorch I-AutoRec, its biased MF and mean baselines) in one run: test RMSE of our default
/// recipe and of the reference's recipe built in our engine (943-500-943 sigmoid/identity, full-batch Rprop, the λ and
/// epoch count the reference tuned), training samples/s of the like-for-like pair at the same thread count, and
/// precision@10 / NDCG@10 (test ratings ≥ 4 relevant) for CDAE, the biased MF and popularity.
/// Options: --splits=1,2,3,4,5, --threads=N (1, as the reference's default), --quick (u1 only, the reference's --smoke,
/// our networks 20 epochs: checks that it runs, not for quoting), --validate (how the defaults were chosen, see
/// <see cref="RecommendValidation"/>).
/// </summary>
internal static class RecommendBenchmark
{
    private const double GlocalK = 0.8889;
    private const int ReferenceRows = 1682;   // the reference trains on every item row, with or without ratings
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(string[] args)
    {
        string dataFolder = Environment.GetEnvironmentVariable("LATENT_DATA")
            ?? throw new InvalidOperationException("Set LATENT_DATA to the shared data folder (it holds movielens-100k/).");
        string folder = Path.Combine(dataFolder, "movielens-100k");
        if (args.Contains("--validate")) return RecommendValidation.Run(folder, args);

        bool quick = args.Contains("--quick");
        int threads = BenchOptions.Int(args, "--threads", 1);
        Parallelism.Threads = threads;
        int[] splits = quick ? [1] : [.. (BenchOptions.Value(args, "--splits") ?? "1,2,3,4,5").Split(',').Select(s => int.Parse(s, Inv))];
        RecommenderOptions ours = new();
        if (quick) ours = ours with { AutoRec = [.. ours.AutoRec.Select(a => a with { Epochs = 20 })], Cdae = ours.Cdae with { Epochs = 5 } };

        string[] protocol =
        [
            $"recommend: MovieLens 100K splits {string.Join(",", splits.Select(s => $"u{s}"))}: train on uN.base, score once on uN.test; {threads} thread(s) on both sides",
            "recipes and defaults were chosen on validation splits carved from the training files, never on uN.test: ours by `recommend --validate` "
                + "(5% of each of u1.base..u5.base held out), the reference's λ and epoch count by its own tuning on 5% of u1.base (reused for u2..u5)",
            $"our default recipe: {Describe(ours)}",
            "the reference's recipe (also run in our engine, the like-for-like pair): I-AutoRec 943-500-943, sigmoid/identity, full-batch Rprop (lr 0.01, etas 0.5/1.2), "
                + "PyTorch's initialisation, L2 (λ/2)·‖W‖² on weights only, λ and epochs as the reference tuned them",
            "rating error: predictions clipped to the training ratings' range; an unknown user or item falls back to the global mean (reference) or the damped "
                + "baseline μ + b_u + b_i (ours; a handful of test ratings)",
            $"speed: training samples/s = {ReferenceRows} item rows × epochs / training seconds (forward, backward, optimizer step per epoch) on both sides; "
                + "ours trains the same network on the sparse rows, so it does the work of the observed ratings only",
            "ranking: per test user with a test rating ≥ 4, the top 10 of the items the user did not rate in uN.base; precision@10, NDCG@10 (binary relevance), "
                + "averaged over users; CDAE trained on all uN.base rows as interactions, biased MF (Surprise's SVD rule, 50 factors) by predicted rating, popularity by training count",
        ];
        foreach (string line in protocol) Console.WriteLine("# " + line);

        string[] referenceArgs = [$"--splits={string.Join(",", splits)}", $"--threads={threads}", .. quick ? new[] { QuickRun.ReferenceFlag } : []];
        ReferenceResult reference = ReferenceScript.Run("autorec.py", referenceArgs);
        JsonElement[] referenceSplits = reference.Json is { } j ? [.. j.GetProperty("splits").EnumerateArray()] : [];
        (float Lambda, int Epochs) referenceRecipe = referenceSplits.Length > 0
            ? ((float)referenceSplits[0].GetProperty("lambda").GetDouble(), referenceSplits[0].GetProperty("epochs").GetInt32())
            : (100f, quick ? 20 : 200);
        if (referenceSplits.Length == 0) Console.WriteLine($"# the reference did not run ({reference.Failure}); the like-for-like pair uses λ {referenceRecipe.Lambda}, {referenceRecipe.Epochs} epochs");
        var likeForLike = new RecommenderOptions
        {
            AutoRec = [new AutoRecOptions { Hidden = [500], L2 = referenceRecipe.Lambda, Epochs = referenceRecipe.Epochs, Optimizer = AutoRecOptimizer.Rprop, LearningRate = 0.01f, InputDropout = 0 }],
            MatrixFactorization = null,
            BlendHoldout = 0,
        };

        var rows = new List<SplitResult>();
        foreach (int split in splits)
        {
            Ratings train = RatingsFile.Read(Path.Combine(folder, $"u{split}.base")), test = RatingsFile.Read(Path.Combine(folder, $"u{split}.test"));
            RecommenderEvaluationResult mine = RecommenderEvaluation.Run(train, test, ours);
            RecommenderEvaluationResult same = RecommenderEvaluation.Run(train, test, likeForLike, withCdae: false);
            double epochsPerSecond = same.TrainingSamplesPerSecond / train.Items.Distinct().Count();   // our rows are the items with training ratings
            JsonElement? peer = referenceSplits.FirstOrDefault(s => s.GetProperty("split").GetInt32() == split) is { ValueKind: JsonValueKind.Object } p ? p : null;
            var row = new SplitResult(split, mine.Rmse, same.Rmse, epochsPerSecond * ReferenceRows,
                peer?.GetProperty("autorec_test_rmse").GetDouble(), peer is { } q ? q.GetProperty("autorec_epochs_per_s").GetDouble() * ReferenceRows : null,
                peer?.GetProperty("mf_test_rmse") is { ValueKind: JsonValueKind.Number } m ? m.GetDouble() : null, mine.MatrixFactorizationRmse,
                mine.Cdae!, mine.MatrixFactorizationRanking, mine.Popularity);
            rows.Add(row);
            Console.WriteLine(string.Create(Inv,
                $"u{split}: rmse ours {row.Ours:F4} (reference recipe in our engine {row.OursReferenceRecipe:F4}, {row.OursSamplesPerSecond:F0} samples/s), "
                + $"torch {Text(row.Torch, "F4")} ({Text(row.TorchSamplesPerSecond, "F0")} samples/s); biased MF ours {row.OurMf:F4}, reference {Text(row.TorchMf, "F4")}; "
                + $"ndcg@10 cdae {row.Cdae.Ndcg:F4} mf {row.Mf.Ndcg:F4} popularity {row.Popularity.Ndcg:F4}"));
        }

        SplitResult u1 = rows[0];
        var oursRmse = new SeedStatistics([.. rows.Select(r => r.Ours)]);
        var sameRmse = new SeedStatistics([.. rows.Select(r => r.OursReferenceRecipe)]);
        double?[] torchRmse = [.. rows.Select(r => r.Torch)];
        bool torchRan = torchRmse.All(t => t is not null);
        var torchStats = torchRan ? new SeedStatistics([.. torchRmse.Select(t => t!.Value)]) : null;
        double ourSpeed = rows.Average(r => r.OursSamplesPerSecond);
        double? torchSpeed = rows.All(r => r.TorchSamplesPerSecond is not null) ? rows.Average(r => r.TorchSamplesPerSecond!.Value) : null;
        double Mean(Func<SplitResult, double> of) => rows.Average(of);

        Console.WriteLine();
        Console.WriteLine("| measure | ours (default recipe) | ours (reference's recipe) | PyTorch I-AutoRec |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        Console.WriteLine(string.Create(Inv, $"| u1 test RMSE | {u1.Ours:F4} | {u1.OursReferenceRecipe:F4} | {Text(u1.Torch, "F4")} |"));
        Console.WriteLine(string.Create(Inv, $"| {rows.Count}-split test RMSE | {oursRmse.Format("F4")} | {sameRmse.Format("F4")} | {torchStats?.Format("F4") ?? "-"} |"));
        Console.WriteLine(string.Create(Inv, $"| training samples/s | - | {ourSpeed:F0} | {Text(torchSpeed, "F0")} |"));
        Console.WriteLine();
        Console.WriteLine("| ranking (mean over splits) | precision@10 | NDCG@10 |");
        Console.WriteLine("| --- | ---: | ---: |");
        foreach (var (name, of) in new (string, Func<SplitResult, RankingMetrics>)[] { ("CDAE", r => r.Cdae), ("biased MF", r => r.Mf), ("popularity", r => r.Popularity) })
            Console.WriteLine(string.Create(Inv, $"| {name} | {Mean(r => of(r).Precision):F4} | {Mean(r => of(r).Ndcg):F4} |"));
        double ratio = torchSpeed is { } t && t > 0 ? ourSpeed / t : double.NaN;
        Console.WriteLine(string.Create(Inv,
            $"recommend: u1 rmse ours {u1.Ours:F4} vs torch {Text(u1.Torch, "F4")} (glocal-k {GlocalK:F3}), u1-u5 mean {oursRmse.Mean:F4} ± {oursRmse.Std:F4}, speed ratio {ratio:F2}; "
            + $"ndcg@10 cdae {Mean(r => r.Cdae.Ndcg):F4} mf {Mean(r => r.Mf.Ndcg):F4} popularity {Mean(r => r.Popularity.Ndcg):F4}{(quick ? " [quick run: u1 only, few epochs, not comparable]" : "")}"));

        const string Unit = "RMSE";
        Results.Add(new BenchResult("u1 test RMSE, the reference's recipe", u1.OursReferenceRecipe, Unit, false) { Peer = "PyTorch I-AutoRec", PeerValue = u1.Torch, Note = "same network, optimiser, λ and epochs" });
        Results.Add(new BenchResult("u1 test RMSE, our default recipe", u1.Ours, Unit, false)
            { Peer = "PyTorch I-AutoRec", PeerValue = u1.Torch, Comparable = false, Note = "our default recipe beside the reference's" });
        Results.Add(new BenchResult("u1 test RMSE, our default recipe", u1.Ours, Unit, false) { Peer = "GLocal-K (paper)", PeerValue = GlocalK, PeerKind = PeerKind.Published });
        Results.Add(oursRmse.Result($"u1-u{splits[^1]} test RMSE, our default recipe", Unit, false) with
            { Peer = "PyTorch I-AutoRec", PeerValue = torchStats?.Mean, PeerStd = torchStats?.Std, Comparable = false, Note = "our default recipe beside the reference's" });
        Results.Add(sameRmse.Result($"u1-u{splits[^1]} test RMSE, the reference's recipe", Unit, false) with { Peer = "PyTorch I-AutoRec", PeerValue = torchStats?.Mean, PeerStd = torchStats?.Std });
        Results.Add(oursRmse.Result($"u1-u{splits[^1]} test RMSE, our default recipe", Unit, false) with
            { Peer = "biased MF (Surprise's SVD rule), our baseline", PeerValue = Mean(r => r.OurMf), PeerKind = PeerKind.Baseline });
        Results.Add(new BenchResult("training samples/s, the reference's recipe", ourSpeed, "samples/s", true)
            { Peer = "PyTorch I-AutoRec", PeerValue = torchSpeed, Note = $"{ReferenceRows} item rows × epochs/s; {threads} thread(s) each; ours on sparse rows" });
        foreach (var (name, of) in new (string, Func<SplitResult, RankingMetrics>)[] { ("biased MF, our baseline", r => r.Mf), ("popularity, our baseline", r => r.Popularity) })
        {
            Results.Add(new BenchResult("NDCG@10, CDAE (ratings ≥ 4 relevant)", Mean(r => r.Cdae.Ndcg), "", true) { Peer = name, PeerValue = Mean(r => of(r).Ndcg), PeerKind = PeerKind.Baseline, Seeds = rows.Count });
            Results.Add(new BenchResult("precision@10, CDAE (ratings ≥ 4 relevant)", Mean(r => r.Cdae.Precision), "", true) { Peer = name, PeerValue = Mean(r => of(r).Precision), PeerKind = PeerKind.Baseline, Seeds = rows.Count });
        }
        return torchRan ? 0 : 1;
    }

    private sealed record SplitResult(int Split, double Ours, double OursReferenceRecipe, double OursSamplesPerSecond, double? Torch, double? TorchSamplesPerSecond,
        double? TorchMf, double OurMf, RankingMetrics Cdae, RankingMetrics Mf, RankingMetrics Popularity);

    private static string Text(double? value, string format) => value is { } v ? v.ToString(format, Inv) : "-";

    /// <summary>"I-AutoRec hidden 500 sigmoid input dropout 0.5 dropout 0.2, Rprop full batch lr 0.01, λ 30, 150 epochs + … + biased MF …; CDAE 100 units, …".</summary>
    private static string Describe(RecommenderOptions o)
    {
        static string Network(AutoRecOptions a) => string.Create(Inv,
            $"{(a.ItemBased ? "I" : "U")}-AutoRec hidden {string.Join("-", a.Hidden)} {a.Activation.ToString().ToLowerInvariant()}{(a.InputDropout > 0 ? $" input dropout {a.InputDropout}" : "")}"
            + $"{(a.Dropout > 0 ? $" dropout {a.Dropout}" : "")}, {a.Optimizer}{(a.BatchSize is { } b ? $" batch {b}" : " full batch")} lr {a.LearningRate}, λ {a.L2}, {a.Epochs} epochs");
        string networks = string.Join(" + ", o.AutoRec.Select(Network).GroupBy(n => n).Select(g => g.Count() > 1 ? $"{g.Count()} × {g.Key}" : g.Key));
        string mf = o.MatrixFactorization is { } m ? $" + biased MF {m.Factors} factors, {m.Epochs} epochs, lr {m.LearningRate}, reg {m.Regularization}" : "";
        string combined = o.BlendHoldout > 0
            ? $"blended with the damped baseline by least-squares weights{(o.BlendBySupport ? " that vary with the user's and the item's numbers of ratings" : "")}, "
                + $"learned on {o.BlendHoldout:P0} of the training ratings held out, then refitted on all"
            : "predictions averaged";
        return string.Create(Inv, $"{networks}{mf} ({combined}; seeds {o.Seed}..); CDAE {o.Cdae.Hidden} units, corruption {o.Cdae.Corruption}, "
            + $"{o.Cdae.NegativeSamples} negatives per interaction, λ {o.Cdae.L2}, Adam {o.Cdae.LearningRate} batch {o.Cdae.BatchSize}, {o.Cdae.Epochs} epochs");
    }
}
