using Google.Protobuf;

namespace Latent.Storage.Onnx;

// The part of ONNX's protobuf schema that export writes, as message classes of our own. Field numbers follow the ONNX
// IR specification (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, ValueInfoProto, TypeProto,
// TensorShapeProto, OperatorSetIdProto); fields we never write are left out. Write-only: Latent does not read ONNX.
// ONNX declares its messages in proto2, so repeated numbers are written unpacked, one tagged value each.

/// <summary>A message that writes its fields; nested messages go out length-delimited.</summary>
internal abstract class ProtoMessage
{
    protected abstract void WriteFields(CodedOutputStream output);

    public byte[] ToByteArray()
    {
        using var buffer = new MemoryStream();
        using (var output = new CodedOutputStream(buffer, leaveOpen: true)) WriteFields(output);
        return buffer.ToArray();
    }

    protected static void Message(CodedOutputStream output, int field, ProtoMessage message) =>
        Bytes(output, field, message.ToByteArray());

    protected static void Bytes(CodedOutputStream output, int field, byte[] bytes)
    {
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(UnsafeByteOperations.UnsafeWrap(bytes));
    }

    protected static void String(CodedOutputStream output, int field, string? value)
    {
        if (value is null) return;
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteString(value);
    }

    protected static void Int64(CodedOutputStream output, int field, long value)
    {
        output.WriteTag(field, WireFormat.WireType.Varint);
        output.WriteInt64(value);
    }

    protected static void Float(CodedOutputStream output, int field, float value)
    {
        output.WriteTag(field, WireFormat.WireType.Fixed32);
        output.WriteFloat(value);
    }
}

/// <summary>ModelProto: the file. IR version 8 is the one that goes with opset 17.</summary>
internal sealed class OnnxModelProto(OnnxGraphProto graph, long opset, string producerVersion, string docString,
    IReadOnlyDictionary<string, string> metadata) : ProtoMessage
{
    public const long IrVersion = 8;

    protected override void WriteFields(CodedOutputStream output)
    {
        Int64(output, 1, IrVersion);
        String(output, 2, "Latent");
        String(output, 3, producerVersion);
        String(output, 6, docString);
        Message(output, 7, graph);
        Message(output, 8, new OperatorSetId(opset));
        foreach (var (key, value) in metadata) Message(output, 14, new StringPair(key, value));
    }

    /// <summary>OperatorSetIdProto of the default (ai.onnx) domain.</summary>
    private sealed class OperatorSetId(long version) : ProtoMessage
    {
        protected override void WriteFields(CodedOutputStream output)
        {
            String(output, 1, "");
            Int64(output, 2, version);
        }
    }

    /// <summary>StringStringEntryProto.</summary>
    private sealed class StringPair(string key, string value) : ProtoMessage
    {
        protected override void WriteFields(CodedOutputStream output)
        {
            String(output, 1, key);
            String(output, 2, value);
        }
    }
}

/// <summary>GraphProto: nodes in execution order, the weights as initializers, and the named inputs and outputs.</summary>
internal sealed class OnnxGraphProto(string name, IReadOnlyList<OnnxNodeProto> nodes, IReadOnlyList<OnnxTensorProto> initializers,
    IReadOnlyList<OnnxValueInfoProto> inputs, IReadOnlyList<OnnxValueInfoProto> outputs) : ProtoMessage
{
    protected override void WriteFields(CodedOutputStream output)
    {
        foreach (OnnxNodeProto node in nodes) Message(output, 1, node);
        String(output, 2, name);
        foreach (OnnxTensorProto tensor in initializers) Message(output, 5, tensor);
        foreach (OnnxValueInfoProto input in inputs) Message(output, 11, input);
        foreach (OnnxValueInfoProto value in outputs) Message(output, 12, value);
    }
}

/// <summary>NodeProto: one operator call. An empty input name stands for an optional input left out.</summary>
internal sealed class OnnxNodeProto(string opType, string name, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs,
    IReadOnlyList<OnnxAttributeProto> attributes) : ProtoMessage
{
    public string OpType => opType;

    protected override void WriteFields(CodedOutputStream output)
    {
        foreach (string input in inputs) String(output, 1, input);
        foreach (string value in outputs) String(output, 2, value);
        String(output, 3, name);
        String(output, 4, opType);
        foreach (OnnxAttributeProto attribute in attributes) Message(output, 5, attribute);
    }
}

