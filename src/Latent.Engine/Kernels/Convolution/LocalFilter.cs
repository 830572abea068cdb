using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Latent.Engine.Kernels.Convolution;

/// <summary>
/// The kernel of <see cref="Ops.DynamicFilter"/> for images [n, channels, h, w] and logits [n, k·k, h, w]. Each image
/// plane is first copied inside a zero border of k / 2 pixels, so that every tap reads without bounds checks; then 16
/// pixels of a row at a time take the softmax over their taps and the weighted sum in one pass (one pixel at a time where
/// a row has fewer than 16 left, or without 512-bit vectors). The weights are recomputed in backward rather than kept:
/// k² floats a pixel would be far more memory than the images. Images are shared out over the engine's threads.
/// </summary>
internal sealed unsafe class LocalFilter(int images, int channels, int height, int width, int k) : PlaneJob
{
    private const int Lanes = 16;
    private readonly int _radius = k / 2, _taps = k * k;
    private int PaddedWidth => width + 2 * _radius;
    private int PaddedPlane => (height + 2 * _radius) * PaddedWidth;
    private int Plane => height * width;

    private float* _input, _logits, _output, _g, _dInput, _dLogits;
    private bool _backward;

    public void Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> logits, Span<float> output)
    {
        fixed (float* x = input, l = logits, y = output)
        {
            _input = x; _logits = l; _output = y; _backward = false;
            Run(images, (long)Plane * _taps * (channels + 2));
        }
    }

    /// <summary>
    /// Gradients of the filtering given its output and the output's gradient <paramref name="g"/>: with s = softmax(l),
    /// ∂y/∂vₜ = sₜ and ∂y/∂lₜ = sₜ·(vₜ − y), summed over the channels that share s. Either target may be empty (not wanted);
    /// both are written whole.
    /// </summary>
    public void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> logits, ReadOnlySpan<float> output, ReadOnlySpan<float> g,
        Span<float> dInput, Span<float> dLogits)
    {
        fixed (float* x = input, l = logits, y = output, gy = g, dx = dInput, dl = dLogits)
        {
            _input = x; _logits = l; _output = y; _g = gy; _dInput = dx; _dLogits = dl; _backward = true;
            Run(images, (long)Plane * _taps * (2 * channels + 3));
        }
    }

    protected override void Process(int first, int end)
    {
        int planes = channels * Plane;
        float[] padded = TensorPool.Rent(channels * PaddedPlane), weights = TensorPool.Rent(_taps * Lanes);
        float[]? dPadded = _backward ? TensorPool.Rent(channels * PaddedPlane) : null;
        for (int b = first; b < end; b++)
        {
            Pad(new ReadOnlySpan<float>(_input + (long)b * planes, planes), padded);
            var l = new ReadOnlySpan<float>(_logits + (long)b * _taps * Plane, _taps * Plane);
            if (!_backward)
            {
                ForwardImage(l, padded, new Span<float>(_output + (long)b * planes, planes), weights);
                continue;
            }
            bool wantInput = _dInput != null;
            if (wantInput) dPadded.AsSpan(0, channels * PaddedPlane).Clear();
            Span<float> dl = _dLogits == null ? default : new Span<float>(_dLogits + (long)b * _taps * Plane, _taps * Plane);
            var y = new ReadOnlySpan<float>(_output + (long)b * planes, planes);
            var gb = new ReadOnlySpan<float>(_g + (long)b * planes, planes);
            for (int row = 0; row < height; row++)
            {
                int x = 0;
                if (Vector512.IsHardwareAccelerated)
                    for (; x + Lanes <= width; x += Lanes) BackwardVector(l, padded, y, gb, dPadded!, wantInput, dl, row, x, weights);
                for (; x < width; x++) BackwardPixel(l, padded, y, gb, dPadded!, wantInput, dl, row, x, weights);
            }
            if (wantInput) Unpad(dPadded!, new Span<float>(_dInput + (long)b * planes, planes));
        }
        TensorPool.Return(padded);
        TensorPool.Return(weights);
        if (dPadded is not null) TensorPool.Return(dPadded);
    }

    private void ForwardImage(ReadOnlySpan<float> l, float[] padded, Span<float> y, float[] weights)
    {
        for (int row = 0; row < height; row++)
        {
            int x = 0;
            if (Vector512.IsHardwareAccelerated)
                for (; x + Lanes <= width; x += Lanes) ForwardVector(l, padded, y, row, x, weights);
            for (; x < width; x++) ForwardPixel(l, padded, y, row, x, weights);
        }
    }

    // ------------------------------------------------------------------ 16 pixels at a time

    /// <summary>The softmax over the taps of 16 pixels from <paramref name="pixel"/> into weights [taps, 16]; returns 1 / Σ exp.</summary>
    private Vector512<float> SoftmaxVector(ReadOnlySpan<float> l, int pixel, float[] weights)
    {
        ref float logit = ref MemoryMarshal.GetReference(l);
        ref float s = ref MemoryMarshal.GetArrayDataReference(weights);
        Vector512<float> max = Vector512.LoadUnsafe(ref logit, (nuint)pixel);
        for (int t = 1; t < _taps; t++) max = Vector512.Max(max, Vector512.LoadUnsafe(ref logit, (nuint)(t * Plane + pixel)));
        Vector512<float> sum = Vector512<float>.Zero;
        for (int t = 0; t < _taps; t++)
        {
            Vector512<float> e = Vector512.Exp(Vector512.LoadUnsafe(ref logit, (nuint)(t * Plane + pixel)) - max);
            e.StoreUnsafe(ref s, (nuint)(t * Lanes));
            sum += e;
        }
        return Vector512<float>.One / sum;
    }

    private void ForwardVector(ReadOnlySpan<float> l, float[] padded, Span<float> y, int row, int x, float[] weights)
    {
        Vector512<float> scale = SoftmaxVector(l, row * width + x, weights);
        ref float s = ref MemoryMarshal.GetArrayDataReference(weights);
        ref float p = ref MemoryMarshal.GetArrayDataReference(padded);
        for (int c = 0; c < channels; c++)
        {
            Vector512<float> sum = Vector512<float>.Zero;
            for (int t = 0; t < _taps; t++)
                sum = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref s, (nuint)(t * Lanes)), Vector512.LoadUnsafe(ref p, (nuint)Source(c, t, row, x)), sum);
            (sum * scale).StoreUnsafe(ref MemoryMarshal.GetReference(y), (nuint)(c * Plane + row * width + x));
        }
    }

    private void BackwardVector(ReadOnlySpan<float> l, float[] padded, ReadOnlySpan<float> y, ReadOnlySpan<float> g, float[] dPadded, bool wantInput,
        Span<float> dl, int row, int x, float[] weights)
    {
        int pixel = row * width + x;
        Vector512<float> scale = SoftmaxVector(l, pixel, weights);
        ref float s = ref MemoryMarshal.GetArrayDataReference(weights);
        ref float p = ref MemoryMarshal.GetArrayDataReference(padded), dp = ref MemoryMarshal.GetArrayDataReference(dPadded);
        ref float gs = ref MemoryMarshal.GetReference(g), ys = ref MemoryMarshal.GetReference(y);
        Vector512<float> baseline = Vector512<float>.Zero;   // Σ_c g·y, the same for every tap
        for (int c = 0; c < channels; c++)
            baseline = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref gs, (nuint)(c * Plane + pixel)), Vector512.LoadUnsafe(ref ys, (nuint)(c * Plane + pixel)), baseline);
        for (int t = 0; t < _taps; t++)
        {
            Vector512<float> weight = Vector512.LoadUnsafe(ref s, (nuint)(t * Lanes)) * scale, reach = Vector512<float>.Zero;
            for (int c = 0; c < channels; c++)
            {
                Vector512<float> gc = Vector512.LoadUnsafe(ref gs, (nuint)(c * Plane + pixel));
                nuint at = (nuint)Source(c, t, row, x);
                reach = Vector512.FusedMultiplyAdd(gc, Vector512.LoadUnsafe(ref p, at), reach);
                if (wantInput) Vector512.FusedMultiplyAdd(gc, weight, Vector512.LoadUnsafe(ref dp, at)).StoreUnsafe(ref dp, at);
            }
            if (!dl.IsEmpty) (weight * (reach - baseline)).StoreUnsafe(ref MemoryMarshal.GetReference(dl), (nuint)(t * Plane + pixel));
        }
    }

    // ------------------------------------------------------------------ one pixel at a time

    /// <summary>The softmax over the taps of one pixel into weights[0 … taps − 1]; returns 1 / Σ exp.</summary>
    private float SoftmaxPixel(ReadOnlySpan<float> l, int pixel, float[] weights)
    {
        float max = float.NegativeInfinity, sum = 0;
        for (int t = 0; t < _taps; t++) max = Math.Max(max, l[t * Plane + pixel]);
        for (int t = 0; t < _taps; t++) sum += weights[t] = MathF.Exp(l[t * Plane + pixel] - max);
        return 1 / sum;
    }

    private void ForwardPixel(ReadOnlySpan<float> l, float[] padded, Span<float> y, int row, int x, float[] weights)
    {
        float scale = SoftmaxPixel(l, row * width + x, weights);
        for (int c = 0; c < channels; c++)
        {
            float sum = 0;
            for (int t = 0; t < _taps; t++) sum += weights[t] * padded[Source(c, t, row, x)];
            y[c * Plane + row * width + x] = sum * scale;
        }
    }

    private void BackwardPixel(ReadOnlySpan<float> l, float[] padded, ReadOnlySpan<float> y, ReadOnlySpan<float> g, float[] dPadded, bool wantInput,
        Span<float> dl, int row, int x, float[] weights)
    {
        int pixel = row * width + x;
        float scale = SoftmaxPixel(l, pixel, weights), baseline = 0;
        for (int c = 0; c < channels; c++) baseline += g[c * Plane + pixel] * y[c * Plane + pixel];
        for (int t = 0; t < _taps; t++)
        {
            float weight = weights[t] * scale, reach = 0;
            for (int c = 0; c < channels; c++)
            {
                int at = Source(c, t, row, x);
                reach += g[c * Plane + pixel] * padded[at];
                if (wantInput) dPadded[at] += g[c * Plane + pixel] * weight;
            }
            if (!dl.IsEmpty) dl[t * Plane + pixel] = weight * (reach - baseline);
        }
    }

    // ------------------------------------------------------------------ the border

    /// <summary>Where tap t of pixel (row, x) of channel c lies in the padded planes: tap (ty, tx) reads padded row row + ty, column x + tx.</summary>
    private int Source(int c, int t, int row, int x) => c * PaddedPlane + (row + t / k) * PaddedWidth + x + t % k;

    private void Pad(ReadOnlySpan<float> planes, float[] padded)
    {
        padded.AsSpan(0, channels * PaddedPlane).Clear();
        for (int c = 0; c < channels; c++)
            for (int row = 0; row < height; row++)
                planes.Slice(c * Plane + row * width, width).CopyTo(padded.AsSpan(c * PaddedPlane + (row + _radius) * PaddedWidth + _radius));
    }

    private void Unpad(float[] padded, Span<float> planes)
    {
        for (int c = 0; c < channels; c++)
            for (int row = 0; row < height; row++)
                padded.AsSpan(c * PaddedPlane + (row + _radius) * PaddedWidth + _radius, width).CopyTo(planes.Slice(c * Plane + row * width));
    }
}
