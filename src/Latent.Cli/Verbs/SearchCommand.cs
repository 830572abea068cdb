using System.CommandLine;
using System.Globalization;
using Latent.Applications.Search;
using Latent.Cli.Terminal;
using Latent.Data;
using Latent.Imaging;
using Latent.Models;
using Latent.Reporting;
using Latent.Storage;

namespace Latent.Cli.Verbs;

/// <summary>
/// `latent search`: the stored items nearest to a query (a PNG file, the first row of a CSV file, or row N of a data set);
/// with --out, also the query and the neighbours as files (see <see cref="NeighbourFiles"/>).
/// </summary>
internal static class SearchCommand
{
    public static Command Create()
    {
        var db = IndexCommand.Db();
        var query = new Option<string?>("--query") { Description = "The query item: a PNG image, or a CSV file whose first data row is the item." };
        var row = new Option<int?>("--row") { Description = "Instead of --query: row N (counting from 0) of --data." };
        var data = new Option<string?>("--data") { Description = "With --row or --out: a data set name, CSV, IDX file or PNG folder (default: what the index was built from)." };
        var dataDir = CommonOptions.DataDir();
        var split = new Option<string?>("--split")
        {
            Description = "Which part of a named data set: train or test. [default: the one the index was built from]",
        }.AcceptOnlyFromAmong("train", "test");
        var labelColumn = CommonOptions.LabelColumn();
        var exclude = CommonOptions.Exclude();
        var resize = CommonOptions.Resize();
        var k = new Option<int>("-k", "--neighbours") { Description = "How many neighbours to show.", DefaultValueFactory = _ => 5 };
        var metric = new Option<string>("--metric") { Description = "Distance between codes: cosine (retrieves best on autoencoder codes) or euclidean.", DefaultValueFactory = _ => "cosine" }
            .AcceptOnlyFromAmong("cosine", "euclidean");
        var mode = new Option<string>("--mode")
        {
            Description = "How to search: auto (exact below 200000 items, else the saved graph), exact, approximate (the HNSW graph), " +
                "or quantized (a scan of the codes rounded to bytes, re-ranked on the full codes: no graph, near-exact on hard data).",
            DefaultValueFactory = _ => "auto",
        }.AcceptOnlyFromAmong("auto", "exact", "approximate", "quantized");
        var model = new Option<string?>("--model") { Description = "The model the index was built with (default: the file recorded in the index)." };
        var output = new Option<string?>("--out")
        {
            Description = "Also write the query and its neighbours into this folder (created if missing): PNG images for an image index, neighbours.csv with their rows for a table.",
        };
        var json = CommonOptions.Json();
        var force = CommonOptions.Force();
        var command = new Command("search", "Find the stored items nearest to a query in an index built by 'latent index build'.")
        {
            db, query, row, data, dataDir, split, labelColumn, exclude, resize, k, metric, mode, model, output, json, force,
        };
        command.SetAction((parse, cancel) =>
        {
            string location = parse.GetValue(db)!;
            string? queryPath = parse.GetValue(query);
            int? rowNumber = parse.GetValue(row);
            if ((queryPath is null) == (rowNumber is null)) throw new UsageException("Give either --query (an item file) or --row (a row of --data).");
            int neighbours = CommonOptions.Positive(parse.GetValue(k), "-k");
            DistanceMetric distance = parse.GetValue(metric) == "euclidean" ? DistanceMetric.Euclidean : DistanceMetric.Cosine;
            string? outFolder = parse.GetValue(output);
            OutputFile? outFiles = outFolder is null ? null : OutputFile.Folder(outFolder, output.Name, parse.GetValue(force),
                (db.Name, location), (query.Name, queryPath), (data.Name, parse.GetValue(data)), (model.Name, parse.GetValue(model)));

            var (autoencoder, _) = IndexCommand.ModelOf(location, parse.GetValue(model));
            ColumnSelection columns = CommonOptions.Columns(parse, labelColumn, exclude);
            IndexItems? loaded = null;
            IndexItems Items()
            {
                if (loaded is not null) return loaded;
                LatentStoreHeader header = LatentIndex.ReadHeader(location);
                string spec = parse.GetValue(data) ?? header.Source
                    ?? throw new ArgumentException($"The index '{location}' does not record its data; name it with --data.");
                // The index's own split by default (an index built before splits were recorded was built from train).
                string splitName = parse.GetValue(split) ?? (spec == header.Source ? header.SourceSplit : null) ?? "train";
                loaded = IndexItems.Load(spec, CommonOptions.ParseSplit(splitName), parse.GetValue(dataDir), columns, autoencoder, parse.GetValue(resize));
                if (!parse.GetValue(json)) IndexCommand.ReportConversions(loaded);
                return loaded;
            }
            float[] item;
            string described;
            if (queryPath is not null)
            {
                item = IndexItems.ReadQuery(queryPath, autoencoder, columns, parse.GetValue(resize), out var conversion);
                described = queryPath;
                if (conversion is { } c && !parse.GetValue(json))
                    Console.WriteLine($"Converted {queryPath} from {ImageConversion.Describe(c.From)} to the model's {ImageConversion.Describe(c.To)} (--resize).");
            }
            else
            {
                IndexItems items = Items();
                int r = rowNumber!.Value;
                if (r < 0 || r >= items.Count) throw new ArgumentException($"--row must be between 0 and {items.Count - 1} for {items.Source}, not {r}.");
                item = items.Row(r);
                described = $"row {r} of {items.Source}";
            }
            if (item.Length != autoencoder.Inputs)
                throw new InvalidDataException($"The model takes items of {Counted.Of(autoencoder.Inputs, "value")} but the query has {item.Length}.");

            // A large index answers from its saved graph; one without a current graph builds and saves it once.
            var options = new LatentIndexOptions { Mode = Enum.Parse<SearchMode>(parse.GetValue(mode)!, ignoreCase: true) };
            using var index = LatentIndex.Open(location, autoencoder, options);
            cancel.ThrowIfCancellationRequested();   // loading a large index takes a while; the search itself is quick
            if (index.BuildsGraphFor(distance))
            {
                if (index.GraphNotice is { } notice) Console.Error.WriteLine($"latent: {notice}");
                Console.Error.WriteLine($"latent: building the {distance.ToString().ToLowerInvariant()} search graph of {Counted.Of(index.Count, "item")}" +
                    (index.SavedGraphPath is { } saved ? $" (once: it is saved in {saved})." : "."));
            }
            IReadOnlyList<SearchHit> hits = index.Search(item, neighbours, distance);
            IReadOnlyList<string>? files = outFiles is null ? null
                : [.. NeighbourFiles.Write(outFiles.Staging, item, hits, Items()).Select(f => Path.Combine(outFiles.Path, Path.GetRelativePath(outFiles.Staging, f)))];
            OutputFile.CommitAll(cancel);
            string metricName = distance.ToString().ToLowerInvariant();
            if (parse.GetValue(json))
                JsonOutput.Print(new
                {
                    db = location, query = described, metric = metricName, items = index.Count,
                    neighbours = hits.Select((h, i) => new { rank = i + 1, id = h.Id, distance = h.Distance, metadata = h.Metadata }),
                    files,
                });
            else
            {
                PrintTable(hits, $"The {(hits.Count == 1 ? "nearest" : $"{hits.Count} nearest")} of {Counted.Of(index.Count, "item")} to {described} ({metricName} distance between {index.CodeSize}-value codes):");
                if (files is not null) Console.WriteLine($"Wrote {(files.Count == 1 ? Path.GetFileName(files[0]) : Counted.Of(files.Count, "image"))} into {outFolder}.");
            }
            return Task.FromResult(0);
        });
        return command;
    }

    private static void PrintTable(IReadOnlyList<SearchHit> hits, string title)
    {
        var inv = CultureInfo.InvariantCulture;
        string[] keys = [.. hits.SelectMany(h => h.Metadata.Keys).Distinct()];
        string[] header = ["rank", "id", "distance", .. keys];
        List<string[]> rows = [.. hits.Select((h, i) => (string[])[(i + 1).ToString(inv), h.Id, h.Distance.ToString("F4", inv), .. keys.Select(key => h.Metadata.GetValueOrDefault(key, ""))])];
        int[] widths = [.. header.Select((name, c) => rows.Select(r => r[c].Length).Append(name.Length).Max())];
        Console.WriteLine(title);
        foreach (string[] line in rows.Prepend(header))
            Console.WriteLine(string.Join("  ", line.Select((cell, c) => c is 0 or 2 ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]))).TrimEnd());
    }
}
