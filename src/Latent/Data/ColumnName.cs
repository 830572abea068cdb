namespace Latent.Data;

/// <summary>
/// How column names are matched and listed. A header keeps its exact text, so that a table written back has the same
/// header, but names are matched ignoring the spaces around them: "Cat 2 " can be named as "Cat 2" on a command line.
/// A file whose names differ only by such spaces is refused as having a name twice.
/// </summary>
public static class ColumnName
{
    /// <summary>Whether two names are the same column (ordinal, case-sensitive, surrounding white space ignored).</summary>
    public static bool Same(string a, string b) => a.AsSpan().Trim().SequenceEqual(b.AsSpan().Trim());

    /// <summary>The position of <paramref name="name"/> among <paramref name="names"/>, or -1.</summary>
    public static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
            if (Same(names[i], name)) return i;
        return -1;
    }

    /// <summary>Whether <paramref name="names"/> holds <paramref name="name"/>.</summary>
    public static bool Contains(IEnumerable<string> names, string name) => names.Any(n => Same(n, name));

    /// <summary>Names quoted and separated by commas, as messages list them: 'a', 'b', 'c'.</summary>
    internal static string List(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));
}
