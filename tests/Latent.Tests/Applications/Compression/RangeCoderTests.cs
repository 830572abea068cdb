using Latent.Applications.Compression;
using Latent.Engine;

namespace Latent.Tests.Applications.Compression;

public class RangeCoderTests
{
    /// <summary>Skewed, flat and peaked sources: the coder must round-trip them within 1 % of their Shannon entropy.</summary>
    public static TheoryData<string> Sources => new() { "laplacian", "uniform", "peaked" };

    private static double[] Probabilities(string source) => source switch
    {
        "laplacian" => Normalise(Enumerable.Range(-20, 41).Select(v => Math.Exp(-Math.Abs(v) / 2.5)).ToArray()),
        "uniform" => Normalise(Enumerable.Repeat(1.0, 7).ToArray()),
        _ => Normalise([0.9, 0.05, 0.03, 0.015, 0.005]),
    };

    private static double[] Normalise(double[] p) => [.. p.Select(v => v / p.Sum())];

    [Theory]
    [MemberData(nameof(Sources))]
    public void RandomSymbolStreamsRoundTripWithinOnePercentOfTheirEntropy(string source)
    {
        double[] p = Probabilities(source);
        SymbolTable table = SymbolTable.FromProbabilities(-3, p);
        var rng = new Rng(11);
        int[] values = new int[200_000];
        for (int i = 0; i < values.Length; i++)
        {
            double u = rng.NextFloat(), cumulative = 0;
            int s = 0;
            while (s < p.Length - 1 && (cumulative += p[s]) <= u) s++;
            values[i] = s - 3;
        }
        var encoder = new RangeEncoder();
        foreach (int v in values) table.Encode(encoder, v);
        byte[] bytes = encoder.Finish();

        var decoder = new RangeDecoder(bytes);
        foreach (int v in values) Assert.Equal(v, table.Decode(ref decoder));
        double entropyBits = -values.Length * p.Where(x => x > 0).Sum(x => x * Math.Log2(x));
        Assert.InRange(8.0 * bytes.Length, 0.99 * entropyBits, 1.01 * entropyBits);
    }

    [Fact]
    public void ValuesOutsideTheTableRoundTripThroughTheEscape()
    {
        SymbolTable table = SymbolTable.FromProbabilities(0, [0.5, 0.3, 0.2]);
        int[] values = [0, 1, 2, 3, -1, 4, 1000, -1000, 2_000_000_000, -2_000_000_000, 2, 0, 65537, -65537];
        var encoder = new RangeEncoder();
        foreach (int v in values) table.Encode(encoder, v);
        byte[] bytes = encoder.Finish();
        var decoder = new RangeDecoder(bytes);
        foreach (int v in values) Assert.Equal(v, table.Decode(ref decoder));
    }

    [Fact]
    public void RawBitsAndMixedTablesRoundTrip()
    {
        var rng = new Rng(5);
        SymbolTable a = SymbolTable.FromProbabilities(-1, [0.001, 0.998, 0.001]), b = SymbolTable.FromProbabilities(10, [0.25, 0.25, 0.25, 0.25]);
        var script = new List<(int Kind, int Value)>();
        for (int i = 0; i < 50_000; i++)
        {
            int kind = rng.NextInt(3);
            script.Add((kind, kind switch { 0 => rng.NextInt(5) - 2, 1 => 8 + rng.NextInt(8), _ => rng.NextInt(1 << 13) }));
        }
        var encoder = new RangeEncoder();
        foreach (var (kind, value) in script)
        {
            if (kind == 0) a.Encode(encoder, value);
            else if (kind == 1) b.Encode(encoder, value);
            else encoder.EncodeBits((uint)value, 13);
        }
        byte[] bytes = encoder.Finish();
        var decoder = new RangeDecoder(bytes);
        foreach (var (kind, value) in script)
            Assert.Equal(value, kind == 0 ? a.Decode(ref decoder) : kind == 1 ? b.Decode(ref decoder) : (int)decoder.DecodeBits(13));
    }

    [Fact]
    public void TablesGiveEverySymbolAFrequencyAndSumToThePrecision()
    {
        SymbolTable table = SymbolTable.FromProbabilities(0, [1.0, 0, 0, 1e-12, double.NaN]);
        Assert.Equal(6, table.Count);
        Assert.Equal(0u, table.Cdf[0]);
        Assert.Equal(65536u, table.Cdf[^1]);
        for (int i = 1; i < table.Cdf.Length; i++) Assert.True(table.Cdf[i] > table.Cdf[i - 1]);
    }
}
