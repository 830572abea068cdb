using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Latent.Applications.AnomalyDetection;
using Latent.Data;
using Latent.Engine;

namespace Latent.Bench;

/// <summary>
/// `anomaly`: (1) PyOD's benchmark protocol on the ODDS tables cardio, thyroid and satellite ($LATENT_DATA/odds): per
/// seed 0..S−1 one random 60/40 split, a detector fitted on the 60% with the labels hidden (anomalies included), the
/// other 40% scored. The splits are scikit-learn's <c>train_test_split(test_size=0.4, random_state=seed)</c>, read
/// from bench/reference/pyod_splits.py, and shared/reference/sklearn_baselines.py (section c, same seeds) fits
/// IsolationForest and PCA on the very same rows, so every column of the table is measured the same way.
/// (2) ECG5000 after the TensorFlow autoencoder tutorial: train on a seeded 80% of the normal beats (class 1) of the
/// 500-beat TRAIN split, threshold from the training scores (the detector's auto rule); ROC-AUC and balanced accuracy
/// on the other normal beats and all abnormal ones (neither depends on the share of normal beats), and accuracy on a
/// test set with the tutorial's mix (56% normal: a seeded subsample of the abnormal beats).
/// Options: --seeds=N (5), --threads=N (2), --quick (1 seed), --validate (re-check the detector's defaults on
/// validation rows carved from each split's fitted rows; see <see cref="AnomalyValidation"/>).
/// </summary>
internal static class AnomalyBenchmark
{
    private static readonly string[] Tables = ["cardio", "thyroid", "satellite"];
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    // ROC-AUC of PyOD's AutoEncoder in PyOD's published benchmark (same protocol, one split of its own); no thyroid there.
    private static readonly Dictionary<string, double> PyodAutoEncoder = new() { ["cardio"] = 0.817, ["satellite"] = 0.663 };

    // The tutorial's printed test figures (normal = positive) are 507 of its 560 normal and 436 of its 440 abnormal beats right.
    private const double TutorialNormalShare = 560 / 1000.0, TutorialAccuracy = 0.943, TutorialBalancedAccuracy = (507 / 560.0 + 436 / 440.0) / 2;

    private sealed record SplitScore(double RocAuc, double PrAuc, double F1);

