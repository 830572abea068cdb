using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Latent.Applications.AnomalyDetection;
using Latent.Data;
using Latent.Engine;

namespace Latent.Bench;

/// <summary>
/// `anomaly`: the PyOD benchmark protocol (fit on a random 60% with the labels hidden, score the other 40%, 5 seeds)
/// on the ODDS tables cardio, thyroid and satellite ($LATENT_DATA/odds) for our detector with default options, and in
/// the same run IsolationForest and PCA from shared/reference/sklearn_baselines.py (section c; it fits and scores all
/// rows, as its docstring says). Then ECG5000 in the spirit of the TensorFlow autoencoder tutorial: train on a
/// seeded random 80% of the normal beats (class 1) of the 500-beat TRAIN split, threshold from the training scores
/// (the detector's auto rule), accuracy, precision and recall on the other normal beats and all abnormal ones.
/// Options: --seeds=N (5), --threads=N (2), --quick (1 seed, no reference).
/// </summary>
internal static class AnomalyBenchmark
{
    private static readonly string[] Tables = ["cardio", "thyroid", "satellite"];

    // ROC-AUC of PyOD's AutoEncoder in PyOD's published benchmark (same protocol); thyroid has no published value there.
    private static readonly Dictionary<string, double> PyodAutoEncoder = new() { ["cardio"] = 0.817, ["satellite"] = 0.663 };

