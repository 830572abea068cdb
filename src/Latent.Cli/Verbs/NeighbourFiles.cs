using System.Globalization;
using Latent.Applications.Search;
using Latent.Data;
using Latent.Imaging;

namespace Latent.Cli.Verbs;

/// <summary>
/// `latent search --out`: the query and its neighbours as files a user can look at. For an image index, the query and
/// each neighbour as PNG, named by rank and row (query.png, 1-row-17.png, ...); for a table, the neighbours' rows of
/// the CSV file exactly as they are there, after their rank and distance (neighbours.csv).
/// </summary>
internal static class NeighbourFiles
{
    /// <summary>Writes the files into <paramref name="folder"/> (created if missing) and returns their paths.</summary>
    /// <param name="query">The query as the model takes it.</param>
    /// <param name="items">The items the index was built from, where the neighbours are looked up.</param>
    /// <exception cref="InvalidDataException">A neighbour is not among <paramref name="items"/> (it was added from other data); nothing is written.</exception>
    public static IReadOnlyList<string> Write(string folder, float[] query, IReadOnlyList<SearchHit> hits, IndexItems items)
    {
        int[] rows = [.. hits.Select(hit => Array.IndexOf(items.Ids, hit.Id) is int row and >= 0 ? row
            : throw new InvalidDataException($"The neighbour '{hit.Id}' is not among the items of {items.Source}; name the data it was added from with --data (and --split) to write it."))];
        Directory.CreateDirectory(folder);
        return items.Data.Image is { } image ? WriteImages(folder, query, hits, rows, items, image) : [WriteRows(folder, hits, rows, items)];
    }

    private static List<string> WriteImages(string folder, float[] query, IReadOnlyList<SearchHit> hits, int[] rows, IndexItems items, ImageShape image)
    {
        var files = new List<string> { Path.Combine(folder, "query.png") };
        ImageFiles.Write(files[0], query, image);
        int digits = hits.Count.ToString(CultureInfo.InvariantCulture).Length;   // 01..12 list in rank order
        for (int i = 0; i < hits.Count; i++)
        {
            string rank = (i + 1).ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0');
            // Rows of a data set or file carry their row; an image of a folder is named by its file.
            string name = hits[i].Metadata.TryGetValue("row", out string? row) ? $"row-{row}" : Path.ChangeExtension(hits[i].Id, null).Replace('/', '_');
            string path = Path.Combine(folder, $"{rank}-{name}.png");
            ImageFiles.Write(path, items.Row(rows[i]), image);
            files.Add(path);
        }
        return files;
    }

    /// <summary>Table items come from a CSV file: its rows are copied as they are, label and id columns included.</summary>
    private static string WriteRows(string folder, IReadOnlyList<SearchHit> hits, int[] rows, IndexItems items)
    {
        CsvTable neighbours = CsvTable.Read(items.Spec).SelectRows(rows);
        string path = Path.Combine(folder, "neighbours.csv");
        CsvOutput.Write(path, new CsvTable([
            TableColumn.Numeric(FreeName(neighbours, "rank"), Enumerable.Range(1, hits.Count).Select(r => (double)r)),
            TableColumn.Numeric(FreeName(neighbours, "distance"), hits.Select(h => Math.Round((double)h.Distance, 6))),
            .. neighbours.Columns,
        ]));
        return path;
    }

    /// <summary><paramref name="name"/>, with underscores before it while the table has a column of that name.</summary>
    private static string FreeName(CsvTable table, string name) => table.HasColumn(name) ? FreeName(table, "_" + name) : name;
}
