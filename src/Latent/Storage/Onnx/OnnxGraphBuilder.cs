using System.Text.Json;
using Latent.Data;
using Latent.Engine;
using Latent.Engine.Nn;

namespace Latent.Storage.Onnx;

/// <summary>
/// Builds an ONNX graph from Latent's layers, value by value. Every value is a float tensor [batch, …] whose batch axis
/// is dynamic and whose other sizes the builder tracks, so that "same" padding resolves as the engine resolves it for
/// the model's fixed image size. Weights become initializers under the module's own tensor names
/// (<c>encoder.0.weight</c>), so the ONNX file and the safetensors file name them alike.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private readonly List<OnnxNodeProto> _nodes = [];
    private readonly List<OnnxTensorProto> _initializers = [];
    private readonly List<OnnxValueInfoProto> _inputs = [], _outputs = [];
    private readonly Dictionary<string, int[]> _shapes = [];
    private readonly HashSet<string> _names = [];
    private int _counter;

    /// <summary>A graph input [batch, width] of floats.</summary>
    public string Input(string name, int width) => Input(name, [width]);

    /// <summary>A graph input [batch, sampleShape…] of floats.</summary>
    public string Input(string name, int[] sampleShape)
    {
        Claim(name);
        _inputs.Add(new OnnxValueInfoProto(name, sampleShape));
        _shapes[name] = sampleShape;
        return name;
    }

    /// <summary>Makes <paramref name="value"/> a graph output called <paramref name="name"/>.</summary>
    public void Output(string value, string name)
    {
        Claim(name);
        _nodes.Add(Node("Identity", [value], [name]));
        _shapes[name] = _shapes[value];
        _outputs.Add(new OnnxValueInfoProto(name, _shapes[name]));
    }

    /// <summary>The graph's inputs so far, as "name [batch, sizes…]".</summary>
    public IReadOnlyList<string> Inputs => [.. _inputs.Select(Describe)];

    /// <summary>The graph's outputs so far, as "name [batch, sizes…]".</summary>
    public IReadOnlyList<string> Outputs => [.. _outputs.Select(Describe)];

    private string Describe(OnnxValueInfoProto value) =>
        $"{value.Name} [{OnnxValueInfoProto.BatchAxis}, {string.Join(", ", _shapes[value.Name])}]";

    /// <summary>The operator of every node so far, in order.</summary>
    public IEnumerable<string> OpTypes => _nodes.Select(n => n.OpType);

    /// <summary>The size of one sample of <paramref name="value"/> (without the batch axis).</summary>
    public IReadOnlyList<int> ShapeOf(string value) => _shapes[value];

    /// <summary>The graph as a model file's bytes.</summary>
    public byte[] ToBytes(string name, string docString, IReadOnlyDictionary<string, string> metadata) =>
        new OnnxModelProto(new OnnxGraphProto(name, _nodes, _initializers, _inputs, _outputs), OnnxExport.Opset,
            typeof(OnnxGraphBuilder).Assembly.GetName().Version?.ToString(3) ?? "", docString, metadata).ToByteArray();

    // ------------------------------------------------------------------ data steps

    /// <summary>(x − offset) / divisor per column, as the scaler does; nothing without a scaler.</summary>
    public string Scale(string x, IScaler? scaler, string name = "scaler")
    {
        if (scaler is null) return x;
        var (offset, divisor) = Affine(scaler, name);
        return Binary("Div", Binary("Sub", x, offset), divisor);
    }

    /// <summary>y · divisor + offset per column: the scaler undone; nothing without a scaler.</summary>
    public string Unscale(string y, IScaler? scaler, string name = "scaler")
    {
        if (scaler is null) return y;
        var (offset, divisor) = Affine(scaler, name);
        return Binary("Add", Binary("Mul", y, divisor), offset);
    }

    /// <summary>The scaler's offsets and divisors as initializers, read from its saved form (the model file's).</summary>
    private (string Offset, string Divisor) Affine(IScaler scaler, string name)
    {
        using JsonDocument json = JsonDocument.Parse(scaler.ToJson());
        float[] Read(string key) => [.. json.RootElement.GetProperty(key).EnumerateArray().Select(v => (float)v.GetDouble())];
        string offset = $"{name}.offset", divisor = $"{name}.divisor";
        if (!_names.Contains(offset))
        {
            Constant(offset, [scaler.Columns], Read("offset"));
            Constant(divisor, [scaler.Columns], Read("divisor"));
        }
        return (offset, divisor);
    }

    /// <summary>Each sample reshaped to <paramref name="sampleShape"/> (a view in the engine).</summary>
    public string Reshape(string x, params int[] sampleShape)
    {
        if (_shapes[x].SequenceEqual(sampleShape)) return x;
        string shape = Int64Constant([-1, .. sampleShape.Select(s => (long)s)]);
        return Add("Reshape", [x, shape], sampleShape);
    }

    /// <summary>Values <paramref name="start"/> to start + count along the sample axis <paramref name="axis"/> (1 = the first after the batch).</summary>
    public string Slice(string x, int axis, int start, int count)
    {
        int[] shape = [.. _shapes[x]];
        shape[axis - 1] = count;
        return Add("Slice", [x, Int64Constant(start), Int64Constant(start + count), Int64Constant(axis)], shape);
    }

    /// <summary>The columns of <paramref name="a"/> then those of <paramref name="b"/> (both [batch, n]).</summary>
    public string Concat(string a, string b) =>
        Add("Concat", [a, b], [_shapes[a][0] + _shapes[b][0]], OnnxAttributeProto.Of("axis", 1L));

    /// <summary>An activation; nothing for the identity.</summary>
    public string Activation(string x, Activation activation, float parameter = float.NaN) => activation switch
    {
        Engine.Activation.Identity => x,
        Engine.Activation.Relu => Add("Relu", [x], _shapes[x]),
        Engine.Activation.Sigmoid => Add("Sigmoid", [x], _shapes[x]),
        Engine.Activation.Tanh => Add("Tanh", [x], _shapes[x]),
        Engine.Activation.Softplus => Add("Softplus", [x], _shapes[x]),
        Engine.Activation.LeakyRelu => Add("LeakyRelu", [x], _shapes[x], OnnxAttributeProto.Of("alpha", float.IsNaN(parameter) ? 0.01f : parameter)),
        Engine.Activation.Elu => Add("Elu", [x], _shapes[x], OnnxAttributeProto.Of("alpha", float.IsNaN(parameter) ? 1f : parameter)),
        _ => throw new ArgumentException($"The activation {activation} has no ONNX form."),
    };

    // ------------------------------------------------------------------ layers

    /// <summary>
    /// Applies <paramref name="module"/> (a layer or a stack) to <paramref name="x"/>; <paramref name="path"/> names its
    /// tensors (<c>encoder</c> → <c>encoder.0.weight</c>). Batch normalisation that directly follows a linear
    /// convolution is folded into it.
    /// </summary>
    /// <exception cref="ArgumentException">A layer has no ONNX form; the message names it.</exception>
    public string Apply(Module module, string x, string path)
    {
        if (module is not Sequential stack) return Layer(module, x, path, null);
        for (int i = 0; i < stack.Layers.Count; i++)
        {
            Module layer = stack.Layers[i];
            string name = $"{path}.{i}";
            BatchNorm2d? folded = i + 1 < stack.Layers.Count && stack.Layers[i + 1] is BatchNorm2d bn && IsLinearConvolution(layer) ? bn : null;
            x = Layer(layer, x, name, folded);
            if (folded is not null) i++;
        }
        return x;
    }

    private static bool IsLinearConvolution(Module layer) =>
        layer is Conv2d { Activation: Engine.Activation.Identity } or ConvTranspose2d { Activation: Engine.Activation.Identity };

    private string Layer(Module layer, string x, string name, BatchNorm2d? folded) => layer switch
    {
        Sequential => Apply(layer, x, name),
        Linear l => Activation(Gemm(l, x, name), l.Activation, l.Parameter),
        Conv2d c => Activation(Conv(c, x, name, folded), c.Activation, c.Parameter),
        ConvTranspose2d t => Activation(ConvTranspose(t, x, name, folded), t.Activation, t.Parameter),
        BatchNorm2d b => BatchNormalization(x, name, b.Gamma, b.Beta, b.RunningMean, b.RunningVar, b.Epsilon),
        BatchNorm1d b => BatchNormalization(x, name, b.Gamma, b.Beta, b.RunningMean, b.RunningVar, b.Epsilon),
        LayerNorm n => Add("LayerNormalization", [x, Weight($"{name}.weight", n.Gamma), Weight($"{name}.bias", n.Beta)], _shapes[x],
            OnnxAttributeProto.Of("axis", -1L), OnnxAttributeProto.Of("epsilon", n.Epsilon)),
        ActivationLayer a => Activation(x, a.Activation, a.Parameter),
        MaxPool2d p => Pool("MaxPool", x, p.Kernel, p.Stride, p.Padding, p.CeilMode),
        AvgPool2d p => Pool("AveragePool", x, p.Kernel, p.Stride, p.Padding, p.CeilMode,
            OnnxAttributeProto.Of("count_include_pad", p.CountIncludePad && !p.Padding.IsSame ? 1L : 0L)),
        Upsample u => Resize(u, x),
        Reshape r => Reshape(x, [.. r.SampleShape]),
        Dropout => x,   // inference: the identity
        IOnnxLayer own => own.Export(this, x),
        _ => throw new ArgumentException($"The layer '{name}' ({layer.GetType().Name}) has no ONNX form, so this model cannot be exported to ONNX."),
    };

    private string Gemm(Linear layer, string x, string name)
    {
        if (_shapes[x].Length != 1) throw new ArgumentException($"The layer '{name}' takes rows [batch, {layer.Inputs}] but gets [batch, {string.Join(", ", _shapes[x])}].");
        List<string> inputs = [x, Weight($"{name}.weight", layer.Weight)];
        if (layer.Bias is { } bias) inputs.Add(Weight($"{name}.bias", bias));
        return Add("Gemm", inputs, [layer.Outputs], OnnxAttributeProto.Of("transB", 1L));
    }

    private string Conv(Conv2d layer, string x, string name, BatchNorm2d? folded)
    {
        var (_, h, w) = Image(x, name);
        Padding2d pad = Resolve(layer.Padding, h, w, Span(layer.Kernel, layer.Dilation), layer.Stride);
        int outH = (h + pad.Top + pad.Bottom - Span(layer.Kernel, layer.Dilation).Height) / layer.Stride.Height + 1;
        int outW = (w + pad.Left + pad.Right - Span(layer.Kernel, layer.Dilation).Width) / layer.Stride.Width + 1;
        return Add("Conv", Fold(x, layer.Weight, layer.Bias, folded, outputAxis: 0, name), [layer.OutChannels, outH, outW],
            OnnxAttributeProto.Of("kernel_shape", layer.Kernel.Height, layer.Kernel.Width),
            OnnxAttributeProto.Of("strides", layer.Stride.Height, layer.Stride.Width),
            OnnxAttributeProto.Of("dilations", layer.Dilation.Height, layer.Dilation.Width),
            OnnxAttributeProto.Of("pads", pad.Top, pad.Left, pad.Bottom, pad.Right));
    }

    private string ConvTranspose(ConvTranspose2d layer, string x, string name, BatchNorm2d? folded)
    {
        var (_, h, w) = Image(x, name);
        Size2d span = Span(layer.Kernel, layer.Dilation), s = layer.Stride, extra = layer.OutputPadding;
        // The engine's output size; ONNX gets it as pads cut from the full output, or as output padding when the
        // window is shorter than the stride.
        int outH = layer.Padding.IsSame ? h * s.Height + extra.Height : (h - 1) * s.Height - layer.Padding.Top - layer.Padding.Bottom + span.Height + extra.Height;
        int outW = layer.Padding.IsSame ? w * s.Width + extra.Width : (w - 1) * s.Width - layer.Padding.Left - layer.Padding.Right + span.Width + extra.Width;
        int top = layer.Padding.IsSame ? Math.Max(span.Height - s.Height, 0) / 2 : layer.Padding.Top;
        int left = layer.Padding.IsSame ? Math.Max(span.Width - s.Width, 0) / 2 : layer.Padding.Left;
        int cutH = (h - 1) * s.Height + span.Height - outH, cutW = (w - 1) * s.Width + span.Width - outW;
        int bottom = Math.Max(cutH - top, 0), right = Math.Max(cutW - left, 0);
        int padH = Math.Max(top + bottom - cutH, 0), padW = Math.Max(left + right - cutW, 0);
        return Add("ConvTranspose", Fold(x, layer.Weight, layer.Bias, folded, outputAxis: 1, name), [layer.OutChannels, outH, outW],
            OnnxAttributeProto.Of("kernel_shape", layer.Kernel.Height, layer.Kernel.Width),
            OnnxAttributeProto.Of("strides", s.Height, s.Width),
            OnnxAttributeProto.Of("dilations", layer.Dilation.Height, layer.Dilation.Width),
            OnnxAttributeProto.Of("pads", top, left, bottom, right),
            OnnxAttributeProto.Of("output_padding", padH, padW));
    }

    /// <summary>
    /// The convolution's inputs: <paramref name="x"/>, its weight and bias as initializers, with a following batch
    /// normalisation folded in: per output channel, s = γ / √(σ² + ε), W' = W·s and b' = (b − μ)·s + β.
    /// </summary>
    private string[] Fold(string x, Tensor weight, Tensor? bias, BatchNorm2d? bn, int outputAxis, string name)
    {
        int channels = weight.Dim(outputAxis);
        if (bn is null) return bias is null ? [x, Weight($"{name}.weight", weight)] : [x, Weight($"{name}.weight", weight), Weight($"{name}.bias", bias)];
        ReadOnlySpan<float> gamma = bn.Gamma.Span, beta = bn.Beta.Span, mean = bn.RunningMean.Span, variance = bn.RunningVar.Span;
        var scale = new double[channels];
        var b = new float[channels];
        for (int o = 0; o < channels; o++)
        {
            scale[o] = gamma[o] / Math.Sqrt(variance[o] + (double)bn.Epsilon);
            b[o] = (float)(((bias is null ? 0 : bias.Span[o]) - mean[o]) * scale[o] + beta[o]);
        }
        float[] w = weight.Span.ToArray();
        int area = weight.Dim(2) * weight.Dim(3);   // [out, in, kh, kw] for a convolution, [in, out, kh, kw] transposed
        for (int i = 0; i < w.Length; i++)
            w[i] = (float)(w[i] * scale[outputAxis == 0 ? i / (w.Length / channels) : i / area % channels]);
        return [x, Constant($"{name}.weight", Dims(weight), w), Constant($"{name}.bias", [channels], b)];
    }

    private string BatchNormalization(string x, string name, Tensor gamma, Tensor beta, Tensor mean, Tensor variance, float epsilon) =>
        Add("BatchNormalization", [x, Weight($"{name}.weight", gamma), Weight($"{name}.bias", beta), Weight($"{name}.running_mean", mean),
            Weight($"{name}.running_var", variance)], _shapes[x], OnnxAttributeProto.Of("epsilon", epsilon));

    private string Pool(string op, string x, Size2d kernel, Size2d stride, Padding2d padding, bool ceilMode, params OnnxAttributeProto[] extra)
    {
        var (c, h, w) = Image(x, op);
        Padding2d pad = Resolve(padding, h, w, kernel, stride);
        int outH = PoolOutput(h, pad.Top, pad.Bottom, kernel.Height, stride.Height, ceilMode);
        int outW = PoolOutput(w, pad.Left, pad.Right, kernel.Width, stride.Width, ceilMode);
        return Add(op, [x], [c, outH, outW],
        [
            OnnxAttributeProto.Of("kernel_shape", kernel.Height, kernel.Width),
            OnnxAttributeProto.Of("strides", stride.Height, stride.Width),
            OnnxAttributeProto.Of("pads", pad.Top, pad.Left, pad.Bottom, pad.Right),
            OnnxAttributeProto.Of("ceil_mode", ceilMode ? 1L : 0L),
            .. extra,
        ]);
    }

    private static int PoolOutput(int size, int before, int after, int kernel, int stride, bool ceilMode)
    {
        int room = size + before + after - kernel;
        int outputs = (ceilMode ? (room + stride - 1) / stride : room / stride) + 1;
        return ceilMode && (outputs - 1) * stride >= size + before ? outputs - 1 : outputs;
    }

    /// <summary>
    /// Nearest: each output pixel reads input pixel ⌊i / scale⌋ (asymmetric, floor); bilinear: pixel centres
    /// (half_pixel, PyTorch's align_corners=False) or corners aligned.
    /// </summary>
    private string Resize(Upsample layer, string x)
    {
        var (c, h, w) = Image(x, "Upsample");
        bool nearest = layer.Mode == UpsampleMode.Nearest;
        string scales = Unique("scales");
        _initializers.Add(OnnxTensorProto.Floats(scales, [4], [1f, 1f, layer.Scale.Height, layer.Scale.Width]));
        var attributes = new List<OnnxAttributeProto>
        {
            OnnxAttributeProto.Of("mode", nearest ? "nearest" : "linear"),
            OnnxAttributeProto.Of("coordinate_transformation_mode", nearest ? "asymmetric" : layer.AlignCorners ? "align_corners" : "half_pixel"),
        };
        if (nearest) attributes.Add(OnnxAttributeProto.Of("nearest_mode", "floor"));
        return Add("Resize", [x, "", scales], [c, h * layer.Scale.Height, w * layer.Scale.Width], [.. attributes]);
    }

    private (int Channels, int Height, int Width) Image(string x, string what) => _shapes[x] is [int c, int h, int w]
        ? (c, h, w)
        : throw new ArgumentException($"The layer '{what}' takes images [batch, channels, height, width] but gets [batch, {string.Join(", ", _shapes[x])}].");

    private static Size2d Span(Size2d kernel, Size2d dilation) =>
        new(dilation.Height * (kernel.Height - 1) + 1, dilation.Width * (kernel.Width - 1) + 1);

    /// <summary>The engine's "same" padding (⌈size / stride⌉ positions, the odd one at the bottom or right) made explicit.</summary>
    private static Padding2d Resolve(Padding2d padding, int h, int w, Size2d span, Size2d stride)
    {
        if (!padding.IsSame) return padding;
        static (int, int) Along(int size, int span, int stride)
        {
            int total = Math.Max(((size + stride - 1) / stride - 1) * stride + span - size, 0);
            return (total / 2, total - total / 2);
        }
        var (top, bottom) = Along(h, span.Height, stride.Height);
        var (left, right) = Along(w, span.Width, stride.Width);
        return new Padding2d(top, bottom, left, right);
    }

    // ------------------------------------------------------------------ plumbing

    private string Weight(string name, Tensor tensor) => Constant(name, Dims(tensor), tensor.Span);

    private static long[] Dims(Tensor tensor) => [.. tensor.Shape.Select(d => (long)d)];

    private string Constant(string name, long[] dims, ReadOnlySpan<float> values)
    {
        Claim(name);
        _initializers.Add(OnnxTensorProto.Floats(name, dims, values));
        return name;
    }

    private string Int64Constant(params long[] values)
    {
        string name = Unique("const");
        _initializers.Add(OnnxTensorProto.Int64s(name, values));
        return name;
    }

    private string Binary(string op, string a, string b) => Add(op, [a, b], _shapes[a]);

    private string Add(string op, IReadOnlyList<string> inputs, int[] sampleShape, params OnnxAttributeProto[] attributes)
    {
        string output = Unique(op);
        _nodes.Add(Node(op, inputs, [output], attributes));
        _shapes[output] = sampleShape;
        return output;
    }

    private OnnxNodeProto Node(string op, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs, params OnnxAttributeProto[] attributes) =>
        new(op, $"{op}_{_nodes.Count}", inputs, outputs, attributes);

    private string Unique(string stem)
    {
        string name;
        do name = $"{stem}_{_counter++}";
        while (_names.Contains(name));
        _names.Add(name);
        return name;
    }

    private void Claim(string name)
    {
        if (!_names.Add(name)) throw new InvalidOperationException($"The ONNX graph already has a value named '{name}'.");
    }
}

/// <summary>A layer of Latent's own (not the engine's) that knows its ONNX form.</summary>
internal interface IOnnxLayer
{
    /// <summary>Adds the layer's nodes to <paramref name="graph"/> and returns its output value.</summary>
    string Export(OnnxGraphBuilder graph, string input);
}
