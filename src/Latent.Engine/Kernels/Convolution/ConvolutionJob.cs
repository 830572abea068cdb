using System.Numerics.Tensors;
using Latent.Engine.Diagnostics;
using Latent.Engine.Kernels.Elementwise;
using Latent.Engine.Kernels.Gemm;

namespace Latent.Engine.Kernels.Convolution;

/// <summary>
/// Runs a convolution or a transposed convolution, forward or backward, over a batch: image by image through
/// <see cref="Im2Col"/> and the GEMM, the batch split into contiguous shares, one per thread, when the work is
/// large enough (each share then runs single-threaded GEMMs; a lone large image uses a multi-threaded GEMM instead).
/// </summary>
/// <remarks>
/// Both operations are the same three products seen from two sides. With A = the [rows, positions] side (the output
/// of a convolution, the input of a transposed one), weight W = [rows, C·KH·KW] and the image side described by
/// <see cref="ConvGeometry"/>:
/// <list type="bullet">
/// <item>gather: A = W·im2col(image) — convolution forward, transposed-convolution backward to its input;</item>
/// <item>scatter: image = col2im(Wᵀ·A) — transposed-convolution forward, convolution backward to its input;</item>
/// <item>weight gradient: dW = Σₙ A·im2col(image)ᵀ.</item>
/// </list>
/// Activation and bias act on the output side per channel plane; the backward pass first turns the output gradient
/// into the pre-activation gradient, one image at a time while it is in cache. The weight and bias gradients of each
/// share go to its own buffer and are added in share order, so results are deterministic for a given thread count.
/// </remarks>
internal sealed unsafe class ConvolutionJob : IParallelJob
{
    [ThreadStatic] private static ConvolutionJob? _cached;

    // Each thread's scratch: the column matrix (or the direct kernel's planes), and the pre-activation gradient.
    [ThreadStatic] private static NativeBuffer? _columns, _preActivation;

    /// <summary>Which kernel convolutions use; the benchmarks and tests force one to compare them.</summary>
    internal static ConvAlgorithm Algorithm { get; set; }

    private ConvGeometry _g;
    private int _batch, _rows, _parts, _gemmThreads;
    private bool _transposed, _backward, _direct, _splitRows;
    private Activation _activation;
    private float _parameter;
    private float* _weight, _bias, _input, _output, _gradOutput, _gradInput, _gradWeight, _gradBias;
    private readonly float[]?[] _partialWeight = new float[]?[64], _partialBias = new float[]?[64];

    /// <summary>
    /// Forward: output = act(conv(input) + bias). <paramref name="rows"/> is the weight's first dimension (output
    /// channels of a convolution, input channels of a transposed one); <paramref name="bias"/> may be null.
    /// </summary>
    public static void Forward(in ConvGeometry g, int batch, int rows, bool transposed, float* input, float* weight,
        float* bias, Activation activation, float parameter, float* output)
    {
        using var profile = StepProfiler.Measure(WorkKind.Convolution);
        ConvolutionJob job = _cached ??= new ConvolutionJob();
        job.Set(g, batch, rows, transposed, backward: false, activation, parameter);
        job._input = input;
        job._weight = weight;
        job._bias = bias;
        job._output = output;
        job.RunAll();
    }

    /// <summary>
    /// Backward: overwrites each gradient target that is not null (input, weight, bias) with the gradient, given the
    /// forward input, output and the output's gradient.
    /// </summary>
    public static void Backward(in ConvGeometry g, int batch, int rows, bool transposed, float* input, float* weight,
        Activation activation, float parameter, float* output, float* gradOutput, float* gradInput, float* gradWeight,
        float* gradBias)
    {
        using var profile = StepProfiler.Measure(WorkKind.Convolution);
        ConvolutionJob job = _cached ??= new ConvolutionJob();
        job.Set(g, batch, rows, transposed, backward: true, activation, parameter);
        job._input = input;
        job._weight = weight;
        job._output = output;
        job._gradOutput = gradOutput;
        job._gradInput = gradInput;
        job._gradWeight = gradWeight;
        job._gradBias = gradBias;
        job.RunAll();
    }

    private void Set(in ConvGeometry g, int batch, int rows, bool transposed, bool backward, Activation activation, float parameter)
    {
        _g = g;
        _batch = batch;
        _rows = rows;
        _transposed = transposed;
        _backward = backward;
        _activation = activation;
        _parameter = parameter;
        _bias = _gradOutput = _gradInput = _gradWeight = _gradBias = null;
        // Products per image: forward one, backward up to two.
        double flop = 2.0 * rows * g.ColumnRows * g.Positions * batch * (backward ? 2 : 1);
        _parts = (int)Math.Clamp(flop / Gemm.Gemm.MinFlopPerThread, 1, Math.Min(Math.Min(Parallelism.Threads, batch), _partialWeight.Length));
        _gemmThreads = _parts > 1 ? 1 : 0;
        _direct = !transposed && g.StrideHeight == 1 && g.StrideWidth == 1 && Algorithm switch
        {
            ConvAlgorithm.Direct => true,
            ConvAlgorithm.Im2ColGemm => false,
            _ => DirectConvolution.Suits(g, rows, backward),
        };
        // Fewer images than threads (inference on one image): split each image's output rows instead. Each thread
        // gathers and multiplies its own rows, so only the small input and output cross cores, not the column matrix
        // a split product would share.
        _splitRows = !backward && !transposed && !_direct && !g.ColumnsAreImage && batch < Parallelism.Threads;
        if (_splitRows)
        {
            _parts = (int)Math.Clamp(flop / batch / MinFlopPerRowPart, 1, Math.Min(Parallelism.Threads, g.OutHeight));
            _gemmThreads = 1;
            _splitRows = _parts > 1;
        }
    }

