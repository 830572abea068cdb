using System.Globalization;
using System.Text.Json;
using Latent.Applications.Imputation;
using Latent.Data;

namespace Latent.Bench;

/// <summary>
/// `impute`: the GAIN protocol on $LATENT_DATA/gain/letter.csv (min-max to [0, 1], 20% MCAR, RMSE over the hidden
/// cells, seeds 0..N-1) for our imputer, the column mean and kNN, and in the same run scikit-learn's
/// IterativeImputer from shared/reference/sklearn_baselines.py (section d).
/// Options: --seeds=N (5), --epochs=N (the imputer's default when absent), --quick (1 seed, 20 epochs).
/// </summary>
internal static class ImputeBenchmark
{
    public static int Run(string[] args)
    {
        bool quick = args.Contains("--quick");
        int seeds = quick ? 1 : BenchArgs.Int(args, "--seeds", 5);
        int? epochs = quick ? 20 : args.Any(a => a.StartsWith("--epochs=", StringComparison.Ordinal)) ? BenchArgs.Int(args, "--epochs", 1) : null;
        var inv = CultureInfo.InvariantCulture;
        string dataFolder = Environment.GetEnvironmentVariable("LATENT_DATA")
            ?? throw new InvalidOperationException("Set LATENT_DATA to the shared data folder (it holds gain/letter.csv).");
        CsvTable letter = CsvTable.Read(Path.Combine(dataFolder, "gain", "letter.csv"));

        Console.WriteLine($"# impute: GAIN protocol on letter ({letter.Rows:N0} rows × {letter.Columns.Count}), 20% MCAR, {seeds} seeds");
        ReferenceResult reference = ReferenceScript.Run("sklearn_baselines.py", ["--only=d", $"--seeds={seeds}"]);

        var options = new ImputerOptions { Epochs = epochs };
        ImputationEvaluationResult ours = ImputationEvaluation.Run(letter, 0.2, seeds, options, seedDone: (seed, r) =>
            Console.WriteLine(string.Create(inv, $"seed {seed}: ours {r.Ours.PerSeed[^1]:F4}, mean {r.Mean.PerSeed[^1]:F4}, knn {r.Knn.PerSeed[^1]:F4} ({r.SecondsPerSeed:F0} s per fit)")));

        double? iterative = null, iterativeStd = null, sklearnMean = null;
        if (reference.Json is { } json && json.TryGetProperty("letter_imputation", out JsonElement d) && d.ValueKind == JsonValueKind.Object)
        {
            iterative = d.GetProperty("iterative_imputer_rmse").GetDouble();
            iterativeStd = d.GetProperty("iterative_imputer_rmse_std").GetDouble();
            sklearnMean = d.GetProperty("mean_rmse").GetDouble();
        }

        Console.WriteLine();
        Console.WriteLine("| method | RMSE (mean ± std over seeds) |");
        Console.WriteLine("| --- | ---: |");
        Console.WriteLine(string.Create(inv, $"| Latent imputer (denoising AE) | {ours.Ours.Rmse:F4} ± {ours.Ours.RmseStd:F4} |"));
        Console.WriteLine(string.Create(inv, $"| column mean | {ours.Mean.Rmse:F4} ± {ours.Mean.RmseStd:F4} |"));
        Console.WriteLine(string.Create(inv, $"| kNN (k = 5) | {ours.Knn.Rmse:F4} ± {ours.Knn.RmseStd:F4} |"));
        if (iterative is not null)
        {
            Console.WriteLine(string.Create(inv, $"| scikit-learn IterativeImputer | {iterative:F4} ± {iterativeStd:F4} |"));
            Console.WriteLine(string.Create(inv, $"| scikit-learn column mean (check) | {sklearnMean:F4} |"));
        }
        Console.WriteLine("| GAIN (paper) | 0.1198 ± 0.0005 |");
        Console.WriteLine(string.Create(inv, $"# our imputer: {ours.SecondsPerSeed:F1} s per fit and transform"));
        string iterativeText = iterative is { } it ? it.ToString("F4", inv) : $"unavailable ({reference.Failure ?? "no letter result"})";
        Console.WriteLine(string.Create(inv, $"impute: letter rmse ours {ours.Ours.Rmse:F4}, mean {ours.Mean.Rmse:F4}, knn {ours.Knn.Rmse:F4}, iterative {iterativeText}"));
        Results.Add(new("letter RMSE, 20% MCAR", ours.Ours.Rmse, "", HigherIsBetter: false) { Peer = "scikit-learn IterativeImputer", PeerValue = iterative, Seeds = seeds, OursStd = ours.Ours.RmseStd, PeerStd = iterativeStd });
        Results.Add(new("letter RMSE, 20% MCAR", ours.Ours.Rmse, "", HigherIsBetter: false) { Peer = "GAIN (paper)", PeerValue = 0.1198, PeerStd = 0.0005, PeerKind = PeerKind.Published, Seeds = seeds, OursStd = ours.Ours.RmseStd, Comparable = false, Note = "GAIN's code rounds columns with few distinct values before scoring" });
        Results.Add(new("letter RMSE, 20% MCAR", ours.Ours.Rmse, "", HigherIsBetter: false) { Peer = "column mean", PeerValue = ours.Mean.Rmse, PeerKind = PeerKind.Baseline, Seeds = seeds, OursStd = ours.Ours.RmseStd, PeerStd = ours.Mean.RmseStd, Detail = true });
        Results.Add(new("letter RMSE, 20% MCAR", ours.Ours.Rmse, "", HigherIsBetter: false) { Peer = "kNN (k = 5)", PeerValue = ours.Knn.Rmse, PeerKind = PeerKind.Baseline, Seeds = seeds, OursStd = ours.Ours.RmseStd, PeerStd = ours.Knn.RmseStd, Detail = true });
        return iterative is null ? 1 : 0;
    }
}
