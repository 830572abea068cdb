using System.Text;

namespace Latent.Bench;

/// <summary>
/// Writes 2-D arrays as NumPy <c>.npy</c> files (format 1.0: magic, header length, a Python-dict header padded to 64
/// bytes, then the little-endian values row by row), so that a Python peer reads the very same numbers with <c>numpy.load</c>.
/// </summary>
internal static class NpyFile
{
    /// <summary>Writes float32 values [rows, columns].</summary>
    public static void Write(string path, ReadOnlySpan<float> values, int rows, int columns) =>
        Write(path, "<f4", rows, columns, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values));

    /// <summary>Writes int32 values [rows.Length, columns]; every row must hold <paramref name="columns"/> values.</summary>
    public static void Write(string path, int[][] rows, int columns)
    {
        var flat = new int[rows.Length * columns];
        for (int r = 0; r < rows.Length; r++)
        {
            if (rows[r].Length != columns) throw new ArgumentException($"Row {r} holds {rows[r].Length} values, not {columns}.");
            rows[r].CopyTo(flat, r * columns);
        }
        Write(path, "<i4", rows.Length, columns, System.Runtime.InteropServices.MemoryMarshal.AsBytes(flat.AsSpan()));
    }

    private static void Write(string path, string type, int rows, int columns, ReadOnlySpan<byte> data)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("NpyFile writes little-endian values only.");
        string dict = $"{{'descr': '{type}', 'fortran_order': False, 'shape': ({rows}, {columns}), }}";
        const int prefix = 10;                                       // magic (6) + version (2) + header length (2)
        int length = (prefix + dict.Length + 1 + 63) / 64 * 64 - prefix;
        string header = dict.PadRight(length - 1) + "\n";
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        file.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)(length & 0xFF), (byte)(length >> 8)]);
        file.Write(Encoding.ASCII.GetBytes(header));
        file.Write(data);
    }
}
