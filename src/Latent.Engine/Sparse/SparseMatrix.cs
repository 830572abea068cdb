namespace Latent.Engine;

/// <summary>
/// An immutable sparse matrix in compressed sparse row form (CSR): row r holds the entries
/// <c>RowStarts[r] .. RowStarts[r + 1] − 1</c> of <see cref="ColumnIndices"/> and <see cref="Values"/>.
/// It is data, never a trained value: <see cref="Ops.SparseMatMul"/> multiplies it with a dense weight.
/// <code>
/// var x = new SparseMatrix(2, 3, rowStarts: [0, 1, 3], columnIndices: [2, 0, 1], values: [5f, 1f, 4f]);   // [[0,0,5],[1,4,0]]
/// </code>
/// </summary>
public sealed class SparseMatrix
{
    private readonly int[] _rowStarts, _columns;
    private readonly float[] _values;

    /// <summary>Wraps CSR arrays (not copied: the caller hands them over). Column indices within a row may come in any order.</summary>
    /// <exception cref="ArgumentException">The arrays do not describe a <paramref name="rows"/> × <paramref name="columns"/> CSR matrix.</exception>
    public SparseMatrix(int rows, int columns, int[] rowStarts, int[] columnIndices, float[] values)
    {
        ArgumentNullException.ThrowIfNull(rowStarts);
        ArgumentNullException.ThrowIfNull(columnIndices);
        ArgumentNullException.ThrowIfNull(values);
        if (rows < 0 || columns < 1) throw new ArgumentException($"A sparse matrix needs at least 0 rows and 1 column, not {rows} × {columns}.");
        if (rowStarts.Length != rows + 1 || rowStarts[0] != 0 || rowStarts[rows] != columnIndices.Length || values.Length != columnIndices.Length)
            throw new ArgumentException($"CSR arrays do not fit: {rowStarts.Length} row starts for {rows} rows, {columnIndices.Length} column indices and {values.Length} values.");
        for (int r = 0; r < rows; r++)
            if (rowStarts[r + 1] < rowStarts[r]) throw new ArgumentException($"CSR row starts must not decrease (row {r}).");
        foreach (int c in columnIndices)
            if ((uint)c >= (uint)columns) throw new ArgumentException($"CSR column index {c} is outside 0..{columns - 1}.");
        Rows = rows;
        Columns = columns;
        _rowStarts = rowStarts;
        _columns = columnIndices;
        _values = values;
    }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of columns.</summary>
    public int Columns { get; }

    /// <summary>Number of stored entries.</summary>
    public int NonZeros => _columns.Length;

    /// <summary>Where each row's entries start; one more element than <see cref="Rows"/>.</summary>
    public ReadOnlySpan<int> RowStarts => _rowStarts;

    /// <summary>The column of each stored entry.</summary>
    public ReadOnlySpan<int> ColumnIndices => _columns;

    /// <summary>The value of each stored entry.</summary>
    public ReadOnlySpan<float> Values => _values;

    internal int[] RowStartArray => _rowStarts;
    internal int[] ColumnArray => _columns;
    internal float[] ValueArray => _values;

    /// <summary>The dense copy [rows, columns], for tests and small matrices.</summary>
    public Tensor ToDense()
    {
        var dense = Tensor.Zeros(Rows, Columns);
        Span<float> d = dense.Span;
        for (int r = 0; r < Rows; r++)
            for (int e = _rowStarts[r]; e < _rowStarts[r + 1]; e++) d[r * Columns + _columns[e]] += _values[e];
        return dense;
    }
}
