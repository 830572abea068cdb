namespace Latent.Storage.Onnx;

/// <summary>A model that describes its encoder and decoder as an ONNX graph.</summary>
internal interface IOnnxExportable
{
    /// <summary>Adds the inputs, nodes and outputs of <paramref name="part"/> to <paramref name="graph"/>.</summary>
    void Export(OnnxGraphBuilder graph, OnnxPart part);
}
