using System.Text.Json;
using Latent.Engine;
using Latent.Models;

namespace Latent.Tests.Storage;

/// <summary>
/// The PyTorch round trip through safetensors (bench/reference/latent_torch.py): every model of
/// <see cref="ExportedModels"/> rebuilt and run in PyTorch from its Latent file gives what Latent gives, and models
/// trained in PyTorch and written in the same layout open in Latent and give what PyTorch gives, within 1e-5 of the
/// largest output value.
/// </summary>
public class TorchRoundTripTests
{
    private const float Tolerance = 1e-5f;

    private static string Script => Path.Combine(ExternalTool.RepositoryRoot(), "bench", "reference", "latent_torch.py");

    [SkippableFact]
    public void LatentModelsRunInPyTorchAsInLatent()
    {
        ExternalTool.RequirePythonModule("torch", "python3-torch");
        using var folder = new TempFolder();
        var jobs = new List<object>();
        var expected = new List<(string File, float[] Values, string What)>();
        foreach (var (name, create) in ExportedModels.All)
        {
            IAutoencoder model = create();
            string path = folder.File($"{name}.safetensors");
            model.Save(path);
            var rng = new Rng(3);
            Tensor rows = ExportedModels.Rows(model, rng, 5), codes = Tensor.Normal(rng, 0f, 1f, 5, model.CodeSize);
            int[]? labels = ExportedModels.Conditional(model) is { } classes ? [.. Enumerable.Range(0, 5).Select(i => i % classes)] : null;
            var vae = model as VariationalAutoencoder;
            foreach (var (part, output) in new[]
            {
                ("encoder", vae?.Encode(rows, labels) ?? model.Encode(rows)),
                ("decoder", vae?.Decode(codes, labels) ?? model.Decode(codes)),
                ("all", vae?.Reconstruct(rows, labels) ?? model.Reconstruct(rows)),
            })
            {
                var inputs = new Dictionary<string, string>
                {
                    [part == "decoder" ? "code" : "rows"] = RawRows.Write(folder.File($"{name}-{part}.in"), part == "decoder" ? codes : rows),
                };
                if (labels is not null) inputs["label"] = RawRows.Write(folder.File($"{name}-{part}.label"), ExportedModels.OneHot(labels, labels.Max() + 1));
                string result = folder.File($"{name}-{part}.out");
                jobs.Add(new { model = path, part, inputs, output = result });
                expected.Add((result, output.ToArray(), $"{name} {part}"));
            }
        }
        File.WriteAllText(folder.File("jobs.json"), JsonSerializer.Serialize(jobs));
        ExternalTool.Run(ExternalTool.Python, folder.Path, Script, "run", folder.File("jobs.json"));
        foreach (var (file, values, what) in expected) RawRows.AssertClose(values, RawRows.Read(file), Tolerance, what);
    }

    [SkippableTheory]
    [InlineData("dense", """{"inputs": 12, "hidden": [10], "code_size": 3, "activation": "Tanh", "output": "Identity", "loss": "Mse", "scaling": "Standard"}""")]
    [InlineData("dense", """{"inputs": 12, "hidden": [16, 8], "code_size": 4, "activation": "Relu", "output": "Sigmoid", "loss": "BinaryCrossEntropy"}""")]
    [InlineData("conv", """{"channels": 1, "height": 8, "width": 8, "filters": [4, 3], "batch_norm": true, "code_size": 5, "loss": "BinaryCrossEntropy"}""")]
    public void APyTorchTrainedModelOpensInLatentAndGivesWhatPyTorchGives(string kind, string config)
    {
        ExternalTool.RequirePythonModule("torch", "python3-torch");
        using var folder = new TempFolder();
        int width = kind == "conv" ? 64 : 12;
        Tensor rows = Tensor.Uniform(new Rng(5), 0f, 1f, 50, width);
        if (kind == "dense" && config.Contains("Standard")) rows = rows * 6f - 1f;
        string data = RawRows.Write(folder.File("data.f32"), rows), model = folder.File("torch.safetensors");
        ExternalTool.Run(ExternalTool.Python, folder.Path, Script, "train", "--kind", kind, "--config", config, "--data", data,
            "--out", model, "--steps", "50", "--reconstruction", folder.File("torch.f32"));

        object opened = ModelFile.Open(model);
        IAutoencoder autoencoder = Assert.IsAssignableFrom<IAutoencoder>(opened);
        Assert.Equal(kind, ModelFile.KindOf(model));
        RawRows.AssertClose(autoencoder.Reconstruct(rows).ToArray(), RawRows.Read(folder.File("torch.f32")), Tolerance, $"{kind} {config}");
    }
}
