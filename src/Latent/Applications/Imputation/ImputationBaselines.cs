using Latent.Data;
using Latent.Engine;

namespace Latent.Applications.Imputation;

/// <summary>
/// The simple imputers users compare with, on a numeric matrix [rows, columns] whose unknown cells are NaN.
/// Known cells are copied unchanged. On one-hot groups the column mean decodes to the mode.
/// </summary>
public static class ImputationBaselines
{
    /// <summary>Neighbours when not told otherwise, as scikit-learn's KNNImputer.</summary>
    public const int DefaultNeighbours = 5;

    /// <summary>A table's missing numeric cells get the column mean, categorical cells the most frequent category; <paramref name="exclude"/> passes through.</summary>
    public static CsvTable ColumnMean(CsvTable table, int maxCategories = 50, IReadOnlyList<string>? exclude = null) =>
        TableImputation.Fill(table, TableImputation.SchemaFor(table, maxCategories, exclude), ColumnMean);

    /// <summary>A table's missing cells from the <paramref name="k"/> nearest rows (see the matrix overload); <paramref name="exclude"/> passes through.</summary>
    public static CsvTable NearestNeighbours(CsvTable table, int k = DefaultNeighbours, int maxCategories = 50, IReadOnlyList<string>? exclude = null) =>
        TableImputation.Fill(table, TableImputation.SchemaFor(table, maxCategories, exclude), data => NearestNeighbours(data, k));

    /// <summary>Each unknown cell gets its column's mean over the known cells.</summary>
    public static Tensor ColumnMean(Tensor data)
    {
        Imputer.CheckMatrix(data, null);
        float[] mean = Imputer.ColumnMeans(data);
        Tensor result = data.Detach();
        Span<float> y = result.Span;
        for (int i = 0; i < y.Length; i++)
            if (float.IsNaN(y[i])) y[i] = mean[i % mean.Length];
        return result;
    }

    /// <summary>
    /// Each unknown cell gets the mean of that column over the <paramref name="k"/> nearest rows that know it
    /// (scikit-learn's KNNImputer): distances are Euclidean over the columns both rows know, scaled up by the
    /// fraction they share, on min-max scaled columns so that every column counts alike. Falls back to the
    /// column mean when no other row knows the column.
    /// </summary>
    public static Tensor NearestNeighbours(Tensor data, int k = DefaultNeighbours)
    {
        Imputer.CheckMatrix(data, null);
        if (k < 1) throw new ArgumentException($"The number of neighbours must be at least 1, not {k}.");
        MinMaxScaler scaler = MinMaxScaler.Fit(data);
        using Tensor scaled = scaler.Transform(data);
        using Tensor estimated = NeighbourImputation.Impute(scaled, scaled, k, Imputer.ColumnMeans(scaled));
        using Tensor estimate = scaler.InverseTransform(estimated);
        Tensor result = data.Detach();
        Span<float> y = result.Span;
        ReadOnlySpan<float> e = estimate.Span;
        for (int i = 0; i < y.Length; i++)
            if (float.IsNaN(y[i])) y[i] = e[i];
        return result;
    }
}