    public static int Run(string[] args)
    {
        bool quick = args.Contains("--quick");
        int seeds = quick ? 1 : BenchOptions.Int(args, "--seeds", 5), threads = BenchOptions.Int(args, "--threads", 2);
        Parallelism.Threads = threads;
        string data = Environment.GetEnvironmentVariable("LATENT_DATA") is { Length: > 0 } d ? d : Path.Combine("..", "shared", "data");
        var tables = Tables.ToDictionary(t => t, t => DataSource.Load(Path.Combine(data, "odds", t + ".csv"), Split.Train, columns: new ColumnSelection(Label: "label")));
        if (args.Contains("--validate")) return AnomalyValidation.Run(tables, quick ? 1 : BenchOptions.Int(args, "--seeds", 3));

        string[] protocol =
        [
            $"ODDS cardio, thyroid, satellite: PyOD's protocol, {SeedStatistics.Range(seeds)}: per seed scikit-learn's train_test_split(test_size=0.4, "
                + "random_state=seed); fit on the 60% with the labels hidden, score the 40%; mean ± population std over seeds; every method on the same rows",
            "ECG5000 TRAIN (500 beats): fit on a seeded 80% of the normal beats, auto threshold from the training scores; ROC-AUC and balanced accuracy on "
                + "the other normal beats + all abnormal ones; accuracy on a test set with the tutorial's 56% normal beats (seeded subsample of the abnormal "
                + $"ones); {SeedStatistics.Range(seeds)}",
            "our detector runs with its default options; how they were chosen: see `anomaly --validate` (validation rows carved from each split's fitted rows, never the scored rows)",
            $"{threads} threads{(quick ? "; quick run: 1 seed, not for quoting" : "")}",
        ];
        foreach (string line in protocol) Console.WriteLine("# anomaly: " + line);

        var ours = new Dictionary<string, SeedStatistics>();
        var baselines = new Dictionary<string, JsonElement>();
        ReferenceResult reference = ReferenceScript.Run("sklearn_baselines.py", ["--only=c", "--protocol=pyod", $"--odds={string.Join(",", Tables)}", $"--seeds={seeds}", $"--threads={threads}"]);
        if (reference.Json is { } json)
            foreach (JsonElement row in json.GetProperty("odds").EnumerateArray()) baselines[row.GetProperty("dataset").GetString()!] = row;
        else Console.WriteLine($"reference unavailable: {reference.Failure}");

        Console.WriteLine();
        Console.WriteLine("| data | rows | columns | anomalies | ours ROC-AUC | ours PR-AUC | ours F1 (auto threshold) | IsolationForest | PCA (PyOD) "
            + "| PCA (90% var.) | PyOD AutoEncoder (published, one split) | ours s/split |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (name, table) in tables)
        {
            bool[] anomalous = [.. table.Labels!.Select(l => l != 0)];
            var (splits, failure) = PyodSplits.Of(table.Rows, seeds);
            if (failure is not null) Console.WriteLine($"the peers' splits are unavailable ({failure}); ours uses its own seeded splits, other rows than the peers'");
            var clock = Stopwatch.StartNew();
            SplitScore[] scores = [.. (splits ?? PyodSplits.Fallback(table.Rows, seeds)).Select(s => Score(table.Features, anomalous, s))];
            double seconds = clock.Elapsed.TotalSeconds / seeds;
            var roc = new SeedStatistics([.. scores.Select(s => s.RocAuc)]);
            var pr = new SeedStatistics([.. scores.Select(s => s.PrAuc)]);
            ours[name] = roc;
            bool sameRows = splits is not null;
            JsonElement? peer = baselines.TryGetValue(name, out JsonElement b) ? b : null;
            double? Peer(string key) => peer?.GetProperty(key).GetDouble();
            string Text(double? value) => value?.ToString("F3", Inv) ?? "n/a";
            string iforest = peer is null ? "n/a" : string.Create(Inv, $"{Peer("iforest_auc"):F3} ± {Peer("iforest_auc_std"):F3}");
            string published = PyodAutoEncoder.TryGetValue(name, out double p) ? p.ToString("F3", Inv) : "—";
            Console.WriteLine(string.Create(Inv,
                $"| {name} | {table.Rows} | {table.Columns} | {anomalous.Count(a => a) * 100.0 / anomalous.Length:F1}% | {roc.Format()} | {pr.Format()} | "
                + $"{scores.Average(s => s.F1):F3} | {iforest} | {Text(Peer("pyod_pca_auc"))} | {Text(Peer("pca_k90_auc"))} | {published} | {seconds:F1} |"));

            string rowsNote = sameRows ? "same splits, same rows" : "the peers' splits were unavailable: other rows";
            Results.Add(roc.Result($"ROC-AUC, {name}", "", true) with
                { Peer = "scikit-learn IsolationForest", PeerValue = Peer("iforest_auc"), PeerStd = Peer("iforest_auc_std"), Comparable = sameRows, Note = rowsNote });
            Results.Add(roc.Result($"ROC-AUC, {name}", "", true) with
                { Peer = "PyOD's PCA score (scikit-learn)", PeerValue = Peer("pyod_pca_auc"), Comparable = sameRows, Note = rowsNote + "; the peer's std is not reported" });
            if (PyodAutoEncoder.TryGetValue(name, out double pyod))
                Results.Add(roc.Result($"ROC-AUC, {name}", "", true) with
                    { Peer = "PyOD AutoEncoder (PyOD benchmark)", PeerValue = pyod, PeerKind = PeerKind.Published, Note = "same protocol; PyOD's figure is one 60/40 split of its own" });
            Results.Add(pr.Result($"PR-AUC, {name}", "", true) with { Peer = "chance (the anomaly share)", PeerValue = anomalous.Count(a => a) / (double)anomalous.Length, PeerKind = PeerKind.Baseline });
        }

        Ecg ecg = Ecg5000(Path.Combine(data, "ecg5000", "ECG5000_TRAIN.txt"), seeds);
        Console.WriteLine();
        Console.WriteLine(string.Create(Inv,
            $"ECG5000 ({seeds} seeds): ROC-AUC {ecg.RocAuc.Format()}, balanced accuracy {ecg.BalancedAccuracy.Format()} (tutorial {TutorialBalancedAccuracy:F3}, from its printed figures)"));
        Console.WriteLine(string.Create(Inv,
            $"  at the tutorial's 56% normal beats: accuracy {ecg.Accuracy.Format()} (tutorial {TutorialAccuracy:F3}); normal beats as the positive class, "
            + $"as the tutorial counts: precision {ecg.NormalPrecision.Format()} (0.992), recall {ecg.NormalRecall.Format()} (0.905)"));
        Console.WriteLine($"  ({ecg.TrainBeats} normal beats to learn from against the tutorial's ~2,300: its 4,998-beat file holds the TEST split we lack)");
        const string EcgNote = "the tutorial trains on ~2,300 normal beats of the 4,998-beat file, we on the 233 of the 500-beat TRAIN split";
        Results.Add(ecg.Accuracy.Result("ECG5000 accuracy at the tutorial's 56% normal beats", "", true) with
            { Peer = "TensorFlow autoencoder tutorial", PeerValue = TutorialAccuracy, PeerKind = PeerKind.Published, Note = EcgNote });
        Results.Add(ecg.BalancedAccuracy.Result("ECG5000 balanced accuracy", "", true) with
            {
                Peer = "TensorFlow autoencoder tutorial", PeerValue = TutorialBalancedAccuracy, PeerKind = PeerKind.Published,
                Note = EcgNote + "; the tutorial's figure is derived from its printed accuracy, precision and recall",
            });
        Results.Add(ecg.RocAuc.Result("ECG5000 ROC-AUC", "", true));

        double oursMean = Tables.Average(t => ours[t].Mean);
        double? MeanOf(string key) => Tables.All(baselines.ContainsKey) ? Tables.Average(t => baselines[t].GetProperty(key).GetDouble()) : null;
        string meanNote = $"mean over {string.Join(", ", Tables)} of the per-table means";
        Results.Add(new BenchResult("ROC-AUC, mean of 3 ODDS tables", oursMean, "", true) { Peer = "scikit-learn IsolationForest", PeerValue = MeanOf("iforest_auc"), Seeds = seeds, Note = meanNote });
        Results.Add(new BenchResult("ROC-AUC, mean of 3 ODDS tables", oursMean, "", true) { Peer = "PyOD's PCA score (scikit-learn)", PeerValue = MeanOf("pyod_pca_auc"), Seeds = seeds, Note = meanNote });
        string Mean(string key) => MeanOf(key)?.ToString("F3", Inv) ?? "n/a";
        Console.WriteLine(string.Create(Inv,
            $"anomaly: mean roc-auc ours {oursMean:F3}, iforest {Mean("iforest_auc")}, pca {Mean("pyod_pca_auc")} (same {(seeds == 1 ? "split" : $"{seeds} splits")}); ecg5000 accuracy "
            + $"{ecg.Accuracy.Mean:F3} at 56% normal (tutorial {TutorialAccuracy:F3}), balanced {ecg.BalancedAccuracy.Mean:F3} ({TutorialBalancedAccuracy:F3}), roc-auc {ecg.RocAuc.Mean:F3}"));
        return reference.Succeeded ? 0 : 1;
    }

    /// <summary>Fits our detector (default options, seeded with the split's seed) on the split's fitted rows and scores the others.</summary>
    private static SplitScore Score(Tensor data, bool[] anomalous, RowSplit split)
    {
        using Tensor fit = Ops.SelectRows(data, split.Fit), scored = Ops.SelectRows(data, split.Scored);
        AnomalyReport report = AnomalyDetector.Fit(fit, new AnomalyOptions { Seed = (ulong)split.Seed }).Score(scored);
        bool[] truth = [.. split.Scored.Select(r => anomalous[r])];
        return new SplitScore(AnomalyMetrics.RocAuc(report.Scores, truth), AnomalyMetrics.AveragePrecision(report.Scores, truth), ConfusionMatrix.Of(report.Flags, truth).F1);
    }

    private sealed record Ecg(SeedStatistics RocAuc, SeedStatistics BalancedAccuracy, SeedStatistics Accuracy, SeedStatistics NormalPrecision,
        SeedStatistics NormalRecall, int TrainBeats);

    private static Ecg Ecg5000(string path, int seeds)
    {
        var lines = File.ReadAllLines(path).Where(l => l.Trim().Length > 0).ToArray();
        int length = lines[0].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length - 1;
        var values = new float[lines.Length * length];
        var normal = new bool[lines.Length];
        for (int i = 0; i < lines.Length; i++)
        {
            string[] cells = lines[i].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            normal[i] = double.Parse(cells[0], Inv) == 1;
            for (int j = 0; j < length; j++) values[i * length + j] = float.Parse(cells[j + 1], Inv);
        }
        using Tensor beats = Tensor.FromArray(values, lines.Length, length);
        int[] normals = [.. Enumerable.Range(0, lines.Length).Where(i => normal[i])];
        int[] abnormals = [.. Enumerable.Range(0, lines.Length).Where(i => !normal[i])];
        int train = (int)(0.8 * normals.Length);
        List<double> roc = [], balanced = [], accuracy = [], precision = [], recall = [];
        for (int seed = 0; seed < seeds; seed++)
        {
            int[] order = new Rng((ulong)seed).Permutation(normals.Length);
            int[] trainRows = [.. order[..train].Select(i => normals[i])], heldOut = [.. order[train..].Select(i => normals[i])];
            int[] testRows = [.. heldOut, .. abnormals];
            using Tensor trainBeats = Ops.SelectRows(beats, trainRows), testBeats = Ops.SelectRows(beats, testRows);
            AnomalyReport report = AnomalyDetector.Fit(trainBeats, new AnomalyOptions { Seed = (ulong)seed }).Score(testBeats);
            bool[] truth = [.. testRows.Select(i => !normal[i])];
            ConfusionMatrix all = ConfusionMatrix.Of(report.Flags, truth);
            roc.Add(AnomalyMetrics.RocAuc(report.Scores, truth));
            balanced.Add((all.Recall + 1 - all.FalsePositiveRate) / 2);

            // The tutorial's mix: all held-out normal beats and a seeded sample of the abnormal ones (test rows after the normal ones).
            int abnormalCount = (int)Math.Round(heldOut.Length * (1 - TutorialNormalShare) / TutorialNormalShare);
            int[] mix = [.. Enumerable.Range(0, heldOut.Length), .. new Rng(1000 + (ulong)seed).Permutation(abnormals.Length)[..abnormalCount].Select(i => heldOut.Length + i)];
            ConfusionMatrix m = ConfusionMatrix.Of([.. mix.Select(i => report.Flags[i])], [.. mix.Select(i => truth[i])]);
            accuracy.Add(m.Accuracy);
            precision.Add(m.TrueNegatives / (double)Math.Max(1, m.TrueNegatives + m.FalseNegatives));   // of the beats called normal, the normal ones
            recall.Add(1 - m.FalsePositiveRate);                                                          // of the normal beats, those called normal
        }
        return new Ecg(new(roc), new(balanced), new(accuracy), new(precision), new(recall), train);
    }
}
