using System.CommandLine;
using System.CommandLine.Help;
using System.Text.RegularExpressions;

namespace Latent.Cli.Tests;

/// <summary>
/// One set of conventions across every verb (README, "Conventions"), checked on the command line as `latent` builds
/// it: option names are kebab-case and come from one list where each has one meaning, a model file is always --model,
/// input data always --data, every verb says what it does, and no verb takes positional arguments.
/// </summary>
public partial class ConventionsTests
{
    /// <summary>Every option name a verb may use, with its one meaning. A new name joins here, or the verb uses one of these.</summary>
    private static readonly Dictionary<string, string> Known = new()
    {
        // Inputs and outputs (the same words in every verb).
        ["--data"] = "the input data: a named set, a CSV, IDX or PNG file, or a PNG folder",
        ["--data-dir"] = "a folder with the named data sets",
        ["--split"] = "which part of a named data set: train or test",
        ["--label-column"] = "a CSV column of labels, kept out of the features",
        ["--exclude"] = "CSV columns to leave out of the features (ids, labels)",
        ["--model"] = "a model file written by latent (any kind a verb can use)",
        ["--out"] = "the main output file or folder",
        ["--save"] = "also save what was fitted, by a verb whose main job is something else",
        ["--force"] = "allow overwriting an existing output",
        ["--json"] = "print the results as one JSON object",
        ["--db"] = "the index: an SQLite file or a PostgreSQL connection string",
        ["--query"] = "search: the item to search for (a PNG or a one-row CSV), instead of --row",
        ["--row"] = "search: the row of --data to search for (from 0)",
        ["--reference"] = "denoise: clean versions of --data to measure against",
        ["--noisy"] = "train: noisy versions of the --data images, to learn noisy → clean pairs",
        ["--report"] = "also write an HTML report of the run",
        ["--plot"] = "also draw the first two dimensions as an SVG",
        ["--time-column"] = "a time stamp column, left out of the features",
        // How much, how many.
        ["--count"] = "how many items to make",
        ["--epochs"] = "training epochs",
        ["--batch-size"] = "rows per training step",
        ["--learning-rate"] = "the optimiser's learning rate",
        ["--validation"] = "share of rows held out for validation",
        ["--patience"] = "epochs without improvement before stopping",
        ["--seed"] = "the random seed (same seed, same result)",
        ["--seeds"] = "how many random repetitions an evaluation averages",
        ["-k"] = "how many: clusters (cluster) or neighbours (search)",
        ["--clusters"] = "the number of clusters (-k)",
        ["--neighbours"] = "how many neighbours: shown by search (-k), or used by the kNN imputer and the imputer's neighbour member",
        ["--regression-rounds"] = "rounds of the imputer's chained-regression member",
        ["--blend-fraction"] = "share of known cells the imputer holds out to weigh its members",
        ["--max-donors"] = "the most training rows the imputer's nearest-neighbour member keeps",
        ["--top"] = "how many top contributing columns to list",
        ["--chunk-rows"] = "rows read and processed at a time",
        ["--steps"] = "items in an interpolation",
        ["--labels"] = "how many labelled rows a classifier may learn from",
        ["--members"] = "autoencoders in an ensemble",
        ["--sample-rows"] = "rows each ensemble member trains on",
        ["--passes"] = "refinement passes at inference",
        // What model, what kind.
        ["--kind"] = "the kind of autoencoder to train (dense, conv, vae)",
        ["--part"] = "export: the encoder, the decoder or all of a model",
        ["--method"] = "which method: an autoencoder or a baseline",
        ["--hidden"] = "encoder layer widths",
        ["--code"] = "the code (bottleneck) size",
        ["--latent"] = "index build: the code size of a model trained here, or auto",
        ["--dims"] = "dimensions to keep",
        ["--activation"] = "the hidden layers' activation",
        ["--output-activation"] = "the output layer's activation",
        ["--loss"] = "the reconstruction loss",
        ["--scaling"] = "the column scaling learned with the model",
        ["--filters"] = "convolution channels per level",
        ["--kernel"] = "convolution kernel size",
        ["--downsampling"] = "how a convolutional encoder downsamples",
        ["--upsampling"] = "how a convolutional decoder upsamples",
        ["--conditional"] = "a VAE conditioned on the labels",
        ["--convolutional"] = "a VAE with convolutions",
        ["--beta"] = "a VAE's weight of the KL term",
        ["--kl-warmup"] = "epochs over which a VAE's KL weight rises",
        ["--refine"] = "how to refine clusters (none or dec)",
        ["--embed"] = "dimensions of a neighbour embedding of the codes: cluster clusters in it, features also classifies in it (0: none)",
        ["--metric"] = "the distance between codes",
        ["--mode"] = "search: exact, the graph, or the quantised scan",
        ["--label"] = "the class to generate",
        ["--interpolate"] = "two items to interpolate between",
        // Noise and images.
        ["--noise"] = "the kind of image noise",
        ["--noise-level"] = "the strength of the image noise",
        ["--shift"] = "augmentation: random image moves of up to N pixels",
        ["--size"] = "the size images are resized to",
        ["--channels"] = "gray (1) or RGB (3) images",
        ["--resize"] = "resize images of another size to the model's",
        // Anomaly detection and imputation.
        ["--contamination"] = "the expected share of anomalies",
        ["--fpr"] = "the target false-positive rate",
        ["--threshold"] = "the anomaly score threshold",
        ["--trim"] = "share of worst-rebuilt rows left out of each epoch",
        ["--window"] = "rows per window of a time series",
        ["--stride"] = "rows between window starts",
        ["--normal-label"] = "the label of normal rows",
        ["--hide"] = "share of known cells hidden in each training batch",
        ["--missing"] = "share of known cells hidden by an evaluation",
        // Recommendation.
        ["--ratings"] = "recommend fit: the ratings file (another name for --data, as MovieLens users say it)",
        ["--train"] = "recommend evaluate: the training ratings (another name for --data)",
        ["--test"] = "recommend evaluate: the test ratings",
        ["--user"] = "recommend top: the user to recommend for",
        ["-n"] = "recommend top: how many items to recommend",
        ["--implicit"] = "rows are interactions (implicit feedback), not ratings",
        ["--include-seen"] = "recommend top: also list items the user has rated",
        // U-Nets (colorization, segmentation).
        ["--task"] = "train --kind unet: what the U-Net learns (colorize or segment)",
        ["--masks"] = "train --kind unet --task segment: the folder of mask PNGs",
        ["--tile"] = "colorize: side of the tiles large images are processed in",
        ["--overlap"] = "colorize: pixels shared by neighbouring tiles",
        ["--demo"] = "segment: try the verb on synthetic data instead of a model",
        ["--overlay"] = "segment: also write the images with their classes tinted",
        // Sequences.
        ["--autoencoder"] = "detect: dense or LSTM autoencoders for the windows of a series",
        ["--cell"] = "seq2seq: the recurrent cell (lstm or gru)",
        ["--bidirectional"] = "seq2seq: the encoder also reads each source backwards",
        ["--embedding"] = "seq2seq: the size of learned token vectors (0: one-hot)",
        ["--teacher-forcing"] = "seq2seq: share of decoder steps that read the true previous token",
        ["--beam"] = "seq2seq predict: partial sequences kept by beam search",
        ["--frames"] = "seq2seq train: learn next-frame prediction on moving digits",
        ["--clips"] = "seq2seq train --frames: training clips to generate",
        ["--strips"] = "seq2seq train --frames: the folder for PNG strips of held-out clips",
        // Image compression.
        ["--quality"] = "compress: which of the codec's qualities (1 = fewest bits)",
        ["--lambdas"] = "compress fit: the rate–distortion weight of each quality",
        ["--crop-size"] = "compress fit: side of the training crops",
        ["--fine-tune-epochs"] = "compress fit: epochs of each quality after the first",
        ["--no-hyperprior"] = "compress fit: a factorised prior instead of a hyperprior",
    };

