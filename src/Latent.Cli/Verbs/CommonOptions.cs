using System.CommandLine;
using System.Globalization;
using Latent.Data;

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

    public static Option<string?> LabelColumn() => new("--label-column")
    {
        Description = "CSV only: a column of whole-number labels, kept out of the features.",
    };

    public static Option<string> Split() => new Option<string>("--split")
    {
        Description = "Which part of a named data set: train or test.",
        DefaultValueFactory = _ => "train",
    }.AcceptOnlyFromAmong("train", "test");

    public static Option<string> Model() => new("--model") { Description = "A model file written by 'latent train'.", Required = true };

    public static Option<string> Out(string what) => new("--out") { Description = what, Required = true };

    public static Option<bool> Json() => new("--json") { Description = "Print the results as one JSON object." };

    public static Split ParseSplit(string text) => text == "test" ? Latent.Data.Split.Test : Latent.Data.Split.Train;

    /// <summary>Refuses to write into a folder that does not exist, before any long work starts.</summary>
    public static void CheckOutputFolder(string path)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"The output folder '{folder}' does not exist.");
    }

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
