using System.Globalization;
using Latent.Storage;

namespace Latent.Data;

/// <summary>
/// Reads (user, item, rating[, time]) rows from MovieLens files and CSV, telling the format from the content:
/// MovieLens 100K <c>u.data</c> / <c>uN.base</c> / <c>uN.test</c> (tab-separated user, item, rating, time; no header),
/// MovieLens 1M/10M <c>ratings.dat</c> (<c>user::item::rating::time</c>), or CSV (comma-separated; a header naming the
/// columns is optional: <c>user</c>/<c>userId</c>, <c>item</c>/<c>movieId</c>/<c>itemId</c>, <c>rating</c>,
/// <c>timestamp</c>/<c>time</c>, else the columns are taken in that order; a file of two columns is implicit feedback
/// and every row gets the rating 1). Gzip-compressed files read as well.
/// </summary>
public static class RatingsFile
{
    private static readonly string[] UserNames = ["user", "userid", "user_id"], ItemNames = ["item", "itemid", "item_id", "movieid", "movie_id", "movie"];
    private static readonly string[] RatingNames = ["rating", "ratings", "score", "value"], TimeNames = ["timestamp", "time", "date"];

    /// <summary>Reads the rows of a ratings file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is empty or a line is malformed (the message names the line, counted from 1 as editors do).</exception>
    public static Ratings Read(string path)
    {
        var (content, _, _) = DataFile.OpenRead(path);
        using var reader = new StreamReader(content);
        var users = new List<string>();
        var items = new List<string>();
        var values = new List<float>();
        var times = new List<long>();
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);   // one string per distinct id, however many rows name it
        string Id(string text) => ids.TryGetValue(text, out string? id) ? id : ids[text] = text;

        Format? format = null;
        int[] order = [0, 1, 2, 3];   // columns of user, item, rating, time (−1: absent)
        int lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Trim().Length == 0) continue;
            if (format is null)
            {
                format = Detect(line);
                if (format.Value.Separator == ",")
                {
                    (order, bool isHeader) = CsvColumns(line);
                    if (isHeader) continue;
                }
            }
            string[] fields = line.Split(format.Value.Separator);
            if (fields.Length < 2 || (order[2] >= 0 && fields.Length <= order[2]))
                throw new InvalidDataException($"'{path}' line {lineNumber} has {fields.Length} {(fields.Length == 1 ? "field" : "fields")}; a ratings line needs a user, an item and a rating.");
            string user = fields[order[0]].Trim(), item = fields[order[1]].Trim();
            if (user.Length == 0 || item.Length == 0) throw new InvalidDataException($"'{path}' line {lineNumber} has an empty user or item id.");
            float rating = 1f;
            if (order[2] >= 0 && !(float.TryParse(fields[order[2]], NumberStyles.Float, CultureInfo.InvariantCulture, out rating) && float.IsFinite(rating)))
                throw new InvalidDataException($"'{path}' line {lineNumber}: the rating '{fields[order[2]].Trim()}' is not a number.");
            users.Add(Id(user));
            items.Add(Id(item));
            values.Add(rating);
            if (order[3] >= 0 && order[3] < fields.Length && long.TryParse(fields[order[3]], NumberStyles.Integer, CultureInfo.InvariantCulture, out long time)) times.Add(time);
        }
        if (users.Count == 0) throw new InvalidDataException($"'{path}' holds no ratings.");
        return new Ratings([.. users], [.. items], [.. values], times.Count == users.Count ? [.. times] : null);
    }

    private readonly record struct Format(string Separator);

    private static Format Detect(string line) =>
        line.Contains("::", StringComparison.Ordinal) ? new("::") : line.Contains('\t') ? new("\t") : new(",");

    /// <summary>
    /// The columns of user, item, rating and time (−1: absent) in a CSV file, from its first line, and whether that line
    /// is a header: it is one when it names the user and item columns, or when its third field is not a number.
    /// </summary>
    private static (int[] Order, bool IsHeader) CsvColumns(string line)
    {
        string[] names = [.. line.Split(',').Select(n => n.Trim().Trim('"').ToLowerInvariant())];
        int Find(string[] known) => Array.FindIndex(names, known.Contains);
        int user = Find(UserNames), item = Find(ItemNames), rating = Find(RatingNames), time = Find(TimeNames);
        if (user >= 0 && item >= 0) return ([user, item, rating, time], true);
        int[] positional = names.Length == 2 ? [0, 1, -1, -1] : [0, 1, 2, names.Length > 3 ? 3 : -1];
        bool isHeader = names.Length >= 3 && !double.TryParse(names[2], NumberStyles.Float, CultureInfo.InvariantCulture, out _);
        return (positional, isHeader);
    }
}
