namespace Latent.Data;

/// <summary>
/// One input column as a <see cref="TableSchema"/> encodes it: a numeric column takes one encoded column, a
/// categorical one takes one per category (in <see cref="Categories"/> order).
/// </summary>
public sealed record SchemaColumn(string Name, ColumnKind Kind, IReadOnlyList<string> Categories)
{
    /// <summary>The number of encoded columns.</summary>
    public int Width => Kind == ColumnKind.Numeric ? 1 : Categories.Count;

    /// <summary>The names of the encoded columns: the column name, or <c>name=category</c> per category.</summary>
    public IEnumerable<string> EncodedNames => Kind == ColumnKind.Numeric ? [Name] : Categories.Select(c => $"{Name}={c}");
}
