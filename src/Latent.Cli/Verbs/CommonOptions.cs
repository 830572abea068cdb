using System.CommandLine;
using System.Globalization;
using Latent.Data;
using Latent.Imaging;
using Latent.Training;

namespace Latent.Cli.Verbs;

/// <summary>Options that several verbs share, described once.</summary>
internal static class CommonOptions
{
    public static Option<string> Data() => new("--data")
    {
        Description = "A data set name (digits, mnist, fashion-mnist), a CSV file or an IDX images file.",
        Required = true,
    };

    public static Option<string?> DataDir() => new("--data-dir")
    {
        Description = "Folder with the named data sets (searched before LATENT_DATA and the user cache).",
    };

    public static Option<string?> LabelColumn(string description = "CSV only: a column of whole-number labels, kept out of the features.") =>
        new("--label-column") { Description = description };

    public static Option<string?> Exclude(string description = "CSV only: columns that are not features (ids, free text), comma-separated; they are left out.") =>
        new("--exclude") { Description = description };

    /// <summary>The columns named by --label-column and --exclude; the library checks them against the data.</summary>
    public static ColumnSelection Columns(ParseResult parse, Option<string?> label, Option<string?> exclude) =>
        new(parse.GetValue(label), Names(parse.GetValue(exclude)));

    /// <summary>Column names from a comma-separated option value (empty entries ignored).</summary>
    private static string[] Names(string? text) => text is null ? [] : text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>--resize: images of another size or colour than a model's are converted (and the verb says so) instead of refused.</summary>
    public static Option<bool> Resize(string more = "") => new("--resize")
    {
        Description = "Convert images of another size or colour to the model's: resize them and turn colour into gray (or gray into colour)" + more +
            "; a line says how many were converted. Without it they are refused.",
    };

    public static Option<string> Split() => new Option<string>("--split")
    {
        Description = "Which part of a named data set: train or test.",
        DefaultValueFactory = _ => "train",
    }.AcceptOnlyFromAmong("train", "test");

    public static Option<string> Model() => new("--model") { Description = "A model file written by 'latent train'.", Required = true };

    public static Option<string> Out(string what) => new("--out") { Description = what, Required = true };

    public static Option<int> Shift() => new("--shift")
    {
        Description = "Images: move every training image by up to N pixels each way, drawn afresh each epoch (augmentation against memorising the training set; 0 = off).",
        DefaultValueFactory = _ => 0,
    };

    /// <summary>The --shift augmentation for <paramref name="dataset"/>, or null for 0.</summary>
    public static RandomShift? ShiftFor(int pixels, Dataset dataset)
    {
        if (pixels == 0) return null;
        if (pixels < 0) throw new UsageException($"--shift must be 0 or more pixels, not {pixels}.");
        ImageShape image = dataset.Image ?? throw new ArgumentException($"--shift moves images, and {dataset.Name} is a table.");
        if (pixels >= Math.Min(image.Height, image.Width))
            throw new ArgumentException($"--shift must be less than the {image.Height}×{image.Width} images' smaller side, not {pixels}.");
        return new RandomShift(image, pixels);
    }

    public static Option<bool> Json() => new("--json") { Description = "Print the results as one JSON object." };

    public static Split ParseSplit(string text) => text == "test" ? Latent.Data.Split.Test : Latent.Data.Split.Train;

    public static Option<bool> Force() => new("--force")
    {
        Description = "Overwrite outputs that exist already (in an output folder that holds files: replace those of the same names).",
    };

    /// <summary>Layer widths from "128,64".</summary>
    public static int[] ParseWidths(string text, string option = "--hidden")
    {
        if (text.Trim().Length == 0) return [];
        string[] parts = text.Split(',', StringSplitOptions.TrimEntries);
        var widths = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out widths[i]) || widths[i] < 1)
                throw new UsageException($"{option} must be positive whole numbers separated by commas, not '{text}'.");
        return widths;
    }

    public static int Positive(int value, string name) => value >= 1 ? value : throw new UsageException($"{name} must be at least 1, not {value}.");
}
