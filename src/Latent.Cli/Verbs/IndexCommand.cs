using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Latent.Applications.Search;
using Latent.Cli.Terminal;
using Latent.Data;
using Latent.Imaging;
using Latent.Models;
using Latent.Reporting;
using Latent.Storage;
using Latent.Training;

namespace Latent.Cli.Verbs;

/// <summary>
/// `latent index build`: encode every item of a data set, file or PNG folder with any autoencoder (or a dense one trained
/// here by <see cref="IndexModel"/>, its code size chosen by --latent auto) and store the codes in a new index;
/// `latent index add`: add more items to an index.
/// </summary>
internal static class IndexCommand
{
    public static Command Create()
    {
        var command = new Command("index", "Build a database of latent codes for 'latent search' (an SQLite file, or PostgreSQL).");
        command.Add(CreateBuild());
        command.Add(CreateAdd());
        return command;
    }

    public static Option<string> Db() => new("--db")
    {
        Description = "The index: an SQLite file, or a PostgreSQL connection string (Host=...;Username=...;Database=... or postgresql://...).",
        Required = true,
    };

    private static Option<string> Data() => new("--data")
    {
        Description = "The items: a data set name (digits, mnist, fashion-mnist), a CSV file, an IDX images file or a folder of PNG files.",
        Required = true,
    };

    private static Command CreateBuild()
    {
        var defaults = new IndexModelOptions();
        var model = new Option<string?>("--model") { Description = "The model whose codes the index holds (any autoencoder written by 'latent train')." };
        var latent = new Option<string?>("--latent") { Description = "Instead of --model: train a dense autoencoder with this code size, or 'auto' to try 2, 4, 8, ... and keep the smallest after which retrieval stops improving." };
        var saveModel = new Option<string?>("--save") { Description = "With --latent: where to save the trained model (default: beside the index, with .safetensors)." };
        var hidden = new Option<string>("--hidden") { Description = "With --latent: encoder layer widths.", DefaultValueFactory = _ => string.Join(',', defaults.Hidden) };
        var epochs = new Option<int>("--epochs") { Description = "With --latent: training epochs (per code size tried).", DefaultValueFactory = _ => defaults.Epochs };
        var data = Data();
        var db = Db();
        var dataDir = CommonOptions.DataDir();
        var split = CommonOptions.Split();
        var labelColumn = CommonOptions.LabelColumn();
        var exclude = CommonOptions.Exclude();
        var resize = CommonOptions.Resize();
        var json = CommonOptions.Json();
        var force = CommonOptions.Force();
        var command = new Command("build", "Create a new index from every item of --data.")
        {
            model, latent, saveModel, hidden, epochs, data, db, dataDir, split, labelColumn, exclude, resize, json, force,
        };
        command.SetAction((parse, cancel) =>
        {
            string location = parse.GetValue(db)!, spec = parse.GetValue(data)!;
            string? modelPath = parse.GetValue(model), latentText = parse.GetValue(latent);
            if ((modelPath is null) == (latentText is null)) throw new UsageException("Give either --model (an existing model) or --latent (train one here).");
            (string, string?)[] inputs = [(data.Name, spec), (model.Name, modelPath)];
            // An SQLite index is built in a staging file and moved into place when complete; a PostgreSQL one in one transaction.
            OutputFile? dbFile = LatentStores.IsPostgres(location) ? null : OutputFile.File(location, db.Name, parse.GetValue(force), inputs);
            OutputFile? modelFile = latentText is null ? null
                : OutputFile.File(parse.GetValue(saveModel) ?? DefaultModelPath(location), saveModel.Name, parse.GetValue(force), inputs);
            Split part = CommonOptions.ParseSplit(parse.GetValue(split)!);
            bool quiet = parse.GetValue(json);
            var clock = Stopwatch.StartNew();
            IAutoencoder autoencoder;
            IndexItems items;
            IndexModelResult? trained = null;
            if (modelPath is not null)
            {
                autoencoder = ModelFile.OpenAutoencoder(modelPath);
                items = IndexItems.Load(spec, part, parse.GetValue(dataDir), CommonOptions.Columns(parse, labelColumn, exclude), autoencoder, parse.GetValue(resize));
                modelPath = Path.GetFullPath(modelPath);
            }
            else
            {
                var options = defaults with
                {
                    Hidden = CommonOptions.ParseWidths(parse.GetValue(hidden)!),
                    Epochs = CommonOptions.Positive(parse.GetValue(epochs), "--epochs"),
                    CodeSize = CodeSizeOf(latentText!),
                };
                modelPath = Path.GetFullPath(modelFile!.Path);
                items = IndexItems.Load(spec, part, parse.GetValue(dataDir), CommonOptions.Columns(parse, labelColumn, exclude), convertImages: parse.GetValue(resize));
                trained = quiet
                    ? IndexModel.Train(items, options, cancel: cancel)
                    : TrainingProgressView.Run("Training the index's model", progress => IndexModel.Train(items, options, progress, cancel));
                autoencoder = trained.Model;
                autoencoder.Save(modelFile.Staging);
                if (!quiet) PrintTrials(trained, options.MinimumGain);
            }
            if (!quiet) ReportConversions(items);
            WorkProgressView.Run($"Indexing {items.Source}", items.Count, "items", quiet, progress =>
                LatentIndex.Build(dbFile?.Staging ?? location, autoencoder, items, modelPath: modelPath, progress: Items(progress, items.Count), cancel: cancel).Dispose());
            // A PostgreSQL index is in once Build returns, so its trained model is kept with it even if Ctrl-C came just now.
            OutputFile.CommitAll(dbFile is null ? CancellationToken.None : cancel);
            // An index replaced with --force may have left a write-ahead log, which SQLite would replay into the new file, and a saved graph.
            if (dbFile is not null) foreach (string journal in new[] { "-wal", "-shm", ".graph" }) File.Delete(location + journal);
            BuildSearchGraph(location, autoencoder, quiet);
            Report(quiet, "built", location, items, autoencoder, modelPath, clock.Elapsed.TotalSeconds, items.Count, trained);
            return Task.FromResult(0);
        });
        return command;
    }

