using System.Buffers;
using System.Runtime.CompilerServices;

namespace Latent.Engine.Kernels.Convolution;

/// <summary>
/// Nearest and bilinear resampling of planes, forward and backward, through per-axis tables: output coordinate o
/// reads input coordinates i0(o) and i1(o) with weights 1 − λ(o) and λ(o) (nearest: i1 = i0, λ = 0).
/// </summary>
/// <remarks>
/// Nearest: i0 = ⌊o·in / out⌋ (PyTorch's "nearest"; for an integer scale s, i0 = ⌊o / s⌋). Bilinear: source
/// coordinate t = (o + ½)·in/out − ½ clamped at 0 (half-pixel centres), or t = o·(in − 1)/(out − 1) when the corners
/// are aligned; i0 = ⌊t⌋, i1 = min(i0 + 1, in − 1), λ = t − i0. The backward pass is the exact adjoint.
/// </remarks>
internal sealed unsafe class UpsampleKernels : PlaneJob
{
    [ThreadStatic] private static UpsampleKernels? _cached;

    private int _inH, _inW, _outH, _outW;
    private bool _bilinear, _backward;
    private int[] _rows0 = [], _rows1 = [], _cols0 = [], _cols1 = [];
    private float[] _rowWeights = [], _colWeights = [];
    private float* _from, _to;

    /// <summary>Forward (input planes → output planes) or, when <paramref name="backward"/>, gradient of output → gradient of input (overwritten).</summary>
    public static void Run(int planes, int inH, int inW, int outH, int outW, bool bilinear, bool alignCorners, bool backward, float* from, float* to)
    {
        UpsampleKernels job = _cached ??= new UpsampleKernels();
        (job._inH, job._inW, job._outH, job._outW, job._bilinear, job._backward) = (inH, inW, outH, outW, bilinear, backward);
        job._rows0 = ArrayPool<int>.Shared.Rent(outH);
        job._rows1 = ArrayPool<int>.Shared.Rent(outH);
        job._rowWeights = ArrayPool<float>.Shared.Rent(outH);
        job._cols0 = ArrayPool<int>.Shared.Rent(outW);
        job._cols1 = ArrayPool<int>.Shared.Rent(outW);
        job._colWeights = ArrayPool<float>.Shared.Rent(outW);
        job._from = from;
        job._to = to;
        try
        {
            Table(inH, outH, bilinear, alignCorners, job._rows0, job._rows1, job._rowWeights);
            Table(inW, outW, bilinear, alignCorners, job._cols0, job._cols1, job._colWeights);
            job.Run(planes, (long)outH * outW * (bilinear ? 4 : 1));
        }
        finally
        {
            ArrayPool<int>.Shared.Return(job._rows0);
            ArrayPool<int>.Shared.Return(job._rows1);
            ArrayPool<float>.Shared.Return(job._rowWeights);
            ArrayPool<int>.Shared.Return(job._cols0);
            ArrayPool<int>.Shared.Return(job._cols1);
            ArrayPool<float>.Shared.Return(job._colWeights);
            job._from = job._to = null;
        }
    }

    private static void Table(int size, int outputs, bool bilinear, bool alignCorners, int[] first, int[] second, float[] weight)
    {
        for (int o = 0; o < outputs; o++)
        {
            if (!bilinear)
            {
                first[o] = second[o] = (int)Math.Min((long)o * size / outputs, size - 1);
                weight[o] = 0f;
                continue;
            }
            double t = alignCorners
                ? (outputs > 1 ? o * (size - 1.0) / (outputs - 1) : 0)
                : Math.Max((o + 0.5) * size / outputs - 0.5, 0);
            int i0 = Math.Min((int)t, size - 1);
            first[o] = i0;
            second[o] = Math.Min(i0 + 1, size - 1);
            weight[o] = (float)(t - i0);
        }
    }

    protected override void Process(int first, int end)
    {
        if (!_bilinear && _outH % _inH == 0 && _outW % _inW == 0)
        {
            ProcessIntegerScale(first, end, _outH / _inH, _outW / _inW);
            return;
        }
        int inPlane = _inH * _inW, outPlane = _outH * _outW;
        for (int plane = first; plane < end; plane++)
        {
            float* input = _backward ? _to + (nint)plane * inPlane : _from + (nint)plane * inPlane;
            float* output = _backward ? _from + (nint)plane * outPlane : _to + (nint)plane * outPlane;
            if (_backward)
            {
                new Span<float>(input, inPlane).Clear();
                if (_bilinear) BilinearBackward(output, input);
                else NearestBackward(output, input);
            }
            else if (_bilinear) BilinearForward(input, output);
            else NearestForward(input, output);
        }
    }

