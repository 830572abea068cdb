using System.Runtime.InteropServices;
using System.Text.Json;
using Latent.Engine;
using Latent.Models;
using Latent.Storage;
using Latent.Training;

namespace Latent.Tests.Storage;

/// <summary>
/// Every model kind exported to ONNX and run by onnxruntime (through bench/reference/onnx_run.mjs) on fixed inputs,
/// batch 1 and 7: encoder, decoder and whole autoencoder give what Latent gives, within 1e-5 of the largest output
/// value. The files also pass onnx.checker with full shape inference.
/// </summary>
public class OnnxExportTests
{
    private const float Tolerance = 1e-5f;

    /// <summary>Small models that between them use every layer, activation, scaling and option export handles.</summary>
    public static TheoryData<string> ModelNames => [.. Models.Keys];

    private static readonly Dictionary<string, Func<IAutoencoder>> Models = new()
    {
        // Standard scaling (a leading Sub/Div and a trailing Mul/Add), leaky ReLU, identity output.
        ["dense-scaled"] = () => Fitted(new DenseAutoencoder(new DenseAutoencoderConfig
        {
            Inputs = 12, Hidden = [16, 8], CodeSize = 4, Activation = Activation.LeakyRelu, Output = Activation.Identity, Scaling = Scaling.Standard, Seed = 1,
        }), Tensor.Normal(new Rng(2), 3f, 2f, 40, 12)),
        // Binary cross-entropy: the decoder emits logits, the export adds the sigmoid; ELU and a sigmoid code.
        ["dense-logits"] = () => new DenseAutoencoder(new DenseAutoencoderConfig
        {
            Inputs = 20, Hidden = [10], CodeSize = 5, Activation = Activation.Elu, CodeActivation = Activation.Tanh,
            Loss = ReconstructionLoss.BinaryCrossEntropy, Seed = 3,
        }),
        // Max pooling with "same" padding of odd sizes (10 → 5 → 3), nearest upsampling, unpadded decoder
        // convolutions, batch normalisation (folded), a spatial code.
        ["conv-maxpool-batchnorm"] = () => WithBatchStatistics(new ConvAutoencoder(new ConvAutoencoderConfig
        {
            Channels = 1, Height = 10, Width = 10, Filters = [4, 3], BatchNorm = true, Seed = 4,
        })),
        // Strided and transposed convolutions, colour images, a dense code, tanh, MSE with an identity output.
        ["conv-strided-dense-code"] = () => new ConvAutoencoder(new ConvAutoencoderConfig
        {
            Channels = 3, Height = 8, Width = 8, Filters = [4, 6], Downsampling = Downsampling.StridedConv, Upsampling = Upsampling.TransposedConv,
            CodeSize = 5, Activation = Activation.Tanh, Output = Activation.Identity, Loss = ReconstructionLoss.Mse, Seed = 5,
        }),
        // Bilinear upsampling that overshoots (7 → 4 → 2 → 4 → 8) and is cropped back to 7×7, a 5×5 kernel.
        ["conv-bilinear-crop"] = () => new ConvAutoencoder(new ConvAutoencoderConfig
        {
            Channels = 1, Height = 7, Width = 7, Filters = [3, 2], KernelSize = 5, Upsampling = Upsampling.Bilinear, Activation = Activation.Softplus, Seed = 6,
        }),
        // A conditional Gaussian VAE on standardised rows: labels enter encoder and decoder.
        ["vae-conditional-gaussian"] = () => Fitted(new VariationalAutoencoder(new VariationalAutoencoderConfig
        {
            Inputs = 10, Hidden = [8], CodeSize = 3, Classes = 3, Likelihood = Likelihood.Gaussian, Scaling = Scaling.Standard, Seed = 7,
        }), Tensor.Normal(new Rng(8), -1f, 4f, 30, 10), labels: [.. Enumerable.Range(0, 30).Select(i => i % 3)]),
        // A convolutional Bernoulli VAE.
        ["vae-conv"] = () => new VariationalAutoencoder(new VariationalAutoencoderConfig
        {
            Inputs = 64, Image = new Latent.Imaging.ImageShape(1, 8, 8), Filters = [4, 6], CodeSize = 3, Seed = 9,
        }),
    };

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
                int[]? labels = Conditional(model) is { } classes ? [.. Enumerable.Range(0, batch).Select(i => (i + (int)part) % classes)] : null;
                var inputs = new Dictionary<string, object>();
                string Feed(string input, Tensor values)
                {
                    string file = folder.File($"{part}-{batch}-{input}.bin");
                    File.WriteAllBytes(file, MemoryMarshal.AsBytes(values.Span).ToArray());
                    inputs[input] = new { file, dims = values.Shape };
                    return file;
                }
                var outputs = new Dictionary<string, string>();
                void Expect(string output, Tensor values)
                {
                    string file = folder.File($"{part}-{batch}-{output}.out");
                    outputs[output] = file;
                    expected.Add((file, values.ToArray(), $"{name} {part} batch {batch} {output}"));
                }
                Tensor rows = Rows(model, rng, batch), codes = Tensor.Normal(rng, 0f, 1f, batch, model.CodeSize);
                if (part != OnnxPart.Decoder) Feed("rows", rows);
                else Feed("code", codes);
                if (labels is not null && (part != OnnxPart.Encoder || model is VariationalAutoencoder { Config.Image: null }))
                    Feed("label", OneHot(labels, Conditional(model)!.Value));
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
        foreach (var (file, values, what) in expected)
        {
            float[] theirs = MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(file)).ToArray();
            Assert.Equal(values.Length, theirs.Length);
            float scale = Math.Max(values.Max(MathF.Abs), 1e-6f), worst = 0;
            for (int i = 0; i < values.Length; i++) worst = Math.Max(worst, MathF.Abs(values[i] - theirs[i]) / scale);
            Assert.True(worst <= Tolerance, $"{what}: relative difference {worst:G3} > {Tolerance:G3}");
        }
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

    private static T Fitted<T>(T model, Tensor data, int[]? labels = null) where T : IAutoencoder
    {
        var options = new FitOptions { Epochs = 2, BatchSize = 10, ValidationFraction = 0 };
        if (model is VariationalAutoencoder vae) vae.Fit(data, labels, options);
        else model.Fit(data, options);
        return model;
    }

    /// <summary>Running statistics and affine parameters far from their initial 0/1, so that folding them matters.</summary>
    private static ConvAutoencoder WithBatchStatistics(ConvAutoencoder model)
    {
        var rng = new Rng(11);
        foreach (var (name, tensor) in model.Network.NamedTensors())
        {
            if (name.EndsWith(".running_var", StringComparison.Ordinal) || (tensor.Rank == 1 && name.EndsWith(".weight", StringComparison.Ordinal)))
                rng.FillUniform(tensor.Span, 0.5f, 2f);
            else if (name.EndsWith(".running_mean", StringComparison.Ordinal) || (tensor.Rank == 1 && name.EndsWith(".bias", StringComparison.Ordinal)))
                rng.FillUniform(tensor.Span, -0.5f, 0.5f);
        }
        return model;
    }

    private static int? Conditional(IAutoencoder model) => model is VariationalAutoencoder { IsConditional: true } vae ? vae.Config.Classes : null;

    private static Tensor Rows(IAutoencoder model, Rng rng, int batch) => model is DenseAutoencoder { Config.Scaling: Scaling.Standard } or VariationalAutoencoder { Config.Scaling: Scaling.Standard }
        ? Tensor.Normal(rng, 2f, 3f, batch, model.Inputs)
        : Tensor.Uniform(rng, 0f, 1f, batch, model.Inputs);

    private static Tensor OneHot(int[] labels, int classes)
    {
        var y = Tensor.Zeros(labels.Length, classes);
        for (int i = 0; i < labels.Length; i++) y.Span[i * classes + labels[i]] = 1f;
        return y;
    }
}