    /// <summary>Least work per part of a row split: ~10 µs of products, several times a hand-off.</summary>
    private const double MinFlopPerRowPart = 2e6;

    /// <summary>Floats of per-thread scratch: the column matrix, or the direct kernel's planes; 0 when none is needed.</summary>
    private long ScratchSize
    {
        get
        {
            if (_direct)
            {
                var layout = DirectConvolution.Layout.Of(_g);
                return _backward ? layout.BackwardScratch(_g.Channels, _rows) : layout.ForwardScratch(_g.Channels, _rows);
            }
            return _g.ColumnsAreImage ? 0 : _g.ColumnSize;
        }
    }

    private int InputSize => _transposed ? _rows * _g.Positions : _g.ImageSize;
    private int OutputSize => _transposed ? _g.ImageSize : _rows * _g.Positions;
    private int OutputChannels => _transposed ? _g.Channels : _rows;
    private int WeightSize => _rows * _g.ColumnRows;

    private void RunAll()
    {
        if (_batch == 0)
        {
            if (_gradWeight != null) new Span<float>(_gradWeight, WeightSize).Clear();
            if (_gradBias != null) new Span<float>(_gradBias, OutputChannels).Clear();
            return;
        }
        bool partials = _backward && _parts > 1;
        if (partials)
        {
            for (int part = 1; part < _parts; part++)
            {
                if (_gradWeight != null) _partialWeight[part] = TensorPool.Rent(WeightSize);
                if (_gradBias != null) _partialBias[part] = TensorPool.Rent(OutputChannels);
            }
        }
        try
        {
            WorkerPool.Run(this, _parts);
            for (int part = 1; partials && part < _parts; part++)
            {
                if (_gradWeight != null) Add(_gradWeight, _partialWeight[part]!, WeightSize);
                if (_gradBias != null) Add(_gradBias, _partialBias[part]!, OutputChannels);
            }
        }
        finally
        {
            for (int part = 1; partials && part < _parts; part++)
            {
                Return(ref _partialWeight[part]);
                Return(ref _partialBias[part]);
            }
            _weight = _bias = _input = _output = _gradOutput = _gradInput = _gradWeight = _gradBias = null;
        }
    }

    public void Execute(int part)
    {
        long scratchSize = ScratchSize;
        float* columns = scratchSize == 0 ? null : (_columns ??= new NativeBuffer()).Ensure(checked((nint)scratchSize));
        float* scratch = _backward && _activation != Activation.Identity ? (_preActivation ??= new NativeBuffer()).Ensure(OutputSize) : null;
        try
        {
            Execute(part, columns, scratch);
        }
        finally
        {
            // Kept for the next call unless huge (a large image's column matrix), as the tensor pool keeps arrays.
            if (scratchSize > MaxKeptScratch) _columns!.Release();
            if (scratch != null && OutputSize > MaxKeptScratch) _preActivation!.Release();
        }
    }

    private const long MaxKeptScratch = 1 << 24;

    private void Execute(int part, float* columns, float* scratch)
    {
        if (_splitRows)
        {
            int first = (int)((long)_g.OutHeight * part / _parts), end = (int)((long)_g.OutHeight * (part + 1) / _parts);
            for (int n = 0; n < _batch; n++) ForwardRows(n, columns, first, end);
            return;
        }
        int n0 = (int)((long)_batch * part / _parts), n1 = (int)((long)_batch * (part + 1) / _parts);
        if (!_backward)
        {
            for (int n = n0; n < n1; n++) ForwardImage(n, columns);
            return;
        }
        fixed (float* partialWeight = _partialWeight[part], partialBias = _partialBias[part])
        {
            float* gradWeight = part == 0 ? _gradWeight : partialWeight;
            float* gradBias = part == 0 ? _gradBias : partialBias;
            for (int n = n0; n < n1; n++) BackwardImage(n, columns, scratch, gradWeight, gradBias, first: n == n0);
        }
    }

