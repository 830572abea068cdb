using Latent.Engine;

namespace Latent.Data;

/// <summary>
/// The affine map both scalers share: <c>y = (x − offset) / divisor</c> per column, with the statistics they
/// need computed over the non-NaN cells of each column in double precision.
/// </summary>
internal sealed class ColumnScaling
{
    private readonly float[] _offset, _divisor;

    public ColumnScaling(string kind, double[] offset, double[] divisor)
    {
        Kind = kind;
        Offset = offset;
        Divisor = divisor;
        _offset = [.. offset.Select(v => (float)v)];
        _divisor = [.. divisor.Select(v => (float)v)];
    }

    public string Kind { get; }
    public double[] Offset { get; }
    public double[] Divisor { get; }
    public int Columns => Offset.Length;

    public Tensor Transform(Tensor data)
    {
        ReadOnlySpan<float> x = Rows(data, nameof(data));
        Tensor result = Tensor.Zeros(data.Dim(0), Columns);
        Span<float> y = result.Span;
        for (int start = 0; start < x.Length; start += Columns)
            for (int c = 0; c < Columns; c++)
                y[start + c] = (x[start + c] - _offset[c]) / _divisor[c];   // NaN stays NaN
        return result;
    }

    public Tensor InverseTransform(Tensor scaled)
    {
        ReadOnlySpan<float> y = Rows(scaled, nameof(scaled));
        Tensor result = Tensor.Zeros(scaled.Dim(0), Columns);
        Span<float> x = result.Span;
        for (int start = 0; start < y.Length; start += Columns)
            for (int c = 0; c < Columns; c++)
                x[start + c] = y[start + c] * _divisor[c] + _offset[c];
        return result;
    }

    public string ToJson() => System.Text.Json.JsonSerializer.Serialize(new ScalerJson(Kind, Offset, Divisor), DataJsonContext.Default.ScalerJson);

    private ReadOnlySpan<float> Rows(Tensor t, string name)
    {
        ArgumentNullException.ThrowIfNull(t, name);
        if (t.Rank != 2 || t.Dim(1) != Columns)
            throw new ArgumentException($"The {Kind} scaler was fitted on {Columns} columns; it cannot scale a tensor of shape {IdxFile.FormatShape(t.Shape)}.", name);
        return t.Span;
    }

    /// <summary>Per-column statistics over the finite cells, after checking the shape; a column without values gets none.</summary>
    public static ColumnStatistics[] Statistics(Tensor data, string kind)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Rank != 2 || data.Dim(0) == 0 || data.Dim(1) == 0)
            throw new ArgumentException($"A {kind} scaler is fitted on rows [rows, columns] with at least one of each, not a tensor of shape {IdxFile.FormatShape(data.Shape)}.", nameof(data));
        int rows = data.Dim(0), columns = data.Dim(1);
        ReadOnlySpan<float> x = data.Span;
        var stats = new ColumnStatistics[columns];
        for (int c = 0; c < columns; c++) stats[c] = new ColumnStatistics();
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
            {
                float v = x[r * columns + c];
                if (float.IsNaN(v)) continue;
                if (float.IsInfinity(v))
                    throw new ArgumentException($"Column {c} holds an infinite value in row {r}; a {kind} scaler needs finite values (NaN for missing ones).", nameof(data));
                stats[c].Add(v);
            }
        return stats;
    }
}

/// <summary>Count, extremes, mean and variance of one column (Welford's update keeps the variance accurate).</summary>
internal sealed class ColumnStatistics
{
    private double _m2;

    public long Count { get; private set; }
    public double Min { get; private set; } = double.PositiveInfinity;
    public double Max { get; private set; } = double.NegativeInfinity;
    public double Mean { get; private set; }

    /// <summary>The population variance (divided by the count, as scikit-learn's StandardScaler uses).</summary>
    public double Variance => Count > 0 ? _m2 / Count : 0;

    public void Add(double v)
    {
        Count++;
        Min = Math.Min(Min, v);
        Max = Math.Max(Max, v);
        double delta = v - Mean;
        Mean += delta / Count;
        _m2 += delta * (v - Mean);
    }
}
