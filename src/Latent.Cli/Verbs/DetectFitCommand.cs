using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Latent.Applications.AnomalyDetection;
using Latent.Cli.Terminal;
using Latent.Data;
using Latent.Reporting;

namespace Latent.Cli.Verbs;

/// <summary>`latent detect fit`: learn normal rows from a CSV table (or time series) and save the detector.</summary>
internal static class DetectFitCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "A CSV table of mostly normal rows (numeric and categorical columns).", Required = true };
        var output = CommonOptions.Out("Where to save the detector (.safetensors).");
        var labelColumn = CommonOptions.LabelColumn("A column of labels (e.g. known anomalies), kept out of the features; 'detect score' echoes it.");
        var exclude = CommonOptions.Exclude("Columns that are not features (ids), comma-separated; they are left out and echoed by 'detect score'.");
        var timeColumn = new Option<string?>("--time-column") { Description = "Time series: the time stamp column (left out of the features, echoed by 'detect score')." };
        var settings = new DetectorSettings(windows: true);
        var json = CommonOptions.Json();
        var force = CommonOptions.Force();
        var command = new Command("fit", "Fit an anomaly detector on a CSV table of mostly normal rows and save it.") { data, output, labelColumn, exclude, timeColumn, json, force };
        foreach (Option option in settings.All) command.Add(option);
        command.SetAction((parse, cancel) =>
        {
            string outPath = parse.GetValue(output)!, dataPath = parse.GetValue(data)!;
            ColumnSelection columns = CommonOptions.Columns(parse, labelColumn, exclude);
            if (parse.GetValue(timeColumn) is { } time) columns = columns with { Exclude = [.. columns.Exclude ?? [], time] };
            AnomalyOptions options = settings.Read(parse, columns.LeftOut);
            OutputFile detectorFile = OutputFile.File(outPath, output.Name, parse.GetValue(force), (data.Name, dataPath));
            CsvTable table = CsvTable.Read(dataPath);
            columns.Check(table.ColumnNames, $"the CSV file '{dataPath}'");
            var clock = Stopwatch.StartNew();
            AnomalyDetector detector = parse.GetValue(json)
                ? AnomalyDetector.Fit(table, options, cancel: cancel)
                : TrainingProgressView.Run($"Fitting {Counted.Of(options.Members, "autoencoder")} on {Counted.Of(table.Rows, "row")}",
                    progress => AnomalyDetector.Fit(table, options, progress, cancel));
            double seconds = clock.Elapsed.TotalSeconds;
            AnomalyReport fitted = detector.Score(table);
            detector.Save(detectorFile.Staging);
            OutputFile.CommitAll(cancel);

            double flagged = (double)fitted.FlaggedCount / fitted.Count;
            if (parse.GetValue(json))
            {
                JsonOutput.Print(new
                {
                    detector = outPath, rows = table.Rows, columns = detector.Columns, dropped_columns = detector.DroppedColumns,
                    threshold = detector.Threshold, threshold_rule = options.Threshold.ToString(), flagged_fraction = flagged,
                    members = options.Members, window = options.Window, stride = options.Window is null ? (int?)null : options.Stride, fit_seconds = seconds,
                });
                return Task.FromResult(0);
            }
            var inv = CultureInfo.InvariantCulture;
            string what = options.Window is { } w ? $"windows of {Counted.Of(w, "row")} (stride {options.Stride}) of " : "";
            Console.WriteLine(string.Create(inv,
                $"Fitted {Scorers(options)} on {what}{Counted.Of(table.Rows, "row")} × {Counted.Of(detector.Columns.Count, "column")} in {seconds:F1} s."));
            if (detector.DroppedColumns.Count > 0) Console.WriteLine($"Constant columns, ignored: {string.Join(", ", detector.DroppedColumns)}.");
            Console.WriteLine(string.Create(inv, $"Threshold {detector.Threshold:G4} ({options.Threshold}) flags {100 * flagged:F1}% of the fitted rows."));
            Console.WriteLine($"Saved {outPath}.");
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>"10 LSTM autoencoders and 10 neighbour samples": what the detector scores with.</summary>
    private static string Scorers(AnomalyOptions options)
    {
        var parts = new List<string>();
        if (options.Scorers.HasFlag(AnomalyScorers.Autoencoders))
            parts.Add(Counted.Of(options.Members, options.Autoencoder == DetectorAutoencoder.Lstm ? "LSTM autoencoder" : "autoencoder"));
        if (options.Scorers.HasFlag(AnomalyScorers.Neighbours)) parts.Add(Counted.Of(options.Members, "neighbour sample"));
        if (options.Scorers.HasFlag(AnomalyScorers.Tails)) parts.Add("the columns' tails");
        return string.Join(" and ", parts);
    }
}
