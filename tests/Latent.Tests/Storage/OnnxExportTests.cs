using System.Text.Json;
using Latent.Engine;
using Latent.Models;
using Latent.Storage;

namespace Latent.Tests.Storage;

/// <summary>
/// Every model kind exported to ONNX and run by onnxruntime (through bench/reference/onnx_run.mjs) on fixed inputs,
/// batch 1 and 7: encoder, decoder and whole autoencoder give what Latent gives, within 1e-5 of the largest output
/// value. The files also pass onnx.checker with full shape inference.
/// </summary>
public class OnnxExportTests
{
    private const float Tolerance = 1e-5f;

    /// <summary>The models of <see cref="ExportedModels"/>, by name.</summary>
    public static TheoryData<string> ModelNames => [.. ExportedModels.All.Keys];

    private static IReadOnlyDictionary<string, Func<IAutoencoder>> Models => ExportedModels.All;

    [SkippableTheory]
    [MemberData(nameof(ModelNames))]
    public void OnnxRuntimeGivesWhatLatentGives(string name)
    {
        string runner = ExternalTool.RequireOnnxRuntime();
        IAutoencoder model = Models[name]();
        using var folder = new TempFolder();
        var jobs = new List<object>();
        var expected = new List<(string File, float[] Values, string What)>();
        foreach (OnnxPart part in Enum.GetValues<OnnxPart>())
        {
            string onnx = folder.File($"{part}.onnx");
            OnnxExport.Save(model, part, onnx);
            foreach (int batch in new[] { 1, 7 })
            {
                var rng = new Rng((ulong)(batch * 10 + (int)part));
                int[]? labels = ExportedModels.Conditional(model) is { } classes ? [.. Enumerable.Range(0, batch).Select(i => (i + (int)part) % classes)] : null;
                var inputs = new Dictionary<string, object>();
                void Feed(string input, Tensor values) =>
                    inputs[input] = new { file = RawRows.Write(folder.File($"{part}-{batch}-{input}.bin"), values), dims = values.Shape };
                var outputs = new Dictionary<string, string>();
                void Expect(string output, Tensor values)
                {
                    string file = folder.File($"{part}-{batch}-{output}.out");
                    outputs[output] = file;
                    expected.Add((file, values.ToArray(), $"{name} {part} batch {batch} {output}"));
                }
                Tensor rows = ExportedModels.Rows(model, rng, batch), codes = Tensor.Normal(rng, 0f, 1f, batch, model.CodeSize);
                if (part != OnnxPart.Decoder) Feed("rows", rows);
                else Feed("code", codes);
                if (labels is not null && (part != OnnxPart.Encoder || model is VariationalAutoencoder { Config.Image: null }))
                    Feed("label", ExportedModels.OneHot(labels, ExportedModels.Conditional(model)!.Value));
                switch (part)
                {
                    case OnnxPart.Encoder when model is VariationalAutoencoder vae:
                        Expect("code", vae.Encode(rows, labels));
                        break;
                    case OnnxPart.Encoder:
                        Expect("code", model.Encode(rows));
                        break;
                    case OnnxPart.Decoder:
                        Expect("reconstruction", model is VariationalAutoencoder v ? v.Decode(codes, labels) : model.Decode(codes));
                        break;
                    default:
                        Expect("reconstruction", model is VariationalAutoencoder w ? w.Reconstruct(rows, labels) : model.Reconstruct(rows));
                        break;
                }
                jobs.Add(new { model = onnx, inputs, outputs });
            }
        }
        string jobFile = folder.File("jobs.json");
        File.WriteAllText(jobFile, JsonSerializer.Serialize(jobs));
        ExternalTool.Run("node", runner, "onnx_run.mjs", jobFile);
        foreach (var (file, values, what) in expected) RawRows.AssertClose(values, RawRows.Read(file), Tolerance, what);
    }