    private void ForwardImage(int n, float* columns)
    {
        ConvGeometry g = _g;
        int k = g.ColumnRows, p = g.Positions;
        float* x = _input + (nint)n * InputSize, y = _output + (nint)n * OutputSize;
        if (_direct)
        {
            DirectConvolution.Forward(g, _rows, x, _weight, y, columns);
        }
        else if (!_transposed)
        {
            float* cols = x;
            if (columns != null)
            {
                Im2Col.Gather(g, x, columns);
                cols = columns;
            }
            Gemm.Gemm.Multiply(_rows, p, k, _weight, k, false, cols, p, false, y, p, false, threads: _gemmThreads);
        }
        else if (columns == null)
        {
            Gemm.Gemm.Multiply(k, p, _rows, _weight, k, true, x, p, false, y, p, false, threads: _gemmThreads);
        }
        else
        {
            Gemm.Gemm.Multiply(k, p, _rows, _weight, k, true, x, p, false, columns, p, false, threads: _gemmThreads);
            new Span<float>(y, g.ImageSize).Clear();
            Im2Col.ScatterAdd(g, columns, y);
        }

        int plane = OutputSize / OutputChannels;
        AddBiasAndActivate(y, plane, plane);
    }

    /// <summary>Bias and activation on the first <paramref name="count"/> values of every channel's plane from <paramref name="y"/> on.</summary>
    private void AddBiasAndActivate(float* y, int count, int plane)
    {
        for (int c = 0; c < OutputChannels; c++)
        {
            var values = new Span<float>(y + (nint)c * plane, count);
            if (_bias != null) TensorPrimitives.Add(values, _bias[c], values);
            if (_activation != Activation.Identity) ActivationKernels.Forward(_activation, _parameter, values, values);
        }
    }

    /// <summary>Output rows <paramref name="first"/>..<paramref name="end"/> of image <paramref name="n"/>, all channels (im2col path).</summary>
    private void ForwardRows(int n, float* columns, int first, int end)
    {
        ConvGeometry g = _g;
        int k = g.ColumnRows, p = g.Positions, offset = first * g.OutWidth, count = (end - first) * g.OutWidth;
        float* y = _output + (nint)n * OutputSize + offset;
        Im2Col.Gather(g, _input + (nint)n * InputSize, columns, first, end);
        Gemm.Gemm.Multiply(_rows, count, k, _weight, k, false, columns, count, false, y, p, false, threads: 1);
        AddBiasAndActivate(y, count, p);
    }

    private void BackwardImage(int n, float* columns, float* scratch, float* gradWeight, float* gradBias, bool first)
    {
        ConvGeometry g = _g;
        int k = g.ColumnRows, p = g.Positions, outSize = OutputSize, inSize = InputSize;
        float* x = _input + (nint)n * inSize;
        float* dz = _gradOutput + (nint)n * outSize;
        if (scratch != null)
        {
            ActivationKernels.Backward(_activation, _parameter, default, new ReadOnlySpan<float>(_output + (nint)n * outSize, outSize),
                new ReadOnlySpan<float>(dz, outSize), new Span<float>(scratch, outSize));
            dz = scratch;
        }
        float* dx = _gradInput == null ? null : _gradInput + (nint)n * inSize;

        if (_direct)
        {
            DirectConvolution.Backward(g, _rows, x, _weight, dz, dx, gradWeight, first, columns);
        }
        else if (!_transposed)
        {
            if (dx != null)
            {
                if (columns == null)
                {
                    Gemm.Gemm.Multiply(k, p, _rows, _weight, k, true, dz, p, false, dx, p, false, threads: _gemmThreads);
                }
                else
                {
                    Gemm.Gemm.Multiply(k, p, _rows, _weight, k, true, dz, p, false, columns, p, false, threads: _gemmThreads);
                    new Span<float>(dx, inSize).Clear();
                    Im2Col.ScatterAdd(g, columns, dx);
                }
            }
            if (gradWeight != null)
            {
                float* cols = x;
                if (columns != null)
                {
                    Im2Col.Gather(g, x, columns);
                    cols = columns;
                }
                Gemm.Gemm.Multiply(_rows, k, p, dz, p, false, cols, p, true, gradWeight, k, !first, threads: _gemmThreads);
            }
        }
        else
        {
            float* cols = dz;
            if (columns != null && (dx != null || gradWeight != null))
            {
                Im2Col.Gather(g, dz, columns);
                cols = columns;
            }
            if (dx != null)
                Gemm.Gemm.Multiply(_rows, p, k, _weight, k, false, cols, p, false, dx, p, false, threads: _gemmThreads);
            if (gradWeight != null)
                Gemm.Gemm.Multiply(_rows, k, p, x, p, false, cols, p, true, gradWeight, k, !first, threads: _gemmThreads);
        }

        if (gradBias != null)
        {
            int channels = OutputChannels, plane = outSize / channels;
            for (int c = 0; c < channels; c++)
            {
                float sum = TensorPrimitives.Sum(new ReadOnlySpan<float>(dz + (nint)c * plane, plane));
                gradBias[c] = first ? sum : gradBias[c] + sum;
            }
        }
    }

    private static void Add(float* target, float[] values, int length)
    {
        var t = new Span<float>(target, length);
        TensorPrimitives.Add(t, values.AsSpan(0, length), t);
    }

    private static void Return(ref float[]? array)
    {
        if (array is not null) TensorPool.Return(array);
        array = null;
    }
}

/// <summary>The kernels a convolution can run on: chosen per shape, or forced for measurements.</summary>
internal enum ConvAlgorithm
{
    Auto,
    Im2ColGemm,
    Direct,
}
