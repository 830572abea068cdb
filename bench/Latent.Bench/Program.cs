using Latent.Bench;

// Entry point of the benchmarks: `dotnet run -c Release --project bench/Latent.Bench -- VERB [options]`.
string verb = args.Length > 0 ? args[0] : "";
string[] options = args.Length > 0 ? args[1..] : [];
var verbs = new Dictionary<string, Func<string[], int>>
{
    ["gemm"] = GemmBenchmark.Run,
    ["dense"] = DenseBenchmark.Run,
    ["conv-layers"] = ConvLayerBenchmark.Run,
    ["conv-denoise"] = ConvDenoiseBenchmark.Run,
    ["vae"] = VaeBenchmark.Run,
    ["impute"] = ImputeBenchmark.Run,
    ["anomaly"] = AnomalyBenchmark.Run,
    ["search"] = SearchBenchmark.Run,
    ["reduce"] = ReduceBenchmark.Run,
};
if (verbs.TryGetValue(verb, out var run)) return run(options);
Console.Error.WriteLine($"{(verb.Length == 0 ? "usage: Latent.Bench VERB [options]" : $"unknown verb '{verb}'")}; verbs: {string.Join(", ", verbs.Keys)}");
return 2;
