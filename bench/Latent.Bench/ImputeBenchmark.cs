using System.Globalization;
using System.Text.Json;
using Latent.Applications.Imputation;
using Latent.Data;

namespace Latent.Bench;

/// <summary>
/// `impute`: the GAIN protocol on $LATENT_DATA/gain/letter.csv (min-max to [0, 1], 20% MCAR, RMSE over the hidden
/// cells, seeds 0..N−1) for our imputer, the column mean and kNN, and in the same run scikit-learn's
/// IterativeImputer from shared/reference/sklearn_baselines.py (section d, same protocol and seeds, its own masks).
/// Our RMSE is printed twice: as the protocol scores it, and after GAIN's own post-processing (GAIN's code rounds
/// every column with fewer than 20 distinct values to whole numbers before scoring: all 16 columns of letter), which
/// is how the paper's 0.1198 was measured.
/// Options: --seeds=N (5), --epochs=N (the imputer's default when absent), --quick (1 seed, 20 epochs),
/// --validate (re-check the imputer's defaults on validation cells; see <see cref="ImputeValidation"/>).
/// </summary>
internal static class ImputeBenchmark
{
    private const double GainPaper = 0.1198, GainPaperStd = 0.0005;

    public static int Run(string[] args)
    {
        bool quick = args.Contains("--quick");
        int seeds = quick ? 1 : BenchOptions.Int(args, "--seeds", 5);
        int? epochs = quick ? 20 : args.Any(a => a.StartsWith("--epochs=", StringComparison.Ordinal)) ? BenchOptions.Int(args, "--epochs", 1) : null;
        var inv = CultureInfo.InvariantCulture;
        string dataFolder = Environment.GetEnvironmentVariable("LATENT_DATA")
            ?? throw new InvalidOperationException("Set LATENT_DATA to the shared data folder (it holds gain/letter.csv).");
        CsvTable letter = CsvTable.Read(Path.Combine(dataFolder, "gain", "letter.csv"));
        if (args.Contains("--validate")) return ImputeValidation.Run(letter, epochs);

        string[] protocol =
        [
            $"GAIN protocol on letter ({letter.Rows} rows × {letter.Columns.Count}): min-max to [0, 1] (range + 1e-6), 20% of the cells hidden at random "
                + $"(MCAR), RMSE over the hidden cells; {SeedStatistics.Range(seeds)}, mean ± population std",
            "ours also after GAIN's post-processing (columns with < 20 distinct values rounded to whole numbers before scoring, as GAIN's code does: all 16 "
                + "columns of letter), the figure to set beside the paper's",
            "scikit-learn's IterativeImputer: same protocol and seeds, masks drawn by numpy (other cells than ours); the imputer's defaults: see "
                + "`impute --validate` (validation cells carved from the known cells, never the scored ones)",
            $"imputer epochs: {(epochs is { } e ? e.ToString(inv) : "its default (about 20,000 batches)")}{(quick ? "; quick run: 1 seed, 20 epochs, not for quoting" : "")}",
        ];
        foreach (string line in protocol) Console.WriteLine("# impute: " + line);
        ReferenceResult reference = ReferenceScript.Run("sklearn_baselines.py", ["--only=d", $"--seeds={seeds}"]);

        var options = new ImputerOptions { Epochs = epochs };
        ImputationEvaluationResult ours = ImputationEvaluation.Run(letter, 0.2, seeds, options, seedDone: (seed, r) =>
            Console.WriteLine(string.Create(inv, $"seed {seed}: ours {r.Ours.PerSeed[^1]:F4} (GAIN-rounded {r.OursGainRounded.PerSeed[^1]:F4}), "
                + $"mean {r.Mean.PerSeed[^1]:F4}, knn {r.Knn.PerSeed[^1]:F4} ({r.SecondsPerSeed:F0} s per fit)")));

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
        Console.WriteLine(string.Create(inv, $"| Latent imputer, rounded as GAIN's code does | {ours.OursGainRounded.Rmse:F4} ± {ours.OursGainRounded.RmseStd:F4} |"));
        Console.WriteLine(string.Create(inv, $"| column mean | {ours.Mean.Rmse:F4} ± {ours.Mean.RmseStd:F4} |"));
        Console.WriteLine(string.Create(inv, $"| kNN (k = 5) | {ours.Knn.Rmse:F4} ± {ours.Knn.RmseStd:F4} |"));
        if (iterative is not null)
        {
            Console.WriteLine(string.Create(inv, $"| scikit-learn IterativeImputer | {iterative:F4} ± {iterativeStd:F4} |"));
            Console.WriteLine(string.Create(inv, $"| scikit-learn column mean (check) | {sklearnMean:F4} |"));
        }
        Console.WriteLine(string.Create(inv, $"| GAIN (paper, rounded) | {GainPaper:F4} ± {GainPaperStd:F4} |"));
        Console.WriteLine(string.Create(inv, $"# our imputer: {ours.SecondsPerSeed:F1} s per fit and transform"));
        string iterativeText = iterative is { } it ? it.ToString("F4", inv) : $"unavailable ({reference.Failure ?? "no letter result"})";
        Console.WriteLine(string.Create(inv,
            $"impute: letter rmse ours {ours.Ours.Rmse:F4} (rounded as GAIN {ours.OursGainRounded.Rmse:F4} vs paper {GainPaper:F4}), mean {ours.Mean.Rmse:F4}, "
            + $"knn {ours.Knn.Rmse:F4}, iterative {iterativeText}"));

        var oursScore = new SeedStatistics(ours.Ours.PerSeed);
        BenchResult[] rows =
        [
            oursScore.Result("letter RMSE, 20% MCAR", "", false) with
                { Peer = "scikit-learn IterativeImputer", PeerValue = iterative, PeerStd = iterativeStd, Note = "same protocol and seeds; numpy draws the peer's masks" },
            new SeedStatistics(ours.OursGainRounded.PerSeed).Result("letter RMSE, 20% MCAR, rounded as GAIN's code does", "", false) with
                { Peer = "GAIN (paper)", PeerValue = GainPaper, PeerStd = GainPaperStd, PeerKind = PeerKind.Published, Note = "both rounded by GAIN's rule; the paper's own masks and seeds" },
            oursScore.Result("letter RMSE, 20% MCAR", "", false) with
                { Peer = "column mean", PeerValue = ours.Mean.Rmse, PeerStd = ours.Mean.RmseStd, PeerKind = PeerKind.Baseline, Note = "same masks" },
            oursScore.Result("letter RMSE, 20% MCAR", "", false) with
                { Peer = "kNN (k = 5)", PeerValue = ours.Knn.Rmse, PeerStd = ours.Knn.RmseStd, PeerKind = PeerKind.Baseline, Note = "same masks" },
        ];
        foreach (BenchResult row in rows) Results.Add(row);
        return iterative is null ? 1 : 0;
    }
}