    /// <summary>Nearest with integer factors: each input pixel is an sh×sw block of the output, no tables needed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ProcessIntegerScale(int first, int end, int sh, int sw)
    {
        int inW = _inW, inH = _inH, outW = _outW;
        int inPlane = inH * inW, outPlane = _outH * outW;
        for (int plane = first; plane < end; plane++)
        {
            float* x = (_backward ? _to : _from) + (nint)plane * inPlane;
            float* y = (_backward ? _from : _to) + (nint)plane * outPlane;
            for (int iy = 0; iy < inH; iy++)
            {
                float* src = x + (nint)iy * inW, dst = y + (nint)iy * sh * outW;
                if (!_backward)
                {
                    if (sw == 2 && sh <= 2 && PairKernels512.IsSupported)
                    {
                        PairKernels512.Double(src, dst, sh == 2 ? dst + outW : null, inW);
                        continue;
                    }
                    if (sw == 2)
                    {
                        int vectorised = PairKernels.IsSupported ? inW & ~7 : 0;
                        PairKernels.Double(src, dst, vectorised);
                        for (int ix = vectorised; ix < inW; ix++) dst[2 * ix] = dst[2 * ix + 1] = src[ix];
                    }
                    else
                    {
                        for (int ix = 0; ix < inW; ix++)
                            for (int k = 0; k < sw; k++) dst[ix * sw + k] = src[ix];
                    }
                    for (int r = 1; r < sh; r++) new ReadOnlySpan<float>(dst, outW).CopyTo(new Span<float>(dst + (nint)r * outW, outW));
                    continue;
                }
                // Backward: each input pixel gets the sum of its block.
                if (sh == 2 && sw == 2 && PairKernels.IsSupported)
                {
                    int vectorised = inW & ~7;
                    PairKernels.SumPairs(dst, dst + outW, src, vectorised);
                    for (int ix = vectorised; ix < inW; ix++) src[ix] = dst[2 * ix] + dst[2 * ix + 1] + dst[outW + 2 * ix] + dst[outW + 2 * ix + 1];
                    continue;
                }
                for (int ix = 0; ix < inW; ix++)
                {
                    float total = 0f;
                    for (int r = 0; r < sh; r++)
                    {
                        float* row = dst + (nint)r * outW + ix * sw;
                        for (int k = 0; k < sw; k++) total += row[k];
                    }
                    src[ix] = total;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void NearestForward(float* x, float* y)
    {
        for (int oy = 0; oy < _outH; oy++)
        {
            float* dst = y + (nint)oy * _outW;
            if (oy > 0 && _rows0[oy] == _rows0[oy - 1])
            {
                new ReadOnlySpan<float>(dst - _outW, _outW).CopyTo(new Span<float>(dst, _outW));   // a repeated row
                continue;
            }
            float* src = x + (nint)_rows0[oy] * _inW;
            for (int ox = 0; ox < _outW; ox++) dst[ox] = src[_cols0[ox]];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void NearestBackward(float* gy, float* gx)
    {
        for (int oy = 0; oy < _outH; oy++)
        {
            float* src = gy + (nint)oy * _outW, dst = gx + (nint)_rows0[oy] * _inW;
            for (int ox = 0; ox < _outW; ox++) dst[_cols0[ox]] += src[ox];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void BilinearForward(float* x, float* y)
    {
        for (int oy = 0; oy < _outH; oy++)
        {
            float* r0 = x + (nint)_rows0[oy] * _inW, r1 = x + (nint)_rows1[oy] * _inW, dst = y + (nint)oy * _outW;
            float ly = _rowWeights[oy];
            for (int ox = 0; ox < _outW; ox++)
            {
                int c0 = _cols0[ox], c1 = _cols1[ox];
                float lx = _colWeights[ox];
                float top = r0[c0] + (r0[c1] - r0[c0]) * lx, bottom = r1[c0] + (r1[c1] - r1[c0]) * lx;
                dst[ox] = top + (bottom - top) * ly;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void BilinearBackward(float* gy, float* gx)
    {
        for (int oy = 0; oy < _outH; oy++)
        {
            float* r0 = gx + (nint)_rows0[oy] * _inW, r1 = gx + (nint)_rows1[oy] * _inW, src = gy + (nint)oy * _outW;
            float ly = _rowWeights[oy];
            for (int ox = 0; ox < _outW; ox++)
            {
                int c0 = _cols0[ox], c1 = _cols1[ox];
                float lx = _colWeights[ox], g = src[ox];
                float top = g * (1f - ly), bottom = g * ly;
                r0[c0] += top * (1f - lx);
                r0[c1] += top * lx;
                r1[c0] += bottom * (1f - lx);
                r1[c1] += bottom * lx;
            }
        }
    }
}
