using Latent.Applications.SequenceToSequence;

namespace Latent.Data;

/// <summary>
/// Reads sequence pairs from a CSV file with the columns <c>source</c> and <c>target</c>, each cell a space-separated
/// sequence of tokens ("12 5 33"); other columns are ignored. Gzip-compressed files read as well.
/// </summary>
public static class SequencePairsFile
{
    /// <summary>Reads every pair of the file.</summary>
    /// <exception cref="InvalidDataException">The file lacks a column, has no rows, or a row with an empty sequence (the message names its row, counted from 0).</exception>
    public static IReadOnlyList<SequencePair> Read(string path)
    {
        var (sources, targets) = ReadColumns(path, targetRequired: true);
        return [.. sources.Select((s, r) => new SequencePair(s, targets![r]))];
    }

    /// <summary>Reads the sources of a file, and its targets when it has a <c>target</c> column (to score predictions).</summary>
    /// <exception cref="InvalidDataException">The file lacks the source column, has no rows, or a row with an empty sequence.</exception>
    public static (IReadOnlyList<string[]> Sources, IReadOnlyList<string[]>? Targets) ReadSources(string path) => ReadColumns(path, targetRequired: false);

    private static (IReadOnlyList<string[]> Sources, IReadOnlyList<string[]>? Targets) ReadColumns(string path, bool targetRequired)
    {
        using var csv = CsvTable.OpenReader(path, out string[] names);
        int source = ColumnName.IndexOf(names, "source"), target = ColumnName.IndexOf(names, "target");
        if (source < 0 || (targetRequired && target < 0))
            throw CsvTable.Bad(path, $"needs the column{(targetRequired ? "s 'source' and 'target'" : " 'source'")} (space-separated tokens); its header has {string.Join(", ", names.Select(n => $"'{n}'"))}");
        var cells = CsvTable.NewCells(names.Length);
        CsvTable.ReadRows(csv, path, cells, int.MaxValue);
        if (cells[0].Count == 0) throw CsvTable.Bad(path, "has a header row but no data rows");
        string[][] Column(int c, string name) => [.. cells[c].Select((cell, r) =>
        {
            string[] tokens = SequencePair.Split(cell ?? "");
            return tokens.Length > 0 ? tokens : throw CsvTable.Bad(path, $"has an empty {name} sequence in row {r}");
        })];
        return (Column(source, "source"), target < 0 ? null : Column(target, "target"));
    }
}