/// <summary>AttributeProto of one of the kinds export uses: a float, an integer, a string or a list of integers.</summary>
internal sealed class OnnxAttributeProto : ProtoMessage
{
    // AttributeProto.AttributeType values.
    private const long FloatType = 1, IntType = 2, StringType = 3, IntsType = 7;

    private readonly string _name;
    private readonly float? _float;
    private readonly long? _int;
    private readonly string? _string;
    private readonly long[]? _ints;

    private OnnxAttributeProto(string name, float? f = null, long? i = null, string? s = null, long[]? ints = null) =>
        (_name, _float, _int, _string, _ints) = (name, f, i, s, ints);

    public static OnnxAttributeProto Of(string name, float value) => new(name, f: value);
    public static OnnxAttributeProto Of(string name, long value) => new(name, i: value);
    public static OnnxAttributeProto Of(string name, string value) => new(name, s: value);
    public static OnnxAttributeProto Of(string name, params long[] values) => new(name, ints: values);

    protected override void WriteFields(CodedOutputStream output)
    {
        String(output, 1, _name);
        if (_float is { } f)
        {
            Float(output, 2, f);
            Int64(output, 20, FloatType);
        }
        else if (_int is { } i)
        {
            Int64(output, 3, i);
            Int64(output, 20, IntType);
        }
        else if (_string is { } s)
        {
            Bytes(output, 4, System.Text.Encoding.UTF8.GetBytes(s));
            Int64(output, 20, StringType);
        }
        else
        {
            foreach (long v in _ints!) Int64(output, 8, v);
            Int64(output, 20, IntsType);
        }
    }
}

/// <summary>TensorProto with its values as raw little-endian bytes (float32 or int64).</summary>
internal sealed class OnnxTensorProto(string name, OnnxElementType type, long[] dims, byte[] rawData) : ProtoMessage
{
    public string Name => name;

    public long[] Dims => dims;

    public static OnnxTensorProto Floats(string name, long[] dims, ReadOnlySpan<float> values) =>
        new(name, OnnxElementType.Float, dims, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).ToArray());

    public static OnnxTensorProto Int64s(string name, params long[] values) =>
        new(name, OnnxElementType.Int64, [values.Length], System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    protected override void WriteFields(CodedOutputStream output)
    {
        foreach (long d in dims) Int64(output, 1, d);
        Int64(output, 2, (long)type);
        String(output, 8, name);
        Bytes(output, 9, rawData);
    }
}

/// <summary>TensorProto.DataType values that export writes.</summary>
internal enum OnnxElementType
{
    Float = 1,
    Int64 = 7,
}

/// <summary>ValueInfoProto of a float tensor [batch, …]: a graph input or output with a dynamic first axis.</summary>
internal sealed class OnnxValueInfoProto(string name, IReadOnlyList<int> sampleShape) : ProtoMessage
{
    public string Name => name;

    /// <summary>The symbolic name of the batch axis.</summary>
    public const string BatchAxis = "batch";

    protected override void WriteFields(CodedOutputStream output)
    {
        String(output, 1, name);
        Message(output, 2, new TypeProto(sampleShape));
    }

    /// <summary>TypeProto holding a TypeProto.Tensor (elem_type, shape).</summary>
    private sealed class TypeProto(IReadOnlyList<int> sampleShape) : ProtoMessage
    {
        protected override void WriteFields(CodedOutputStream output) => Message(output, 1, new TensorType(sampleShape));
    }

    private sealed class TensorType(IReadOnlyList<int> sampleShape) : ProtoMessage
    {
        protected override void WriteFields(CodedOutputStream output)
        {
            Int64(output, 1, (long)OnnxElementType.Float);
            Message(output, 2, new Shape(sampleShape));
        }
    }

    /// <summary>TensorShapeProto: the batch axis by name, then the fixed sizes.</summary>
    private sealed class Shape(IReadOnlyList<int> sampleShape) : ProtoMessage
    {
        protected override void WriteFields(CodedOutputStream output)
        {
            Message(output, 1, new Dimension(null, BatchAxis));
            foreach (int size in sampleShape) Message(output, 1, new Dimension(size, null));
        }
    }

    private sealed class Dimension(long? value, string? parameter) : ProtoMessage
    {
        protected override void WriteFields(CodedOutputStream output)
        {
            if (value is { } v) Int64(output, 1, v);
            String(output, 2, parameter);
        }
    }
}
