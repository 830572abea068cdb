#:project ../../src/Latent/Latent.csproj
#:property PublishAot=false
// Inference time of Latent against onnxruntime-node running the same model exported to ONNX, and the exported files'
// sizes: the dense autoencoder of the README (784-128-64-32) and the convolutional denoiser (the Keras example's
// 64-32-16 on 1×28×28), whole autoencoder, batch 1 and batch 1000, random weights and inputs (speed does not depend
// on them). Both sides use the same number of threads. Run it on a quiet machine:
//   npm ci --prefix bench/reference        (once)
//   dotnet run -c Release bench/reference/onnx_speed.cs [-- --threads N]
// Each side runs five alternating rounds; a round's time is the median of 1000 calls at batch 1 (15 at batch 1000)
// after warm-up. Ours times Reconstruct, theirs session.run, each on one batch held in memory.
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
const int Rounds = 5;
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
        int repeats = batch == 1 ? 1000 : 15;
        string data = Path.Combine(folder, $"input-{batch}.f32");
        File.WriteAllBytes(data, MemoryMarshal.AsBytes(input.Span).ToArray());
        string jobs = Path.Combine(folder, "jobs.json");
        File.WriteAllText(jobs, JsonSerializer.Serialize(new[]
        {
            new { model = Path.Combine(folder, $"{model.GetType().Name}-All.onnx"), inputs = new { rows = new { file = data, dims = new[] { batch, model.Inputs } } }, repeats, threads },
        }));
        // Rounds alternate between the two sides, so that a slow spell of the machine (they last seconds here) falls
        // on both; the ratio is the median of the rounds' ratios.
        var ours = new List<double>();
        var theirs = new List<double>();
        for (int round = 0; round < Rounds; round++)
        {
            ours.Add(Median(repeats, warm: round == 0, () => model.Reconstruct(input).Dispose()));
            theirs.Add(JsonDocument.Parse(Node(jobs)).RootElement.GetProperty("median_ms").GetDouble());
        }
        var ratios = ours.Zip(theirs, (a, b) => a / b).ToList();
        rows.Add($"| {name} | {batch} | {MedianOf(ours):F3} | {MedianOf(theirs):F3} | {MedianOf(ratios):F2} ({ratios.Min():F2}–{ratios.Max():F2}) |");
    }
}
Console.WriteLine($"\n{threads} threads; median milliseconds per call (reconstruct a batch)\n");
Console.WriteLine($"Median of {Rounds} alternating rounds; the ratio is the median of the rounds' ratios (their range in brackets).\n");
Console.WriteLine("| model | batch | Latent (ms) | onnxruntime-node (ms) | Latent / onnxruntime |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
rows.ForEach(Console.WriteLine);
Directory.Delete(folder, recursive: true);
return 0;

static double Median(int repeats, bool warm, Action call)
{
    long start = Stopwatch.GetTimestamp();
    for (int i = 0; i < Math.Max(10, repeats / 10) || (warm && Stopwatch.GetElapsedTime(start).TotalSeconds < 2); i++) call();   // past .NET's tiered JIT (full speed after ~1 s here)
    var times = new double[repeats];
    for (int i = 0; i < repeats; i++)
    {
        long begin = Stopwatch.GetTimestamp();
        call();
        times[i] = Stopwatch.GetElapsedTime(begin).TotalMilliseconds;
    }
    return MedianOf(times);
}

static double MedianOf(IReadOnlyList<double> values)
{
    double[] sorted = [.. values.Order()];
    int mid = sorted.Length / 2;
    return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
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
