using System.Runtime.Intrinsics;
using Latent.Engine.Kernels.Convolution;
using Latent.Engine.Kernels.Simd;

namespace Latent.Engine.Tests.Convolution;

/// <summary>
/// The direct kernel's two loops at each vector width, whatever this CPU accelerates (an unaccelerated width runs in
/// software), against naive loops: the shifted sums are one FMA chain per output in (b, t) order, so they must match a
/// scalar chain bit for bit; the shifted dots sum their lanes at the end, so they are compared in double.
/// </summary>
public unsafe class DirectConvolutionWidthTests
{
    // 6 planes: one block of four and two single planes; 6 taps: one block of four and two single taps; 80 values: for
    // a single plane, whole blocks of four vectors and then single vectors at both widths. Input planes hold the
    // largest shift plus one vector of slack.
    private const int Planes = 6, Inputs = 3, Length = 80, InPlane = Length + 48;
    private static readonly int[] ShiftTable = [0, 1, 7, 9, 20, 33];

    [Fact]
    public void ShiftedSumsAreTheScalarFusedChainAtEveryWidth()
    {
        int taps = ShiftTable.Length;
        float[] weights = Random(1, Planes * Inputs * taps), input = Random(2, Inputs * InPlane);
        float[] expected = new float[Planes * Length];
        for (int a = 0; a < Planes; a++)
            for (int j = 0; j < Length; j++)
            {
                float s = 0;
                for (int b = 0; b < Inputs; b++)
                    for (int t = 0; t < taps; t++)
                        s = MathF.FusedMultiplyAdd(weights[(a * Inputs + b) * taps + t], input[b * InPlane + j + ShiftTable[t]], s);
                expected[a * Length + j] = s;
            }

        Assert.Equal(expected, ShiftedSums<Vector512Width, Vector512<float>>(weights, input));
        Assert.Equal(expected, ShiftedSums<Vector256Width, Vector256<float>>(weights, input));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ShiftedDotsMatchANaiveSumAtEveryWidth(bool first)
    {
        float[] g = Random(3, Length), x = Random(4, InPlane), old = Random(5, ShiftTable.Length);
        var expected = new double[ShiftTable.Length];
        for (int t = 0; t < ShiftTable.Length; t++)
        {
            double s = first ? 0 : old[t];
            for (int j = 0; j < Length; j++) s += (double)g[j] * x[j + ShiftTable[t]];
            expected[t] = s;
        }

        foreach (float[] dw in new[] { ShiftedDots<Vector512Width, Vector512<float>>(g, x, old, first), ShiftedDots<Vector256Width, Vector256<float>>(g, x, old, first) })
            for (int t = 0; t < ShiftTable.Length; t++) Assert.Equal(expected[t], dw[t], 1e-5);
    }

    private static float[] ShiftedSums<TWidth, TVector>(float[] weights, float[] input)
        where TWidth : struct, IVectorWidth<TVector> where TVector : struct
    {
        var output = new float[Planes * Length];
        int taps = ShiftTable.Length;
        fixed (float* w = weights, i = input, o = output)
        fixed (int* shift = ShiftTable)
            DirectConvolution.ShiftedSums<TWidth, TVector>(Planes, Inputs, taps, w, Inputs * taps, taps, shift, i, InPlane, o, Length, Length);
        return output;
    }

    private static float[] ShiftedDots<TWidth, TVector>(float[] g, float[] x, float[] old, bool first)
        where TWidth : struct, IVectorWidth<TVector> where TVector : struct
    {
        float[] dw = (float[])old.Clone();
        fixed (float* gp = g, xp = x, d = dw)
        fixed (int* shift = ShiftTable)
            DirectConvolution.ShiftedDots<TWidth, TVector>(gp, xp, shift, ShiftTable.Length, Length, d, first);
        return dw;
    }

    private static float[] Random(int seed, int count)
    {
        var random = new Random(seed);
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}
