using Latent.Bench;

// Entry point of the benchmarks: `dotnet run -c Release --project bench/Latent.Bench -- VERB [options]`.
// Each benchmark writes its results to bench-results/VERB.json (see Results); `all` runs them all and `report` rebuilds
// the report from those files.
string verb = args.Length > 0 ? args[0] : "";
string[] options = args.Length > 0 ? args[1..] : [];
var benchmarks = new Dictionary<string, Func<string[], int>>
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
    ["recommend"] = RecommendBenchmark.Run,
};
if (benchmarks.TryGetValue(verb, out var run)) return Results.Record(verb, options, run);
if (verb == "all") return AllBenchmarks.Run(options, [.. benchmarks.Keys]);
if (verb == "report") return ReportCommand.Run(options, [.. benchmarks.Keys]);
Console.Error.WriteLine($"{(verb.Length == 0 ? "usage: Latent.Bench VERB [options]" : $"unknown verb '{verb}'")}; verbs: {string.Join(", ", benchmarks.Keys)}, all, report");
return 2;
