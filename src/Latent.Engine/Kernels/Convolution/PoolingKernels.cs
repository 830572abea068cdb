using System.Runtime.CompilerServices;

namespace Latent.Engine.Kernels.Convolution;

/// <summary>
/// Max and average pooling over planes. Window (oy, ox) covers image rows oy·sh − padTop .. + kh − 1 and columns
/// likewise; positions outside the image are skipped (max) or count as zeros (average, when the padding is counted).
/// </summary>
/// <remarks>
/// Max pooling propagates NaN; its gradient goes to the first largest element of each window in row-major order,
/// found again from the saved input and output instead of stored indices. The average divisor
/// follows PyTorch: the window clipped to the padded image when padding is counted, to the image otherwise.
/// </remarks>
internal sealed unsafe class PoolingKernels : PlaneJob
{
    [ThreadStatic] private static PoolingKernels? _cached;

    private ConvGeometry _g;   // Channels unused: planes are counted separately
    private int _padBottom, _padRight;
    private bool _max, _backward, _countPadding;
    private float* _input, _output, _gradOutput, _gradInput;

    public static void MaxForward(in ConvGeometry g, int planes, float* input, float* output) =>
        Start(g, 0, 0, max: true, backward: false, false).Go(planes, input, output, null, null);

    /// <summary>Overwrites <paramref name="gradInput"/> with the gradient of max pooling.</summary>
    public static void MaxBackward(in ConvGeometry g, int planes, float* input, float* output, float* gradOutput, float* gradInput) =>
        Start(g, 0, 0, max: true, backward: true, false).Go(planes, input, output, gradOutput, gradInput);

    public static void AverageForward(in ConvGeometry g, int padBottom, int padRight, bool countPadding, int planes, float* input, float* output) =>
        Start(g, padBottom, padRight, max: false, backward: false, countPadding).Go(planes, input, output, null, null);

    /// <summary>Overwrites <paramref name="gradInput"/> with the gradient of average pooling.</summary>
    public static void AverageBackward(in ConvGeometry g, int padBottom, int padRight, bool countPadding, int planes, float* gradOutput, float* gradInput) =>
        Start(g, padBottom, padRight, max: false, backward: true, countPadding).Go(planes, null, null, gradOutput, gradInput);

    private static PoolingKernels Start(in ConvGeometry g, int padBottom, int padRight, bool max, bool backward, bool countPadding)
    {
        PoolingKernels job = _cached ??= new PoolingKernels();
        (job._g, job._padBottom, job._padRight, job._max, job._backward, job._countPadding) = (g, padBottom, padRight, max, backward, countPadding);
        return job;
    }

    private void Go(int planes, float* input, float* output, float* gradOutput, float* gradInput)
    {
        _input = input;
        _output = output;
        _gradOutput = gradOutput;
        _gradInput = gradInput;
        try
        {
            Run(planes, (long)_g.Height * _g.Width + (long)_g.Positions * _g.KernelHeight * _g.KernelWidth);
        }
        finally
        {
            _input = _output = _gradOutput = _gradInput = null;
        }
    }

    protected override void Process(int first, int end)
    {
        int inPlane = _g.Height * _g.Width, outPlane = _g.Positions;
        for (int plane = first; plane < end; plane++)
        {
            nint i = (nint)plane * inPlane, o = (nint)plane * outPlane;
            bool twoByTwo = _max && IsPlainTwoByTwo;
            // The 2×2 backward writes every covered element itself; only a leftover last row or column needs clearing.
            if (_backward && !(twoByTwo && 2 * _g.OutHeight == _g.Height && 2 * _g.OutWidth == _g.Width))
                new Span<float>(_gradInput + i, inPlane).Clear();
            if (_max && !_backward) MaxPlane(_input + i, _output + o);
            else if (twoByTwo) MaxPlaneBackwardTwoByTwo(_input + i, _output + o, _gradOutput + o, _gradInput + i);
            else if (_max) MaxPlaneBackward(_input + i, _gradOutput + o, _gradInput + i);
            else AveragePlane(_backward ? _gradOutput + o : _input + i, _backward ? _gradInput + i : _output + o);
        }
    }

    /// <summary>Whether this is the common 2×2, stride-2 window without padding, which has branch-free kernels.</summary>
    private bool IsPlainTwoByTwo =>
        _g is { KernelHeight: 2, KernelWidth: 2, StrideHeight: 2, StrideWidth: 2, PadTop: 0, PadLeft: 0 }
        && 2 * _g.OutHeight <= _g.Height && 2 * _g.OutWidth <= _g.Width && _g.Width <= 4096;   // a row pair on the stack

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void MaxPlane(float* x, float* y)
    {
        ConvGeometry g = _g;
        if (IsPlainTwoByTwo)
        {
            int ow = g.OutWidth, vectorised = PairKernels.IsSupported ? ow & ~7 : 0;
            for (int oy = 0; oy < g.OutHeight; oy++, y += ow)
            {
                float* r0 = x + (nint)2 * oy * g.Width, r1 = r0 + g.Width;
                if (PairKernels512.IsSupported)
                {
                    PairKernels512.MaxPool(r0, r1, y, ow);
                    continue;
                }
                PairKernels.MaxPool(r0, r1, y, vectorised);
                for (int ox = vectorised; ox < ow; ox++)
                    y[ox] = MathF.Max(MathF.Max(r0[2 * ox], r0[2 * ox + 1]), MathF.Max(r1[2 * ox], r1[2 * ox + 1]));
            }
            return;
        }
        for (int oy = 0; oy < g.OutHeight; oy++)
            for (int ox = 0; ox < g.OutWidth; ox++)
                y[oy * g.OutWidth + ox] = x[ArgMax(x, oy, ox)];
    }

