using System.Globalization;
using System.IO.Compression;

namespace Latent.Data;

/// <summary>
/// The 8×8 handwritten digits bundled with the library (1,797 images, scikit-learn's copy of the UCI set):
/// pixels scaled from 0–16 to [0, 1], row-major, with their labels.
/// </summary>
public static class Digits
{
    /// <summary>The side of a digit image in pixels.</summary>
    public const int Side = 8;
    /// <summary>Pixels per digit image.</summary>
    public const int Pixels = Side * Side;

    /// <summary>Reads the bundled set: <c>Pixels</c> [count × 64] in [0, 1] and one label 0–9 per image.</summary>
    public static (float[] Pixels, int[] Labels) Load()
    {
        using Stream resource = typeof(Digits).Assembly.GetManifestResourceStream("Latent.Data.digits.csv.gz")
            ?? throw new InvalidOperationException("The bundled digits resource is missing from the Latent assembly.");
        using var reader = new StreamReader(new GZipStream(resource, CompressionMode.Decompress));
        var pixels = new List<float>(1797 * Pixels);
        var labels = new List<int>(1797);
        while (reader.ReadLine() is { } line)
        {
            string[] cells = line.Split(',');
            if (cells.Length != Pixels + 1) throw new InvalidDataException($"Bundled digits row {labels.Count + 1} has {cells.Length} columns, not {Pixels + 1}.");
            for (int i = 0; i < Pixels; i++) pixels.Add(float.Parse(cells[i], CultureInfo.InvariantCulture) / 16f);
            labels.Add(int.Parse(cells[Pixels], CultureInfo.InvariantCulture));
        }
        return ([.. pixels], [.. labels]);
    }
}
