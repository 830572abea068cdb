using Latent.Bench;

// Entry point of the benchmarks: `dotnet run -c Release --project bench/Latent.Bench -- VERB [options]`.
// Each benchmark writes its results to bench-results/VERB.json (see Results); `all` runs them all and `report` rebuilds
// the report from those files. Any benchmark takes --contended (see Contention).
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
    ["search-scale"] = SearchScaleBenchmark.Run,
    ["reduce"] = ReduceBenchmark.Run,
    ["steps"] = StepsBenchmark.Run,
    ["recommend"] = RecommendBenchmark.Run,
    ["colorize"] = ColorizeBenchmark.Run,
    ["seq2seq"] = Seq2SeqBenchmark.Run,
    ["next-frames"] = NextFramesBenchmark.Run,
    ["compress"] = CompressBenchmark.Run,
};
if (benchmarks.TryGetValue(verb, out var run))
{
    // --contended: the whole run (ours and the reference's) beside a busy loop pinned to one core.
    if (!options.Contains("--contended")) return Results.Record(verb, options, run);
    Console.WriteLine($"# contended mode: a busy loop occupies core {Contention.Core} for the whole run, on both sides");
    using var contention = Contention.Start();
    return Results.Record(verb, options, o => run([.. o.Where(a => a != "--contended")]));
}
if (verb == "all") return AllBenchmarks.Run(options, [.. benchmarks.Keys]);
if (verb == "report") return ReportCommand.Run(options, [.. benchmarks.Keys]);
Console.Error.WriteLine($"{(verb.Length == 0 ? "usage: Latent.Bench VERB [options]" : $"unknown verb '{verb}'")}; verbs: {string.Join(", ", benchmarks.Keys)}, all, report");
return 2;