    public static int Run(string[] args)
    {
        bool quick = args.Contains("--quick");
        int seeds = quick ? 1 : BenchArgs.Int(args, "--seeds", 5), threads = BenchArgs.Int(args, "--threads", 2);
        Parallelism.Threads = threads;
        var inv = CultureInfo.InvariantCulture;
        string data = Environment.GetEnvironmentVariable("LATENT_DATA") is { Length: > 0 } d ? d : Path.Combine("..", "shared", "data");
        Console.WriteLine($"# anomaly: PyOD protocol (60% fit, labels hidden, 40% scored) on ODDS, {seeds} seeds; ECG5000 TF-tutorial protocol; {threads} threads");

        ReferenceResult? reference = quick ? null : ReferenceScript.Run("sklearn_baselines.py", ["--only=c", $"--seeds={seeds}", $"--threads={threads}"]);
        var baselines = new Dictionary<string, JsonElement>();
        if (reference?.Json is { } json)
            foreach (JsonElement row in json.GetProperty("odds").EnumerateArray()) baselines[row.GetProperty("dataset").GetString()!] = row;

        var options = new AnomalyOptions();
        var ours = new Dictionary<string, AnomalyEvaluationResult>();
        Console.WriteLine();
        Console.WriteLine("| data | rows | columns | anomalies | ours ROC-AUC | ours PR-AUC | ours F1 (auto threshold) | IsolationForest | PCA (PyOD) | PCA (90% var.) | PyOD AutoEncoder (published) | ours s/seed |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (string name in Tables)
        {
            Dataset table = DataSource.Load(Path.Combine(data, "odds", name + ".csv"), Split.Train, columns: new ColumnSelection(Label: "label"));
            bool[] anomalous = [.. table.Labels!.Select(l => l != 0)];
            var clock = Stopwatch.StartNew();
            AnomalyEvaluationResult result = AnomalyEvaluation.Run(table.Features, anomalous, options, seeds);
            double seconds = clock.Elapsed.TotalSeconds / seeds;
            ours[name] = result;
            string Baseline(string key) => baselines.TryGetValue(name, out JsonElement b) ? b.GetProperty(key).GetDouble().ToString("F3", inv) : "n/a";
            string iforest = baselines.TryGetValue(name, out JsonElement r)
                ? string.Create(inv, $"{r.GetProperty("iforest_auc").GetDouble():F3} ± {r.GetProperty("iforest_auc_std").GetDouble():F3}") : "n/a";
            string published = PyodAutoEncoder.TryGetValue(name, out double p) ? p.ToString("F3", inv) : "—";
            Console.WriteLine(string.Create(inv,
                $"| {name} | {table.Rows:N0} | {table.Columns} | {anomalous.Count(a => a) * 100.0 / anomalous.Length:F1}% | {result.RocAuc:F3} ± {result.RocAucStd:F3} | {result.PrAuc:F3} ± {result.PrAucStd:F3} | {result.F1:F3} | {iforest} | {Baseline("pyod_pca_auc")} | {Baseline("pca_k90_auc")} | {published} | {seconds:F1} |"));
            Results.Add(new($"ROC-AUC, {name}", result.RocAuc, "", HigherIsBetter: true) { Peer = "scikit-learn IsolationForest", PeerValue = baselines.TryGetValue(name, out JsonElement own) ? own.GetProperty("iforest_auc").GetDouble() : null, Seeds = seeds, OursStd = result.RocAucStd, Detail = true, Comparable = false, Note = "the reference fits and scores all rows" });
            if (PyodAutoEncoder.TryGetValue(name, out double pyod)) Results.Add(new($"ROC-AUC, {name}", result.RocAuc, "", HigherIsBetter: true) { Peer = "PyOD AutoEncoder (PyOD benchmark)", PeerValue = pyod, PeerKind = PeerKind.Published, Seeds = seeds, OursStd = result.RocAucStd, Detail = true });
        }

        var (accuracy, precision, recall) = Ecg5000(Path.Combine(data, "ecg5000", "ECG5000_TRAIN.txt"), options, seeds);
        Console.WriteLine();
        Console.WriteLine(string.Create(inv, $"ECG5000 (train on 80% of normal beats, auto threshold from the training scores, {seeds} seeds): accuracy {accuracy:F3}, precision {precision:F3}, recall {recall:F3} (TensorFlow tutorial: accuracy 0.944)"));

        double oursMean = ours.Values.Average(v => v.RocAuc);
        string Mean(string key) => Tables.All(baselines.ContainsKey) ? Tables.Average(t => baselines[t].GetProperty(key).GetDouble()).ToString("F3", inv) : "n/a";
        if (reference is { Succeeded: false }) Console.WriteLine($"reference unavailable: {reference.Failure}");
        Console.WriteLine(string.Create(inv, $"anomaly: mean roc-auc ours {oursMean:F3}, iforest {Mean("iforest_auc")}, pca {Mean("pyod_pca_auc")}; ecg5000 accuracy {accuracy:F3}"));
        double? MeanOf(string key) => Tables.All(baselines.ContainsKey) ? Tables.Average(t => baselines[t].GetProperty(key).GetDouble()) : null;
        Results.Add(new("ROC-AUC, mean of cardio, thyroid, satellite", oursMean, "", HigherIsBetter: true) { Peer = "scikit-learn IsolationForest", PeerValue = MeanOf("iforest_auc"), Seeds = seeds, Comparable = false, Note = "the reference fits and scores all rows" });
        Results.Add(new("ROC-AUC, mean of cardio, thyroid, satellite", oursMean, "", HigherIsBetter: true) { Peer = "scikit-learn PCA (PyOD's)", PeerValue = MeanOf("pyod_pca_auc"), Seeds = seeds, Comparable = false, Note = "the reference fits and scores all rows" });
        Results.Add(new("ECG5000 accuracy", accuracy, "", HigherIsBetter: true) { Peer = "TensorFlow autoencoder tutorial", PeerValue = 0.944, PeerKind = PeerKind.Published, Seeds = seeds, Comparable = false, Note = "the tutorial's test set is about 58% normal beats, ours 22%" });
        return reference is { Succeeded: false } ? 1 : 0;
    }

    /// <summary>Mean accuracy, precision and recall over seeds (anomaly = abnormal beat).</summary>
    private static (double Accuracy, double Precision, double Recall) Ecg5000(string path, AnomalyOptions options, int seeds)
    {
        var lines = File.ReadAllLines(path).Where(l => l.Trim().Length > 0).ToArray();
        int length = lines[0].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length - 1;
        var values = new float[lines.Length * length];
        var normal = new bool[lines.Length];
        for (int i = 0; i < lines.Length; i++)
        {
            string[] cells = lines[i].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            normal[i] = double.Parse(cells[0], CultureInfo.InvariantCulture) == 1;
            for (int j = 0; j < length; j++) values[i * length + j] = float.Parse(cells[j + 1], CultureInfo.InvariantCulture);
        }
        using Tensor beats = Tensor.FromArray(values, lines.Length, length);
        int[] normals = [.. Enumerable.Range(0, lines.Length).Where(i => normal[i])];
        double accuracy = 0, precision = 0, recall = 0;
        for (int seed = 0; seed < seeds; seed++)
        {
            int[] order = new Rng((ulong)seed).Permutation(normals.Length);
            int train = (int)(0.8 * normals.Length);
            int[] trainRows = [.. order[..train].Select(i => normals[i])];
            int[] testRows = [.. order[train..].Select(i => normals[i]), .. Enumerable.Range(0, lines.Length).Where(i => !normal[i])];
            using Tensor trainBeats = Ops.SelectRows(beats, trainRows), testBeats = Ops.SelectRows(beats, testRows);
            AnomalyDetector detector = AnomalyDetector.Fit(trainBeats, options with { Seed = (ulong)seed });
            ConfusionMatrix m = ConfusionMatrix.Of(detector.Score(testBeats).Flags, [.. testRows.Select(i => !normal[i])]);
            accuracy += m.Accuracy / seeds;
            precision += m.Precision / seeds;
            recall += m.Recall / seeds;
        }
        return (accuracy, precision, recall);
    }
}