    /// <summary>Positional arguments a verb may take, by command path; every input is an option today.</summary>
    private static readonly HashSet<string> DocumentedArguments = [];

    private static IEnumerable<(string Path, Command Command)> Commands(Command command, string path)
    {
        yield return (path, command);
        foreach (Command sub in command.Subcommands)
            foreach (var child in Commands(sub, $"{path} {sub.Name}")) yield return child;
    }

    private static IEnumerable<(string Path, Command Command)> Verbs() => Commands(LatentCommand.Root(), "latent").Skip(1);

    private static IEnumerable<(string Path, Option Option)> Options() =>
        Verbs().SelectMany(v => v.Command.Options.Where(o => o is not HelpOption and not VersionOption).Select(o => (v.Path, o)));

    private static IEnumerable<string> Names(Option option) => option.Aliases.Prepend(option.Name);

    [Fact]
    public void EveryOptionNameIsKebabCaseAndKnownWithOneMeaning()
    {
        string[] problems =
        [
            .. Options().SelectMany(o => Names(o.Option)
                .Where(name => !KebabCase().IsMatch(name) || !Known.ContainsKey(name))
                .Select(name => $"{o.Path} {name}: {(KebabCase().IsMatch(name) ? "not in the list of known names" : "not kebab-case")}")),
        ];
        Assert.Empty(problems);
    }