    private static Command CreateAdd()
    {
        var model = new Option<string?>("--model") { Description = "The model the index was built with (default: the file recorded in the index)." };
        var data = Data();
        var db = Db();
        var dataDir = CommonOptions.DataDir();
        var split = CommonOptions.Split();
        var labelColumn = CommonOptions.LabelColumn();
        var exclude = CommonOptions.Exclude();
        var resize = CommonOptions.Resize();
        var json = CommonOptions.Json();
        var command = new Command("add", "Add every item of --data to an existing index (ids must be new).") { db, data, model, dataDir, split, labelColumn, exclude, resize, json };
        command.SetAction((parse, cancel) =>
        {
            string location = parse.GetValue(db)!;
            var clock = Stopwatch.StartNew();
            var (autoencoder, modelPath) = ModelOf(location, parse.GetValue(model));
            IndexItems items = IndexItems.Load(parse.GetValue(data)!, CommonOptions.ParseSplit(parse.GetValue(split)!), parse.GetValue(dataDir),
                CommonOptions.Columns(parse, labelColumn, exclude), autoencoder, parse.GetValue(resize));
            bool quiet = parse.GetValue(json);
            if (!quiet) ReportConversions(items);
            using var index = LatentIndex.Open(location, autoencoder);
            WorkProgressView.Run($"Adding {items.Source}", items.Count, "items", quiet, progress => index.Add(items, Items(progress, items.Count), cancel));
            Report(quiet, "added", location, items, autoencoder, modelPath, clock.Elapsed.TotalSeconds, index.Count, null);
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>For an index large enough to search by graph: builds the graph for search's default (cosine) distance, which an SQLite index saves beside its file.</summary>
    private static void BuildSearchGraph(string location, IAutoencoder autoencoder, bool quiet)
    {
        using var index = LatentIndex.Open(location, autoencoder);
        if (!index.UsesGraph || index.SavedGraphPath is null) return;   // PostgreSQL searches on the server
        if (!quiet) Console.WriteLine($"Building the search graph of {Counted.Of(index.Count, "item")}...");
        index.BuildGraph(DistanceMetric.Cosine);
    }

    /// <summary>The model named on the command line, else the one the index recorded.</summary>
    public static (IAutoencoder Model, string Path) ModelOf(string location, string? modelPath)
    {
        if (modelPath is null)
        {
            LatentStoreHeader header = LatentIndex.ReadHeader(location);
            modelPath = header.ModelPath ?? throw new ArgumentException($"The index '{location}' does not record its model; name it with --model.");
            if (!File.Exists(modelPath))
                throw new FileNotFoundException($"The index was built with the model '{modelPath}', which no longer exists; name a copy of it with --model.");
        }
        return (ModelFile.OpenAutoencoder(modelPath), modelPath);
    }

    /// <summary>The line --resize promises: how many images were converted, and to what.</summary>
    public static void ReportConversions(IndexItems items)
    {
        if (items.Converted > 0 && items.Data.Image is { } shape)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Converted {items.Converted:N0} of {Counted.Of(items.Count, "image")} to the model's {ImageConversion.Describe(shape)} (--resize)."));
    }

    /// <summary>The index's progress (batch b of n) as items done.</summary>
    private static InlineProgress<TrainingProgress> Items(IProgress<int> items, int total) =>
        new(p => items.Report((int)((long)total * p.Batch / Math.Max(1, p.Batches))));

    /// <summary>--latent: a code size, or null for 'auto'.</summary>
    private static int? CodeSizeOf(string latent)
    {
        if (latent == "auto") return null;
        if (!int.TryParse(latent, NumberStyles.Integer, CultureInfo.InvariantCulture, out int size) || size < 1)
            throw new UsageException($"--latent must be a code size (a positive whole number) or 'auto', not '{latent}'.");
        return size;
    }

    private static void PrintTrials(IndexModelResult trained, double minimumGain)
    {
        if (trained.Trials.Count == 0) return;
        foreach (CodeSizeTrial trial in trained.Trials)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"code size {trial.CodeSize,3}: held-out quality {trial.Quality:F3}"));
        Console.WriteLine(DescribeChoice(trained, minimumGain));
    }

    /// <summary>Why --latent auto kept the code size it kept, truthfully: quality levelled off, or the search simply ran out of sizes.</summary>
    internal static string DescribeChoice(IndexModelResult trained, double minimumGain)
    {
        IReadOnlyList<CodeSizeTrial> trials = trained.Trials;
        int chosen = trained.Model.CodeSize;
        var inv = CultureInfo.InvariantCulture;
        if (!trained.StillImproving)
            return string.Create(inv,
                $"Chose code size {chosen}: doubling it to {trials[^1].CodeSize} raised {trained.QualityMeasure} by less than {minimumGain} ({trials[^2].Quality:F3} → {trials[^1].Quality:F3}).");
        return trials.Count == 1
            ? $"Chose code size {chosen}, the only size tried for items this narrow."
            : string.Create(inv,
                $"Chose code size {chosen}, the largest size tried; {trained.QualityMeasure} was still rising ({trials[^2].Quality:F3} → {trials[^1].Quality:F3}), so a larger code may retrieve better: --latent N trains one of any size.");
    }

    private static string DefaultModelPath(string location) =>
        LatentStores.IsPostgres(location) ? "index-model.safetensors" : Path.ChangeExtension(location, ".safetensors");

    private static void Report(bool json, string verb, string location, IndexItems items, IAutoencoder model, string modelPath, double seconds, int total, IndexModelResult? trained)
    {
        object? choice = trained is { Trials.Count: > 0 }
            ? new { measure = trained.QualityMeasure, trials = trained.Trials.Select(t => new { code_size = t.CodeSize, quality = t.Quality }), still_improving = trained.StillImproving }
            : null;
        if (json)
            JsonOutput.Print(new
            {
                db = location, model = modelPath, code_size = model.CodeSize, added = items.Count, items = total, source = items.Source, converted = items.Converted,
                seconds, code_size_search = choice,
            });
        else
            Console.WriteLine(verb == "built"
                ? string.Create(CultureInfo.InvariantCulture, $"Built {location}: {Counted.Of(items.Count, "item")} of {items.Source} as {model.CodeSize}-value codes ({seconds:F1} s).")
                : string.Create(CultureInfo.InvariantCulture, $"Added {Counted.Of(items.Count, "item")} of {items.Source} to {location}: {Counted.Of(total, "item")} in all ({seconds:F1} s)."));
    }
}
