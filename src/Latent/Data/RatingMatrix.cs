using Latent.Engine;

namespace Latent.Data;

/// <summary>
/// Ratings as a sparse matrix in rows (items by users for an item-based model, users by items for a user-based one),
/// each row's entries sorted by column: the one form every recommender model trains from. Never densified: a model
/// takes the rows of a batch with <see cref="Batch"/>.
/// </summary>
internal sealed class RatingMatrix
{
    private readonly int[] _starts, _columns;
    private readonly float[] _values;

    private RatingMatrix(int rows, int columns, int[] starts, int[] columnIndices, float[] values)
    {
        Rows = rows;
        Columns = columns;
        _starts = starts;
        _columns = columnIndices;
        _values = values;
    }

    /// <summary>Rows × columns from entries (row, column, value); a (row, column) pair must appear at most once.</summary>
    public static RatingMatrix FromEntries(int rows, int columns, ReadOnlySpan<int> rowOf, ReadOnlySpan<int> columnOf, ReadOnlySpan<float> values)
    {
        var starts = new int[rows + 1];
        foreach (int r in rowOf) starts[r + 1]++;
        for (int r = 0; r < rows; r++) starts[r + 1] += starts[r];
        var next = (int[])starts.Clone();
        var cols = new int[rowOf.Length];
        var vals = new float[rowOf.Length];
        for (int e = 0; e < rowOf.Length; e++)
        {
            int at = next[rowOf[e]]++;
            cols[at] = columnOf[e];
            vals[at] = values[e];
        }
        for (int r = 0; r < rows; r++) Array.Sort(cols, vals, starts[r], starts[r + 1] - starts[r]);
        return new RatingMatrix(rows, columns, starts, cols, vals);
    }

    public int Rows { get; }
    public int Columns { get; }
    public int Count => _columns.Length;

    /// <summary>The columns of row <paramref name="row"/>'s entries, ascending.</summary>
    public ReadOnlySpan<int> ColumnsOf(int row) => _columns.AsSpan(_starts[row], _starts[row + 1] - _starts[row]);

    /// <summary>The values of row <paramref name="row"/>'s entries, in the order of <see cref="ColumnsOf"/>.</summary>
    public ReadOnlySpan<float> ValuesOf(int row) => _values.AsSpan(_starts[row], _starts[row + 1] - _starts[row]);

    /// <summary>
    /// The chosen rows as a sparse matrix [rows.Length, Columns] for a network's input. With <paramref name="dropout"/>
    /// &gt; 0 each entry is left out with that probability and the rest scaled by 1/(1 − dropout) (a denoising
    /// autoencoder's corruption); <paramref name="map"/> changes the values (e.g. to 1 for interactions).
    /// </summary>
    public SparseMatrix Batch(ReadOnlySpan<int> rows, float dropout = 0f, Rng? rng = null, Func<float, float>? map = null)
    {
        var starts = new int[rows.Length + 1];
        int total = 0;
        foreach (int r in rows) total += _starts[r + 1] - _starts[r];
        var cols = new int[total];
        var vals = new float[total];
        float keep = 1f / (1f - dropout);
        int n = 0;
        for (int i = 0; i < rows.Length; i++)
        {
            ReadOnlySpan<int> c = ColumnsOf(rows[i]);
            ReadOnlySpan<float> v = ValuesOf(rows[i]);
            for (int e = 0; e < c.Length; e++)
            {
                if (dropout > 0 && rng!.NextFloat() < dropout) continue;
                float value = map is null ? v[e] : map(v[e]);
                cols[n] = c[e];
                vals[n++] = dropout > 0 ? value * keep : value;
            }
            starts[i + 1] = n;
        }
        return new SparseMatrix(rows.Length, Columns, starts, n == total ? cols : cols[..n], n == total ? vals : vals[..n]);
    }
}
