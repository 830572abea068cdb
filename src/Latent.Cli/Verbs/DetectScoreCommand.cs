using System.CommandLine;
using System.Globalization;
using CsvHelper;
using Latent.Applications.AnomalyDetection;
using Latent.Cli.Terminal;
using Latent.Data;
using Latent.Reporting;
using Latent.Storage;

namespace Latent.Cli.Verbs;

/// <summary>
/// `latent detect score`: score every row of a CSV file with a saved detector, reading and writing in chunks so that
/// memory stays constant however large the file. Columns are matched by name, in any order. Output: the row number (from
/// 0, as everywhere), the columns left out (by the detector or here: ids, labels, time stamps), the score, the flag and
/// the columns that contributed most, each with its share of the score.
/// </summary>
internal static class DetectScoreCommand
{
    public static Command Create()
    {
        var detectorPath = new Option<string>("--model") { Description = "A detector saved by 'latent detect fit'.", Required = true };
        var data = new Option<string>("--data") { Description = "The CSV file to score, with the columns the detector was fitted on.", Required = true };
        var output = CommonOptions.Out("The CSV file of scores to write.");
        var labelColumn = CommonOptions.LabelColumn("A column of labels, not scored; it is echoed.");
        var exclude = CommonOptions.Exclude("Columns the detector was not fitted on (ids), comma-separated; they are not scored but echoed.");
        var top = new Option<int>("--top") { Description = "How many top contributing columns to list per row, each with its share of the score.", DefaultValueFactory = _ => 3 };
        var chunkRows = new Option<int>("--chunk-rows") { Description = "Rows read and scored at a time (bounds memory).", DefaultValueFactory = _ => CsvChunkReader.DefaultChunkRows };
        var report = new Option<string?>("--report")
        {
            Description = "Also write an HTML page of the rows in order (a time series): scores, flagged stretches, the values of a one-column series and, with --label-column, the labelled stretches. It keeps every row's score in memory.",
        };
        var normalLabel = new Option<string>("--normal-label")
        {
            Description = "With --report and --label-column: the label of normal rows, as written in the file; every other label marks an anomaly.", DefaultValueFactory = _ => "0",
        };
        var json = CommonOptions.Json();
        var force = CommonOptions.Force();
        var command = new Command("score", "Score the rows of a CSV file with a saved detector: score, flag and top contributing columns per row.")
        {
            detectorPath, data, labelColumn, exclude, output, top, chunkRows, report, normalLabel, json, force,
        };
        command.SetAction((parse, cancel) =>
        {
            string outPath = parse.GetValue(output)!, dataPath = parse.GetValue(data)!;
            int count = parse.GetValue(top), chunk = CommonOptions.Positive(parse.GetValue(chunkRows), "--chunk-rows");
            if (count < 0) throw new UsageException($"--top must be at least 0, not {count}.");
            OutputFile scores = OutputFile.File(outPath, output.Name, parse.GetValue(force), (data.Name, dataPath), (detectorPath.Name, parse.GetValue(detectorPath)));
            string? reportPath = parse.GetValue(report);
            if (parse.GetResult(normalLabel) is { Implicit: false } && (reportPath is null || parse.GetValue(labelColumn) is null))
                throw new UsageException("--normal-label needs --report and --label-column.");
            OutputFile? page = reportPath is null ? null
                : OutputFile.File(reportPath, report.Name, parse.GetValue(force), (data.Name, dataPath), (detectorPath.Name, parse.GetValue(detectorPath)), (output.Name, outPath));
            AnomalyDetector detector = AnomalyDetector.Open(parse.GetValue(detectorPath)!);
            TableSchema schema = detector.Schema ?? throw new InvalidDataException("This detector was fitted on plain numbers in code, not on a table; score it from code.");
            count = Math.Min(count, detector.Columns.Count);

            ColumnSelection columns = CommonOptions.Columns(parse, labelColumn, exclude);
            using CsvChunkReader reader = CsvChunkReader.Open(dataPath, schema, chunk, columns);
            string[] leftOut = [.. schema.ExcludedColumns, .. columns.LeftOut];
            int[] echo = [.. Enumerable.Range(0, reader.ColumnNames.Count).Where(c => ColumnName.Contains(leftOut, reader.ColumnNames[c]))];
            long rows = 0, flagged = 0;
            // For the report: every score, the values of a one-column series and the labels, in row order.
            var allScores = new List<float>();
            int valueColumn = detector.Columns.Count == 1 && schema.Columns.Count(c => c.Kind == ColumnKind.Numeric) == 1 ? ColumnName.IndexOf(reader.ColumnNames, detector.Columns[0]) : -1;
            string? labelName = parse.GetValue(labelColumn);
            int labelIndex = labelName is null ? -1 : ColumnName.IndexOf(reader.ColumnNames, labelName);
            var values = new List<double>();
            var labelled = new List<bool>();
            string normal = parse.GetValue(normalLabel)!;
            AtomicFile.Write(scores.Staging, stream =>
            {
                using var csv = CsvWriter.Create(stream, new CsvWriterOptions(), true);
                csv.WriteField("row");
                foreach (int c in echo) csv.WriteField(reader.ColumnNames[c]);
                csv.WriteField("score");
                csv.WriteField("flag");
                for (int k = 1; k <= count; k++)
                {
                    csv.WriteField($"top_{k}");
                    csv.WriteField($"top_{k}_share");
                }
                csv.EndRecord();

                // A windowed detector reports rows later than they arrive: their echoed cells wait here.
                var waiting = new Queue<string?[]>();
                void Write(AnomalyReport report)
                {
                    for (int i = 0; i < report.Count; i++)
                    {
                        string?[] echoed = waiting.Dequeue();
                        csv.WriteField((report.FirstRow + i).ToString(CultureInfo.InvariantCulture));
                        foreach (string? cell in echoed) csv.WriteField(cell ?? "");
                        csv.WriteField(report.Scores[i].ToString("R", CultureInfo.InvariantCulture));
                        bool flag = report.Scores[i] > report.Threshold;
                        csv.WriteField(flag ? "1" : "0");
                        foreach (var (column, share) in report.TopColumns(i, count))
                        {
                            csv.WriteField(column);
                            csv.WriteField(share.ToString("F3", CultureInfo.InvariantCulture));
                        }
                        csv.EndRecord();
                        rows++;
                        if (flag) flagged++;
                        if (page is not null) allScores.Add(report.Scores[i]);
                    }
                }

                AnomalyStream scoring = detector.OpenStream();
                while (reader.Next() is { } table)
                {
                    cancel.ThrowIfCancellationRequested();
                    for (int r = 0; r < table.Rows; r++)
                    {
                        waiting.Enqueue([.. echo.Select(c => table.Columns[c].Text(r))]);
                        if (page is null) continue;
                        if (valueColumn >= 0) values.Add(table.Columns[valueColumn].Number(r));
                        if (labelIndex >= 0) labelled.Add(table.Columns[labelIndex].Text(r) is { } l && l.Trim() != normal);
                    }
                    Write(scoring.Push(table.Without(columns.LeftOut)));
                }
                if (reader.RowsRead == 0) throw new InvalidDataException($"The CSV file '{dataPath}' has a header row but no data rows.");
                Write(scoring.Finish());
            });
            if (page is not null)
                AnomalyReportPage.Build(allScores, detector.Threshold, valueColumn >= 0 ? values : null, detector.Columns.Count == 1 ? detector.Columns[0] : "value",
                    labelIndex >= 0 ? labelled : null).Save(page.Staging);
            OutputFile.CommitAll(cancel);

            if (parse.GetValue(json))
                JsonOutput.Print(new { output = outPath, rows, flagged, threshold = detector.Threshold, threshold_rule = detector.Options.Threshold.ToString() });
            else
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Scored {Counted.Of(rows, "row")}: {flagged:N0} flagged ({100.0 * flagged / Math.Max(1, rows):F1}%) above the threshold {detector.Threshold:G4}; wrote {outPath}."));
            return Task.FromResult(0);
        });
        return command;
    }
}
