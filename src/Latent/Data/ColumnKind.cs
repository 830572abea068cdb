namespace Latent.Data;

/// <summary>How a table column is encoded for a model.</summary>
public enum ColumnKind
{
    /// <summary>Every non-missing cell is a finite number (invariant culture); encoded as-is.</summary>
    Numeric,

    /// <summary>Any other column: each distinct text is a category, encoded one-hot.</summary>
    Categorical,
}
