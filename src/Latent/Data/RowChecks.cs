using Latent.Engine;
using Latent.Reporting;

namespace Latent.Data;

/// <summary>
/// The input checks that models and applications share, so that a bad matrix gets the same clear
/// <see cref="ArgumentException"/> wherever it is given.
/// </summary>
internal static class RowChecks
{
    /// <summary>Throws unless <paramref name="data"/> is [rows, <paramref name="width"/>]; the message names <paramref name="operation"/>.</summary>
    public static void Rows(Tensor data, int width, string operation)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Rank != 2 || data.Dim(1) != width)
            throw new ArgumentException($"{operation} expects rows of {Counted.Of(width, "value")} ([rows, {width}]); got shape [{string.Join(", ", data.Shape)}].");
    }

    /// <summary>Throws at the first value that is NaN or infinite, naming its row and column (from 0, as everywhere).</summary>
    public static void Finite(Tensor data)
    {
        ReadOnlySpan<float> values = data.Span;
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i]))
                throw new ArgumentException(
                    $"Row {i / data.Dim(1)}, column {i % data.Dim(1)} is {values[i]}; autoencoders need complete numeric data (use imputation for missing values).");
    }
}
