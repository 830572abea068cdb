namespace Latent.Engine.Tests.Convolution;

/// <summary>Straightforward loops in double, written from the definitions, as the oracle for the fast kernels.</summary>
internal static class NaiveConvolution
{
    /// <summary>y[n,o,i,j] = b[o] + Σ w[o,c,kh,kw]·x[n,c,i·sh−pt+kh·dh, j·sw−pl+kw·dw].</summary>
    public static double[] Conv2d(Tensor x, Tensor w, Tensor? b, int sh, int sw, int pt, int pb, int pl, int pr, int dh, int dw,
        out int[] shape)
    {
        int n = x.Dim(0), c = x.Dim(1), h = x.Dim(2), wd = x.Dim(3), o = w.Dim(0), kh = w.Dim(2), kw = w.Dim(3);
        int oh = (h + pt + pb - dh * (kh - 1) - 1) / sh + 1, ow = (wd + pl + pr - dw * (kw - 1) - 1) / sw + 1;
        shape = [n, o, oh, ow];
        var y = new double[n * o * oh * ow];
        for (int b0 = 0; b0 < n; b0++)
            for (int oc = 0; oc < o; oc++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                    {
                        double sum = b is null ? 0 : b.At(oc);
                        for (int ic = 0; ic < c; ic++)
                            for (int p = 0; p < kh; p++)
                                for (int q = 0; q < kw; q++)
                                {
                                    int yy = i * sh - pt + p * dh, xx = j * sw - pl + q * dw;
                                    if (yy >= 0 && yy < h && xx >= 0 && xx < wd) sum += (double)w.At(oc, ic, p, q) * x.At(b0, ic, yy, xx);
                                }
                        y[((b0 * o + oc) * oh + i) * ow + j] = sum;
                    }
        return y;
    }

    /// <summary>Scatter form: y[n,o,i·sh−pt+kh·dh, j·sw−pl+kw·dw] += x[n,c,i,j]·w[c,o,kh,kw]; then + b[o].</summary>
    public static double[] ConvTranspose2d(Tensor x, Tensor w, Tensor? b, int sh, int sw, int pt, int pl, int dh, int dw, int oh, int ow)
    {
        int n = x.Dim(0), c = x.Dim(1), h = x.Dim(2), wd = x.Dim(3), o = w.Dim(1), kh = w.Dim(2), kw = w.Dim(3);
        var y = new double[n * o * oh * ow];
        for (int b0 = 0; b0 < n; b0++)
            for (int oc = 0; oc < o; oc++)
            {
                for (int t = 0; t < oh * ow; t++) y[(b0 * o + oc) * oh * ow + t] = b is null ? 0 : b.At(oc);
                for (int ic = 0; ic < c; ic++)
                    for (int i = 0; i < h; i++)
                        for (int j = 0; j < wd; j++)
                            for (int p = 0; p < kh; p++)
                                for (int q = 0; q < kw; q++)
                                {
                                    int yy = i * sh - pt + p * dh, xx = j * sw - pl + q * dw;
                                    if (yy >= 0 && yy < oh && xx >= 0 && xx < ow)
                                        y[((b0 * o + oc) * oh + yy) * ow + xx] += (double)x.At(b0, ic, i, j) * w.At(ic, oc, p, q);
                                }
            }
        return y;
    }

    public static void AssertClose(double[] expected, Tensor actual, double tolerance = 1e-4)
    {
        Assert.Equal(expected.Length, actual.Length);
        ReadOnlySpan<float> a = actual.Span;
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - a[i]) <= tolerance * (1 + Math.Abs(expected[i])),
                $"element {i}: expected {expected[i]}, got {a[i]}");
    }
}