    /// <summary>
    /// Backward of the 2×2 case without searching: the gradient goes to the first of the four elements equal to the
    /// window's output (the last one when none is, i.e. NaN), chosen with integer arithmetic instead of branches.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void MaxPlaneBackwardTwoByTwo(float* x, float* y, float* gy, float* gx)
    {
        ConvGeometry g = _g;
        int w = g.Width, ow = g.OutWidth, vectorised = PairKernels.IsSupported ? ow & ~7 : 0;
        for (int oy = 0; oy < g.OutHeight; oy++)
        {
            float* r0 = x + (nint)2 * oy * w, d0 = gx + (nint)2 * oy * w;
            PairKernels.MaxPoolBackward(r0, r0 + w, y + oy * ow, gy + oy * ow, d0, d0 + w, vectorised);
            for (int ox = vectorised; ox < ow; ox++)
            {
                float m = y[oy * ow + ox];
                int p = 2 * ox;
                int a = r0[p] == m ? 1 : 0, b = r0[p + 1] == m ? 1 : 0, c = r0[p + w] == m ? 1 : 0;
                int notA = 1 - a, notAB = notA * (1 - b);
                int offset = notA * b + notAB * c * w + notAB * (1 - c) * (w + 1);
                d0[p] = d0[p + 1] = d0[p + w] = d0[p + w + 1] = 0f;
                d0[p + offset] = gy[oy * ow + ox];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void MaxPlaneBackward(float* x, float* gy, float* gx)
    {
        for (int oy = 0; oy < _g.OutHeight; oy++)
            for (int ox = 0; ox < _g.OutWidth; ox++)
                gx[ArgMax(x, oy, ox)] += gy[oy * _g.OutWidth + ox];
    }

    /// <summary>Offset in the plane of the first largest element of window (oy, ox).</summary>
    private int ArgMax(float* x, int oy, int ox)
    {
        ConvGeometry g = _g;
        int y0 = oy * g.StrideHeight - g.PadTop, x0 = ox * g.StrideWidth - g.PadLeft;
        int best = -1;
        float bestValue = float.NegativeInfinity;
        for (int ky = Math.Max(0, -y0); ky < g.KernelHeight && y0 + ky < g.Height; ky++)
        {
            float* row = x + (nint)(y0 + ky) * g.Width;
            for (int kx = Math.Max(0, -x0); kx < g.KernelWidth && x0 + kx < g.Width; kx++)
            {
                float v = row[x0 + kx];
                if (best < 0 || v > bestValue || float.IsNaN(v) && !float.IsNaN(bestValue))
                {
                    best = (y0 + ky) * g.Width + x0 + kx;
                    bestValue = v;
                }
            }
        }
        return best;
    }

    /// <summary>Forward (x → y) or, when backward, the adjoint (gradient of y → gradient of x, accumulated).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AveragePlane(float* from, float* to)
    {
        ConvGeometry g = _g;
        for (int oy = 0; oy < g.OutHeight; oy++)
        {
            int y0 = oy * g.StrideHeight - g.PadTop, y1 = Math.Min(y0 + g.KernelHeight, g.Height + _padBottom);
            int rowsPadded = y1 - y0;
            int ya = Math.Max(y0, 0), yb = Math.Min(y1, g.Height);
            for (int ox = 0; ox < g.OutWidth; ox++)
            {
                int x0 = ox * g.StrideWidth - g.PadLeft, x1 = Math.Min(x0 + g.KernelWidth, g.Width + _padRight);
                int xa = Math.Max(x0, 0), xb = Math.Min(x1, g.Width);
                int count = _countPadding ? rowsPadded * (x1 - x0) : (yb - ya) * (xb - xa);
                float scale = count > 0 ? 1f / count : 0f;
                if (_backward)
                {
                    float share = from[oy * g.OutWidth + ox] * scale;
                    for (int yy = ya; yy < yb; yy++)
                        for (int xx = xa; xx < xb; xx++) to[yy * g.Width + xx] += share;
                }
                else
                {
                    float sum = 0f;
                    for (int yy = ya; yy < yb; yy++)
                        for (int xx = xa; xx < xb; xx++) sum += from[yy * g.Width + xx];
                    to[oy * g.OutWidth + ox] = sum * scale;
                }
            }
        }
    }
}
