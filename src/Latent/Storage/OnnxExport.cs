using Latent.Models;
using Latent.Storage.Onnx;

namespace Latent.Storage;

/// <summary>Which part of an autoencoder an ONNX file holds.</summary>
public enum OnnxPart
{
    /// <summary>Rows → codes: input <c>rows</c> [batch, inputs], output <c>code</c> [batch, code size] (a VAE adds <c>log_variance</c>).</summary>
    Encoder,

    /// <summary>Codes → rows: input <c>code</c> [batch, code size], output <c>reconstruction</c> [batch, inputs].</summary>
    Decoder,

    /// <summary>Rows → rebuilt rows (a VAE through its posterior means): input <c>rows</c>, output <c>reconstruction</c>.</summary>
    All,
}

/// <summary>
/// Writes an autoencoder, or its encoder or decoder, as an ONNX model (opset 17) that gives what
/// <see cref="IAutoencoder.Encode"/>, <see cref="IAutoencoder.Decode"/> and <see cref="IAutoencoder.Reconstruct"/> give:
/// rows in the user's units in and out (the learned scaling is a leading Sub/Div and a trailing Mul/Add), images as
/// channel-first rows, a dynamic batch axis named <c>batch</c>. Batch normalisation is folded into its convolution.
/// A conditional VAE takes one-hot labels as a second input, <c>label</c> [batch, classes].
/// <code>
/// IAutoencoder model = ModelFile.OpenAutoencoder("digits.safetensors");
/// OnnxExport.Save(model, OnnxPart.Encoder, "digits-encoder.onnx");
/// </code>
/// </summary>
public static class OnnxExport
{
    /// <summary>The ONNX operator set the files use.</summary>
    public const int Opset = 17;

    /// <summary>Writes the ONNX file atomically (a temporary file renamed into place) and says what it holds.</summary>
    /// <exception cref="ArgumentException">The model has a layer with no ONNX form (the message names it), or is of a kind that cannot be exported.</exception>
    public static OnnxFileSummary Save(IAutoencoder model, OnnxPart part, string path)
    {
        var (bytes, summary) = Build(model, part);
        AtomicFile.Write(path, stream => stream.Write(bytes));
        return summary;
    }

    /// <summary>The ONNX file's bytes.</summary>
    /// <exception cref="ArgumentException">As for <see cref="Save"/>.</exception>
    public static byte[] ToBytes(IAutoencoder model, OnnxPart part) => Build(model, part).Bytes;

    private static (byte[] Bytes, OnnxFileSummary Summary) Build(IAutoencoder model, OnnxPart part)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!Enum.IsDefined(part)) throw new ArgumentException($"Unknown ONNX part {part}.");
        ModelKindAttribute kind = ModelKinds.Of(model.GetType());
        if (model is not IOnnxExportable exportable)
            throw new ArgumentException($"There is no ONNX form of {kind.Description} yet, so it cannot be exported.");
        var graph = new OnnxGraphBuilder();
        exportable.Export(graph, part);
        string what = part switch { OnnxPart.Encoder => "encoder", OnnxPart.Decoder => "decoder", _ => "autoencoder" };
        byte[] bytes = graph.ToBytes($"latent-{kind.Kind}-{what}", $"The {what} of {kind.Description}, exported by Latent.",
            new Dictionary<string, string> { ["latent.model"] = kind.Kind, ["latent.part"] = part.ToString().ToLowerInvariant() });
        return (bytes, new OnnxFileSummary(bytes.LongLength, graph.Inputs, graph.Outputs));
    }
}

/// <summary>What an exported ONNX file holds: its size and its inputs and outputs, e.g. <c>rows [batch, 784]</c>.</summary>
/// <param name="Bytes">The file's size.</param>
/// <param name="Inputs">Each input's name and shape.</param>
/// <param name="Outputs">Each output's name and shape.</param>
public sealed record OnnxFileSummary(long Bytes, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs);
