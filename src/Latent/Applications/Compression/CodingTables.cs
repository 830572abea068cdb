using Latent.Engine;

namespace Latent.Applications.Compression;

/// <summary>
/// The coding tables of a codec's latent channels as one tensor for its model file: row c is [offset, n, cdf₀ … cdf_n,
/// 0 …] (integers up to 65536, exact in float32), so that a codec opened anywhere codes with exactly the tables it was
/// saved with instead of recomputing them in floating point.
/// </summary>
internal static class CodingTables
{
    public static Tensor ToTensor(SymbolTable[] tables)
    {
        int width = 2 + tables.Max(t => t.Cdf.Length);
        var values = new float[tables.Length * width];
        for (int c = 0; c < tables.Length; c++)
        {
            values[c * width] = tables[c].Offset;
            values[c * width + 1] = tables[c].Cdf.Length;
            for (int i = 0; i < tables[c].Cdf.Length; i++) values[c * width + 2 + i] = tables[c].Cdf[i];
        }
        return Tensor.FromArray(values, tables.Length, width);
    }

    /// <exception cref="InvalidDataException">A tensor that does not hold valid tables for <paramref name="channels"/> channels.</exception>
    public static SymbolTable[] FromTensor(Tensor tensor, int channels, string path, string unit = "latent channel")
    {
        if (tensor.Rank != 2 || tensor.Dim(0) != channels || tensor.Dim(1) < 4)
            throw new InvalidDataException($"'{path}' has coding tables of shape [{string.Join(", ", tensor.Shape)}] for {channels} {unit}s.");
        int width = tensor.Dim(1);
        ReadOnlySpan<float> values = tensor.Span;
        var tables = new SymbolTable[channels];
        for (int c = 0; c < channels; c++)
        {
            float offset = values[c * width], count = values[c * width + 1];
            if (offset != MathF.Round(offset) || Math.Abs(offset) > 1e6f || count != MathF.Round(count) || count < 2 || count > width - 2)
                throw new InvalidDataException($"'{path}' has a damaged coding table for {unit} {c}.");
            var cdf = new uint[(int)count];
            for (int i = 0; i < cdf.Length; i++)
            {
                float v = values[c * width + 2 + i];
                if (v != MathF.Round(v) || v < 0 || v > 65536) throw new InvalidDataException($"'{path}' has a damaged coding table for {unit} {c}.");
                cdf[i] = (uint)v;
            }
            try
            {
                tables[c] = new SymbolTable((int)offset, cdf);
            }
            catch (ArgumentException)
            {
                throw new InvalidDataException($"'{path}' has a damaged coding table for {unit} {c}.");
            }
        }
        return tables;
    }
}
