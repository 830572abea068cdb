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
        using var csv = CsvTable.OpenReader(path, out string[] names);
        int source = ColumnName.IndexOf(names, "source"), target = ColumnName.IndexOf(names, "target");
        if (source < 0 || target < 0)
            throw CsvTable.Bad(path, $"needs the columns 'source' and 'target' (space-separated tokens); its header has {string.Join(", ", names.Select(n => $"'{n}'"))}");
        var cells = CsvTable.NewCells(names.Length);
        CsvTable.ReadRows(csv, path, cells, int.MaxValue);
        if (cells[0].Count == 0) throw CsvTable.Bad(path, "has a header row but no data rows");
        var pairs = new SequencePair[cells[0].Count];
        for (int r = 0; r < pairs.Length; r++)
        {
            var pair = SequencePair.Parse(cells[source][r] ?? "", cells[target][r] ?? "");
            if (pair.Source.Count == 0 || pair.Target.Count == 0)
                throw CsvTable.Bad(path, $"has an empty {(pair.Source.Count == 0 ? "source" : "target")} sequence in row {r}");
            pairs[r] = pair;
        }
        return pairs;
    }
}