    [Fact]
    public void ANameHasOneTypeOfValueInEveryVerb()
    {
        static Type Underlying(Type t) => Nullable.GetUnderlyingType(t) ?? t;
        string[] mixed =
        [
            .. Options().SelectMany(o => Names(o.Option).Select(name => (name, type: Underlying(o.Option.ValueType), o.Path)))
                .GroupBy(x => x.name).Where(g => g.Select(x => x.type).Distinct().Count() > 1)
                .Select(g => $"{g.Key}: {string.Join(", ", g.Select(x => $"{x.type.Name} in {x.Path}"))}"),
        ];
        Assert.Empty(mixed);
    }

    [Fact]
    public void AModelFileIsAlwaysModelAndModelIsAlwaysAFile()
    {
        foreach (var (path, option) in Options())
        {
            string description = option.Description ?? "";
            bool namesAFileWrittenByLatent = Regex.IsMatch(description, @"(written|saved) by '?latent", RegexOptions.IgnoreCase);
            if (namesAFileWrittenByLatent) Assert.True(option.Name == "--model", $"{path} {option.Name} takes a model file, so it must be called --model.");
            if (option.Name == "--model")
            {
                Assert.Equal(typeof(string), option.ValueType);
                Assert.Matches("(?i)model|detector|file", description);
            }
        }
    }

    [Fact]
    public void EveryVerbReadsItsDataThroughData()
    {
        // demo trains on the bundled digits, datasets lists the data sets and export converts a model: none reads data of
        // the user's. recommend top lists a user's items from a saved recommender, which holds its training rows.
        string[] withoutData = ["latent demo", "latent datasets", "latent export", "latent recommend top"];
        foreach (var (path, command) in Verbs().Where(v => v.Command.Action is not null && !withoutData.Contains(v.Path)))
        {
            Option? data = command.Options.FirstOrDefault(o => o.Name == "--data");
            Assert.True(data is not null, $"{path} has no --data.");
            Assert.True(data.ValueType == typeof(string), $"{path} --data takes one value.");
        }
    }

    [Fact]
    public void EveryVerbAndOptionSaysWhatItDoes()
    {
        foreach (var (path, command) in Verbs())
            Assert.False(string.IsNullOrWhiteSpace(command.Description), $"{path} has no description.");
        foreach (var (path, option) in Options())
            Assert.False(string.IsNullOrWhiteSpace(option.Description), $"{path} {option.Name} has no description.");
    }

    [Fact]
    public void NoVerbTakesPositionalArgumentsUnlessDocumented()
    {
        foreach (var (path, command) in Commands(LatentCommand.Root(), "latent"))
            if (!DocumentedArguments.Contains(path))
                Assert.True(command.Arguments.Count == 0, $"{path} takes positional arguments ({string.Join(", ", command.Arguments.Select(a => a.Name))}); use options.");
    }

    [GeneratedRegex("^(--[a-z][a-z0-9]*(-[a-z0-9]+)*|-[a-z])$")]
    private static partial Regex KebabCase();
}
