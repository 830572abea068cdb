using Latent.Engine;

namespace Latent.Tests.Applications.Contract;

/// <summary>Small seeded data for the contract tests.</summary>
internal static class ContractData
{
    /// <summary>Rows of <paramref name="columns"/> correlated values (two hidden factors plus a little noise).</summary>
    public static Tensor Correlated(int rows, int columns, ulong seed)
    {
        var rng = new Rng(seed);
        var x = Tensor.Zeros(rows, columns);
        Span<float> v = x.Span;
        for (int r = 0; r < rows; r++)
        {
            float a = rng.NextNormal(), b = rng.NextNormal();
            for (int c = 0; c < columns; c++) v[r * columns + c] = (c % 3) switch { 0 => a, 1 => b, _ => a * b } + 0.1f * c + 0.05f * rng.NextNormal();
        }
        return x;
    }

    /// <summary><see cref="Correlated"/> with about a fifth of the cells NaN.</summary>
    public static Tensor Holed(int rows, int columns, ulong seed)
    {
        Tensor x = Correlated(rows, columns, seed);
        var rng = new Rng(seed + 1);
        Span<float> v = x.Span;
        for (int i = 0; i < v.Length; i++)
            if (rng.NextFloat() < 0.2f) v[i] = float.NaN;
        return x;
    }

    /// <summary>A copy of <paramref name="data"/> with one cell changed (to make bad input).</summary>
    public static Tensor WithValue(Tensor data, int index, float value)
    {
        Tensor copy = data.Detach();
        copy.Span[index] = value;
        return copy;
    }
}
