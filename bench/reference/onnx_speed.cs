#:project ../../src/Latent/Latent.csproj
#:property PublishAot=false
// Inference time of Latent against onnxruntime-node running the same model exported to ONNX, and the exported files'
// sizes: the dense autoencoder of the README (784-128-64-32) and the convolutional denoiser (the Keras example's
// 64-32-16 on 1×28×28), whole autoencoder, batch 1 and batch 1000, random weights and inputs (speed does not depend
// on them). Both sides use the same number of threads. Run it on a quiet machine:
//   npm ci --prefix bench/reference        (once)
//   dotnet run -c Release bench/reference/onnx_speed.cs [-- --threads N]
// Batch 1 is the median of 2000 calls after warm-up, batch 1000 the median of 30; ours times Reconstruct, theirs
// session.run, each on one batch held in memory.
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Latent.Engine;
using Latent.Models;
using Latent.Storage;

int threads = args.Length == 2 && args[0] == "--threads" ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : Environment.ProcessorCount;
Environment.SetEnvironmentVariable("LATENT_THREADS", threads.ToString(System.Globalization.CultureInfo.InvariantCulture));
string here = Path.GetDirectoryName(Path.GetFullPath("bench/reference/onnx_run.mjs"))!;
if (!File.Exists(Path.Combine(here, "onnx_run.mjs"))) throw new InvalidOperationException("Run this from the repository's root.");
string folder = Directory.CreateTempSubdirectory("latent-onnx-speed").FullName;

var models = new (string Name, IAutoencoder Model)[]
{
    ("dense 784-128-64-32", new DenseAutoencoder(new DenseAutoencoderConfig { Inputs = 784, Hidden = [128, 64], CodeSize = 32 })),
    ("conv 64-32-16, 1×28×28", new ConvAutoencoder(new ConvAutoencoderConfig { Channels = 1, Height = 28, Width = 28 })),
};
var rows = new List<string>();
foreach (var (name, model) in models)
{
    foreach (OnnxPart part in Enum.GetValues<OnnxPart>())
    {
        string file = Path.Combine(folder, $"{model.GetType().Name}-{part}.onnx");
        OnnxFileSummary summary = OnnxExport.Save(model, part, file);
        Console.WriteLine($"{name}: {part.ToString().ToLowerInvariant()} {summary.Bytes} bytes");
    }
    foreach (int batch in new[] { 1, 1000 })
    {
        using Tensor input = Tensor.Uniform(new Rng(1), 0f, 1f, batch, model.Inputs);
        int repeats = batch == 1 ? 2000 : 30;
        double ours = Median(repeats, () => model.Reconstruct(input).Dispose());
        string data = Path.Combine(folder, $"input-{batch}.f32");
        File.WriteAllBytes(data, MemoryMarshal.AsBytes(input.Span).ToArray());
        string jobs = Path.Combine(folder, "jobs.json");
        File.WriteAllText(jobs, JsonSerializer.Serialize(new[]
        {
            new { model = Path.Combine(folder, $"{model.GetType().Name}-All.onnx"), inputs = new { rows = new { file = data, dims = new[] { batch, model.Inputs } } }, repeats, threads },
        }));
        double theirs = JsonDocument.Parse(Node(jobs)).RootElement.GetProperty("median_ms").GetDouble();
        rows.Add($"| {name} | {batch} | {ours:F3} | {theirs:F3} | {ours / theirs:F2} |");
    }
}
Console.WriteLine($"\n{threads} threads; median milliseconds per call (reconstruct a batch)\n");
Console.WriteLine("| model | batch | Latent (ms) | onnxruntime-node (ms) | Latent / onnxruntime |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
rows.ForEach(Console.WriteLine);
Directory.Delete(folder, recursive: true);
return 0;

static double Median(int repeats, Action call)
{
    long warm = Stopwatch.GetTimestamp();
    for (int i = 0; i < Math.Max(10, repeats / 10) || Stopwatch.GetElapsedTime(warm).TotalSeconds < 2; i++) call();   // past .NET's tiered JIT (full speed after ~1 s here)
    var times = new double[repeats];
    for (int i = 0; i < repeats; i++)
    {
        long start = Stopwatch.GetTimestamp();
        call();
        times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }
    Array.Sort(times);
    return repeats % 2 == 1 ? times[repeats / 2] : (times[repeats / 2 - 1] + times[repeats / 2]) / 2;
}

string Node(string jobs)
{
    var start = new ProcessStartInfo("node", [Path.Combine(here, "onnx_run.mjs"), jobs]) { RedirectStandardOutput = true };
    using var process = Process.Start(start)!;
    string output = process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0) throw new InvalidOperationException($"node onnx_run.mjs failed ({process.ExitCode}).");
    return output.Trim().Split('\n')[^1];
}
