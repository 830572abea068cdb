using System.Globalization;
using Latent.Applications.AnomalyDetection;
using Latent.Data;
using Latent.Engine;

namespace Latent.Bench;

/// <summary>
/// `anomaly --validate`: re-checks the detector's other defaults without the scored rows (the scorers are judged
/// leave-one-table-out by `anomaly` itself). For each ODDS table and seed the
/// split's fitted 60% (scikit-learn's rows, already in random order) is cut into its first 75% to fit on and its last
/// 25% to validate on; the 40% that the benchmark scores is never touched. Each variant changes one option from the
/// defaults; the table shows the validation ROC-AUC per table (mean over the seeds whose validation rows hold an
/// anomaly; a table without any such seed shows NaN and is left out of the mean) and the mean over tables.
/// Options: --seeds=N (3).
/// </summary>
internal static class AnomalyValidation
{
    private static readonly (string Name, AnomalyOptions Options)[] Variants =
    [
        ("defaults (autoencoders + kNN, k 5, ELU, 100 epochs, trim 0.3, 256 rows, 10 members)", new()),
        ("Neighbours 10", new() { Neighbours = 10 }),
        ("Epochs 50", new() { Epochs = 50 }),
        ("Epochs 200", new() { Epochs = 200 }),
        ("Activation ReLU", new() { Activation = Activation.Relu }),
        ("Activation tanh", new() { Activation = Activation.Tanh }),
        ("TrimFraction 0", new() { TrimFraction = 0 }),
        ("SampleRows 128", new() { SampleRows = 128 }),
        ("SampleRows 1024", new() { SampleRows = 1024 }),
    ];

    public static int Run(IReadOnlyDictionary<string, Dataset> tables, int seeds)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"# anomaly --validate: validation ROC-AUC on the last 25% of each split's fitted rows (fitted on the first 75%), {SeedStatistics.Range(seeds)}; the scored 40% is not used");
        var auc = new double[Variants.Length, tables.Count];
        var counted = new int[tables.Count];
        int t = 0;
        foreach (var (name, table) in tables)
        {
            bool[] anomalous = [.. table.Labels!.Select(l => l != 0)];
            var (splits, failure) = PyodSplits.Of(table.Rows, seeds);
            if (failure is not null) Console.WriteLine($"the peers' splits are unavailable ({failure}); using our own seeded splits");
            foreach (RowSplit split in splits ?? PyodSplits.Fallback(table.Rows, seeds))
            {
                int cut = (int)(0.75 * split.Fit.Length);
                int[] validation = split.Fit[cut..];
                bool[] truth = [.. validation.Select(r => anomalous[r])];
                if (!truth.Contains(true))
                {
                    Console.WriteLine($"  {name}, seed {split.Seed}: no anomaly among the {validation.Length} validation rows; left out");
                    continue;
                }
                counted[t]++;
                using Tensor fit = Ops.SelectRows(table.Features, split.Fit[..cut]), held = Ops.SelectRows(table.Features, validation);
                for (int v = 0; v < Variants.Length; v++)
                {
                    AnomalyDetector detector = AnomalyDetector.Fit(fit, Variants[v].Options with { Seed = (ulong)split.Seed });
                    auc[v, t] += AnomalyMetrics.RocAuc(detector.Score(held).Scores, truth);
                }
            }
            for (int v = 0; v < Variants.Length; v++) auc[v, t] = counted[t] > 0 ? auc[v, t] / counted[t] : double.NaN;
            Console.WriteLine($"  {name} done");
            t++;
        }

        Console.WriteLine();
        Console.WriteLine($"| variant | {string.Join(" | ", tables.Keys)} | mean |");
        Console.WriteLine($"| --- |{string.Concat(Enumerable.Repeat(" ---: |", tables.Count + 1))}");
        for (int v = 0; v < Variants.Length; v++)
        {
            double[] row = [.. Enumerable.Range(0, tables.Count).Select(i => auc[v, i])];
            Console.WriteLine($"| {Variants[v].Name} | {string.Join(" | ", row.Select(a => a.ToString("F3", inv)))} | {row.Where(double.IsFinite).Average().ToString("F3", inv)} |");
        }
        return 0;
    }
}