    /// <summary>Layers and options no model uses yet: average pooling, ceil mode, aligned corners, a batch norm and a layer norm of their own.</summary>
    [SkippableFact]
    public void EngineLayersNoModelUsesYetRunInOnnxRuntimeAsInLatent()
    {
        string runner = ExternalTool.RequireOnnxRuntime();
        var rng = new Rng(21);
        var norm = new Engine.Nn.BatchNorm2d(3);
        foreach (Tensor t in new[] { norm.Gamma, norm.RunningVar }) rng.FillUniform(t.Span, 0.5f, 2f);
        foreach (Tensor t in new[] { norm.Beta, norm.RunningMean }) rng.FillUniform(t.Span, -0.5f, 0.5f);
        var layers = new Engine.Nn.Sequential(
            new Engine.Nn.Conv2d(2, 3, 3, padding: Padding2d.Same, activation: Activation.LeakyRelu, rng: rng),
            norm,
            new Engine.Nn.AvgPool2d(2, padding: Padding2d.Same),
            new Engine.Nn.Upsample(2, UpsampleMode.Bilinear, alignCorners: true),
            new Engine.Nn.AvgPool2d(3, stride: 2, padding: 1, ceilMode: true),
            new Engine.Nn.MaxPool2d(2, stride: 1),
            new Engine.Nn.Reshape(3 * 4 * 4),
            new Engine.Nn.Linear(48, 6, activation: Activation.Elu, rng: rng),
            new Engine.Nn.LayerNorm(6));
        layers.Eval();
        var graph = new Latent.Storage.Onnx.OnnxGraphBuilder();
        graph.Output(graph.Apply(layers, graph.Input("x", [2, 7, 7]), "layers"), "y");
        using var folder = new TempFolder();
        string onnx = folder.File("layers.onnx");
        File.WriteAllBytes(onnx, graph.ToBytes("layers", "", new Dictionary<string, string>()));
        using Tensor x = Tensor.Normal(rng, 0f, 1f, 4, 2, 7, 7);
        File.WriteAllText(folder.File("jobs.json"), JsonSerializer.Serialize(new[]
        {
            new { model = onnx, inputs = new { x = new { file = RawRows.Write(folder.File("x.bin"), x), dims = x.Shape } }, outputs = new { y = folder.File("y.bin") } },
        }));
        ExternalTool.Run("node", runner, "onnx_run.mjs", folder.File("jobs.json"));
        Tensor expected;
        using (Tensor.NoGrad()) expected = layers.Forward(x);
        Assert.Equal("Conv LeakyRelu BatchNormalization AveragePool Resize AveragePool MaxPool Reshape Gemm Elu LayerNormalization Identity", string.Join(" ", graph.OpTypes));
        RawRows.AssertClose(expected.ToArray(), RawRows.Read(folder.File("y.bin")), Tolerance, "layers");
    }

    [SkippableFact]
    public void TheFilesPassOnnxCheckerWithShapeInference()
    {
        ExternalTool.RequirePythonModule("onnx", "python3-onnx");
        using var folder = new TempFolder();
        var files = new List<string>();
        foreach (var (name, create) in Models)
        {
            IAutoencoder model = create();
            foreach (OnnxPart part in Enum.GetValues<OnnxPart>())
            {
                files.Add(folder.File($"{name}-{part}.onnx"));
                OnnxExport.Save(model, part, files[^1]);
            }
        }
        const string check = "import onnx, sys\nfor path in sys.argv[1:]:\n    onnx.checker.check_model(onnx.load(path), full_check=True)\nprint(len(sys.argv) - 1)";
        string output = ExternalTool.Run(ExternalTool.Python, folder.Path, ["-c", check, .. files]);
        Assert.Equal(files.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), output.Trim());
    }

    [Fact]
    public void TheScalerComesFirstAndTheBatchNormalisationIsFoldedIntoItsConvolution()
    {
        string dense = Ops(Models["dense-scaled"](), OnnxPart.Encoder);
        Assert.StartsWith("Sub Div Gemm LeakyRelu", dense);
        string conv = Ops(Models["conv-maxpool-batchnorm"](), OnnxPart.Encoder);
        Assert.DoesNotContain("BatchNormalization", conv);
        Assert.Contains("Conv Relu MaxPool", conv);
    }

    [Fact]
    public void ALayerWithoutAnOnnxFormIsNamed()
    {
        var model = new Engine.Nn.Sequential(new Engine.Nn.Linear(4, 3), new Unexportable());
        var graph = new Latent.Storage.Onnx.OnnxGraphBuilder();
        var e = Assert.Throws<ArgumentException>(() => graph.Apply(model, graph.Input("rows", 4), "encoder"));
        Assert.Equal("The layer 'encoder.1' (Unexportable) has no ONNX form, so this model cannot be exported to ONNX.", e.Message);
    }

    [Fact]
    public void SavingIsAtomicAndLeavesNothingBehindOnFailure()
    {
        using var folder = new TempFolder();
        string path = folder.File("model.onnx");
        File.WriteAllText(path, "old");
        Assert.Throws<DirectoryNotFoundException>(() => OnnxExport.Save(Models["dense-logits"](), OnnxPart.All, folder.File("missing/model.onnx")));
        OnnxExport.Save(Models["dense-logits"](), OnnxPart.All, path);
        Assert.NotEqual("old", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(folder.Path));
    }

    private sealed class Unexportable : Engine.Nn.Module
    {
        public override Tensor Forward(Tensor input) => input;
    }

    /// <summary>The operators of the exported graph, in order.</summary>
    private static string Ops(IAutoencoder model, OnnxPart part)
    {
        var graph = new Latent.Storage.Onnx.OnnxGraphBuilder();
        ((Latent.Storage.Onnx.IOnnxExportable)model).Export(graph, part);
        return string.Join(" ", graph.OpTypes);
    }
}
