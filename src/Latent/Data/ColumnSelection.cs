namespace Latent.Data;

/// <summary>
/// The columns of a table that are not features, named by the user: a label column (classes, or what rows are judged
/// against) and columns to leave out (ids, free text, time stamps). Every name must be a column of the data, checked
/// before any work starts; data without named columns (images) has none to name.
/// </summary>
/// <example>
/// <code>
/// var columns = new ColumnSelection(Label: "label", Exclude: ["id"]);
/// Dataset data = DataSource.Load("cardio.csv", Split.Train, columns: columns);   // features without label and id
/// </code>
/// </example>
/// <param name="Label">The label column, or null.</param>
/// <param name="Exclude">Other columns to leave out.</param>
public sealed record ColumnSelection(string? Label = null, IReadOnlyList<string>? Exclude = null)
{
    /// <summary>No label, nothing left out.</summary>
    public static ColumnSelection None { get; } = new();

    /// <summary>Every named column: the label first, then the excluded ones.</summary>
    public IReadOnlyList<string> LeftOut => [.. (Label is null ? [] : new[] { Label }).Concat(Exclude ?? []).Distinct()];

    /// <summary>Whether no column is named.</summary>
    public bool IsEmpty => LeftOut.Count == 0;

    /// <summary>Refuses a name that is not one of <paramref name="columns"/>, the columns of <paramref name="source"/>.</summary>
    /// <param name="columns">The data's column names.</param>
    /// <param name="source">The data as a message names it, e.g. "the CSV file 'a.csv'".</param>
    /// <exception cref="ArgumentException">A name is not a column; the message lists the columns there are.</exception>
    public void Check(IReadOnlyList<string> columns, string source)
    {
        foreach (string name in LeftOut)
            if (ColumnName.IndexOf(columns, name) < 0)
                throw new ArgumentException($"The {Role(name)} '{name}' is not a column of {source}, whose columns are {ColumnName.List(columns)}.");
    }

    /// <summary>Refuses any name for data without named columns (a data set of images, an IDX file, a folder of PNG files).</summary>
    /// <exception cref="ArgumentException">A column is named.</exception>
    public void CheckNoColumns(string source)
    {
        if (LeftOut.Count > 0)
            throw new ArgumentException($"The {Role(LeftOut[0])} '{LeftOut[0]}' cannot be chosen: {source} has no named columns (only a CSV table has).");
    }

    private string Role(string name) => name == Label ? "label column" : "excluded column";
}
