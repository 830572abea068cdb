using System.CommandLine;
using System.Globalization;
using Latent.Applications.AnomalyDetection;
using Latent.Cli.Terminal;
using Latent.Data;
using Latent.Reporting;

namespace Latent.Cli.Verbs;

/// <summary>`latent detect evaluate`: the PyOD benchmark protocol on a labelled CSV table.</summary>
internal static class DetectEvaluateCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "A CSV table with a label column.", Required = true };
        var labelColumn = new Option<string?>("--label-column") { Description = "The column that says which rows are anomalies (hidden from the detector).", Required = true };
        var normalLabel = new Option<string>("--normal-label") { Description = "The label of normal rows; every other label is an anomaly.", DefaultValueFactory = _ => "0" };
        var exclude = CommonOptions.Exclude("Other columns that are not features (ids), comma-separated; they are left out.");
        var seeds = new Option<int>("--seeds") { Description = "Random splits; results are mean ± std.", DefaultValueFactory = _ => AnomalyEvaluation.DefaultSeeds };
        var settings = new DetectorSettings(windows: false);
        var json = CommonOptions.Json();
        var command = new Command("evaluate",
            "The PyOD benchmark protocol: fit on a random 60% of the rows with the labels hidden, score the other 40%, report ROC-AUC and PR-AUC (mean ± std over seeds).")
        {
            data, labelColumn, normalLabel, exclude, seeds, json,
        };
        foreach (Option option in settings.All) command.Add(option);
        command.SetAction((parse, cancel) =>
        {
            AnomalyOptions options = settings.Read(parse, exclude: []);   // the label and --exclude are left out by the evaluation
            int repeats = parse.GetValue(seeds);
            string path = parse.GetValue(data)!, label = parse.GetValue(labelColumn)!;
            CsvTable table = CsvTable.Read(path);
            ColumnSelection columns = CommonOptions.Columns(parse, labelColumn, exclude);
            columns.Check(table.ColumnNames, $"the CSV file '{path}'");
            bool[] anomalous = Anomalous(table.Column(label), parse.GetValue(normalLabel)!, path);
            int anomalies = anomalous.Count(a => a);
            if (anomalies == 0 || anomalies == anomalous.Length)
                throw new InvalidDataException($"Column '{label}' of '{path}' marks {(anomalies == 0 ? "no row" : "every row")} as an anomaly; the evaluation needs both kinds.");
            bool quiet = parse.GetValue(json);
            var inv = CultureInfo.InvariantCulture;
            if (!quiet)
                Console.WriteLine(string.Create(inv, $"PyOD protocol on {Counted.Of(table.Rows, "row")} ({Counted.Of(anomalies, "anomaly", "anomalies")}, {100.0 * anomalies / table.Rows:F1}%): fit on 60% without labels, score 40%, {Counted.Of(repeats, "seed")}."));
            AnomalyEvaluationResult result = quiet
                ? AnomalyEvaluation.Run(table, anomalous, columns.LeftOut, options, repeats, cancel: cancel)
                : TrainingProgressView.Run("Fitting and scoring", progress => AnomalyEvaluation.Run(table, anomalous, columns.LeftOut, options, repeats, progress, cancel));
            cancel.ThrowIfCancellationRequested();   // a cancelled fit ends early: its scores are not the evaluation's
            if (quiet)
            {
                JsonOutput.Print(new
                {
                    data = path, rows = table.Rows, anomalies, seeds = repeats, roc_auc = result.RocAuc, roc_auc_std = result.RocAucStd,
                    pr_auc = result.PrAuc, pr_auc_std = result.PrAucStd, precision = result.Precision, recall = result.Recall, f1 = result.F1,
                    threshold_rule = options.Threshold.ToString(),
                    per_seed = result.Splits.Select(s => new
                    {
                        seed = s.Seed, roc_auc = s.RocAuc, pr_auc = s.PrAuc, threshold = s.Threshold, precision = s.AtThreshold.Precision,
                        recall = s.AtThreshold.Recall, f1 = s.AtThreshold.F1,
                    }),
                });
                return Task.FromResult(0);
            }
            Console.WriteLine($"seed  ROC-AUC  PR-AUC  precision  recall     F1   (threshold: {options.Threshold})");
            foreach (EvaluationSplit s in result.Splits)
                Console.WriteLine(string.Create(inv, $"{s.Seed,4}  {s.RocAuc,7:F4}  {s.PrAuc,6:F4}  {s.AtThreshold.Precision,9:F3}  {s.AtThreshold.Recall,6:F3}  {s.AtThreshold.F1,5:F3}"));
            Console.WriteLine(string.Create(inv, $"ROC-AUC {result.RocAuc:F4} ± {result.RocAucStd:F4}, PR-AUC {result.PrAuc:F4} ± {result.PrAucStd:F4}; at the threshold: precision {result.Precision:F3}, recall {result.Recall:F3}, F1 {result.F1:F3}."));
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>Whether each row's label differs from the normal label (compared as numbers when both are numbers).</summary>
    private static bool[] Anomalous(TableColumn labels, string normal, string path)
    {
        bool numeric = double.TryParse(normal, NumberStyles.Float, CultureInfo.InvariantCulture, out double normalValue);
        var anomalous = new bool[labels.Length];
        for (int r = 0; r < anomalous.Length; r++)
        {
            string text = labels.Text(r) ?? throw new InvalidDataException($"The CSV file '{path}' has no label in data row {r} of column '{labels.Name}'.");
            anomalous[r] = numeric && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value != normalValue : text != normal.Trim();
        }
        return anomalous;
    }
}
