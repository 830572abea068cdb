using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Latent.Applications.Search;
using Latent.Cli.Terminal;
using Latent.Data;
using Latent.Models;
using Latent.Storage;
using Latent.Training;

namespace Latent.Cli.Verbs;

/// <summary>
/// `latent index build`: encode every item of a data set, file or PNG folder with a model (or one trained here, its code
/// size chosen by --latent auto) and store the codes in a new index; `latent index add`: add more items to an index.
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
        var model = new Option<string?>("--model") { Description = "The model whose codes the index holds (a file written by 'latent train')." };
        var latent = new Option<string?>("--latent") { Description = "Instead of --model: train a dense autoencoder with this code size, or 'auto' to try 2, 4, 8, ... and keep the smallest after which retrieval stops improving." };
        var saveModel = new Option<string?>("--save-model") { Description = "With --latent: where to save the trained model (default: beside the index, with .safetensors)." };
        var hidden = new Option<string>("--hidden") { Description = "With --latent: encoder layer widths.", DefaultValueFactory = _ => "256,128" };
        var epochs = new Option<int>("--epochs") { Description = "With --latent: training epochs (per code size tried).", DefaultValueFactory = _ => 20 };
        var data = Data();
        var db = Db();
        var dataDir = CommonOptions.DataDir();
        var split = CommonOptions.Split();
        var labelColumn = CommonOptions.LabelColumn();
        var json = CommonOptions.Json();
        var command = new Command("build", "Create a new index from every item of --data.") { model, latent, saveModel, hidden, epochs, data, db, dataDir, split, labelColumn, json };
        command.SetAction((parse, cancel) =>
        {
            string location = parse.GetValue(db)!, spec = parse.GetValue(data)!;
            string? modelPath = parse.GetValue(model), latentText = parse.GetValue(latent);
            if ((modelPath is null) == (latentText is null)) throw new UsageException("Give either --model (an existing model) or --latent (train one here).");
            bool sqlite = !LatentStores.IsPostgres(location);
            if (sqlite)
            {
                CommonOptions.CheckOutputFolder(location);
                if (File.Exists(location)) throw new IOException($"'{location}' already exists; add items to it with 'latent index add', or delete it first.");
            }
            Split part = CommonOptions.ParseSplit(parse.GetValue(split)!);
            bool quiet = parse.GetValue(json);
            var clock = Stopwatch.StartNew();
            DenseAutoencoder autoencoder;
            IndexItems items;
            object? choice = null;
            if (modelPath is not null)
            {
                autoencoder = DenseAutoencoder.Open(modelPath);
                items = IndexItems.Load(spec, part, parse.GetValue(dataDir), parse.GetValue(labelColumn), autoencoder.Data?.Schema, autoencoder.Data?.Image);
                modelPath = Path.GetFullPath(modelPath);
            }
            else
            {
                modelPath = Path.GetFullPath(parse.GetValue(saveModel) ?? DefaultModelPath(location));
                CommonOptions.CheckOutputFolder(modelPath);
                items = IndexItems.Load(spec, part, parse.GetValue(dataDir), parse.GetValue(labelColumn), null, null);
                (autoencoder, choice) = Train(items, latentText!, CommonOptions.ParseWidths(parse.GetValue(hidden)!),
                    CommonOptions.Positive(parse.GetValue(epochs), "--epochs"), quiet, cancel);
                autoencoder.Save(modelPath);
            }
            CheckWidth(autoencoder, items);
            string source = Directory.Exists(spec) || File.Exists(spec) ? Path.GetFullPath(spec) : spec;
            try
            {
                using var index = LatentIndex.Create(location, autoencoder, modelPath: modelPath, source: source);
                index.Add(items.Ids, items.Rows, items.Metadata);
            }
            catch when (sqlite)
            {
                DeleteIndexFile(location);
                throw;
            }
            Report(quiet, "built", location, items, autoencoder, modelPath, clock.Elapsed.TotalSeconds, items.Count, choice);
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
        var json = CommonOptions.Json();
        var command = new Command("add", "Add every item of --data to an existing index (ids must be new).") { db, data, model, dataDir, split, labelColumn, json };
        command.SetAction(parse =>
        {
            string location = parse.GetValue(db)!;
            var clock = Stopwatch.StartNew();
            var (autoencoder, modelPath) = ModelOf(location, parse.GetValue(model));
            IndexItems items = IndexItems.Load(parse.GetValue(data)!, CommonOptions.ParseSplit(parse.GetValue(split)!), parse.GetValue(dataDir),
                parse.GetValue(labelColumn), autoencoder.Data?.Schema, autoencoder.Data?.Image);
            CheckWidth(autoencoder, items);
            using var index = LatentIndex.Open(location, autoencoder);
            index.Add(items.Ids, items.Rows, items.Metadata);
            Report(parse.GetValue(json), "added", location, items, autoencoder, modelPath, clock.Elapsed.TotalSeconds, index.Count, null);
            return 0;
        });
        return command;
    }

    /// <summary>The model named on the command line, else the one the index recorded.</summary>
    public static (DenseAutoencoder Model, string Path) ModelOf(string location, string? modelPath)
    {
        if (modelPath is null)
        {
            LatentStoreHeader header = LatentIndex.ReadHeader(location);
            modelPath = header.ModelPath ?? throw new UsageException($"The index '{location}' does not record its model; name it with --model.");
            if (!File.Exists(modelPath))
                throw new FileNotFoundException($"The index was built with the model '{modelPath}', which no longer exists; name a copy of it with --model.");
        }
        return (DenseAutoencoder.Open(modelPath), modelPath);
    }

    private static void CheckWidth(DenseAutoencoder model, IndexItems items)
    {
        if (items.Rows.Dim(1) != model.Inputs)
            throw new InvalidDataException($"The model takes items of {model.Inputs} values but {items.Source} has {items.Rows.Dim(1)}.");
    }

    private static (DenseAutoencoder, object?) Train(IndexItems items, string latent, int[] hidden, int epochs, bool quiet, CancellationToken cancel)
    {
        bool unit = ValueRange.InUnitRange(items.Rows);
        var template = new DenseAutoencoderConfig
        {
            Inputs = items.Rows.Dim(1),
            Hidden = hidden,
            Output = unit ? Engine.Activation.Sigmoid : Engine.Activation.Identity,
            Loss = unit ? ReconstructionLoss.BinaryCrossEntropy : ReconstructionLoss.Mse,
            Scaling = unit ? Scaling.None : Scaling.Standard,
        };
        var fit = new FitOptions { Epochs = epochs, BatchSize = 256 };
        DataDescription description = new(items.Image, items.Dataset?.Schema);
        if (latent != "auto")
        {
            if (!int.TryParse(latent, NumberStyles.Integer, CultureInfo.InvariantCulture, out int size) || size < 1)
                throw new UsageException($"--latent must be a code size (a positive whole number) or 'auto', not '{latent}'.");
            var model = new DenseAutoencoder(template with { CodeSize = size }) { Data = description };
            if (model.Fit(items.Rows, fit, cancel: cancel).StopReason == StopReason.Cancelled) throw new OperationCanceledException();
            return (model, null);
        }
        int[]? labels = items.Dataset?.Labels ?? LabelsOf(items);
        CodeSizeChoice choice = CodeSizeSearch.Choose(items.Rows, labels, new CodeSizeSearchOptions { Hidden = hidden, Fit = fit, Model = template },
            trial =>
            {
                if (!quiet) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"code size {trial.CodeSize,3}: held-out quality {trial.Quality:F3}"));
            }, cancel);
        choice.Model.Data = description;
        if (!quiet) Console.WriteLine($"Chose code size {choice.Model.CodeSize} ({choice.QualityMeasure} stops improving after it).");
        return (choice.Model, new { measure = choice.QualityMeasure, trials = choice.Trials.Select(t => new { code_size = t.CodeSize, quality = t.Quality }) });
    }

    /// <summary>Folder labels (sub-folder names) as numbers, when every image has one.</summary>
    private static int[]? LabelsOf(IndexItems items)
    {
        if (items.Metadata.Any(m => m is null || !m.ContainsKey("label"))) return null;
        var names = items.Metadata.Select(m => m!["label"]).Distinct().Order(StringComparer.Ordinal).ToList();
        return [.. items.Metadata.Select(m => names.IndexOf(m!["label"]))];
    }

    private static string DefaultModelPath(string location) =>
        LatentStores.IsPostgres(location) ? "index-model.safetensors" : Path.ChangeExtension(location, ".safetensors");

    private static void DeleteIndexFile(string path)
    {
        foreach (string file in new[] { path, path + "-wal", path + "-shm" })
            if (File.Exists(file)) File.Delete(file);
    }

    private static void Report(bool json, string verb, string location, IndexItems items, DenseAutoencoder model, string modelPath, double seconds, int total, object? choice)
    {
        if (json)
            JsonOutput.Print(new { db = location, model = modelPath, code_size = model.CodeSize, added = items.Count, items = total, source = items.Source, seconds, code_size_search = choice });
        else
            Console.WriteLine(verb == "built"
                ? string.Create(CultureInfo.InvariantCulture, $"Built {location}: {items.Count:N0} items of {items.Source} as {model.CodeSize}-value codes ({seconds:F1} s).")
                : string.Create(CultureInfo.InvariantCulture, $"Added {items.Count:N0} items of {items.Source} to {location}: {total:N0} items in all ({seconds:F1} s)."));
    }
}
