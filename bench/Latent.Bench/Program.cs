using Latent.Bench;

// Entry point of the benchmarks: `dotnet run -c Release --project bench/Latent.Bench -- VERB [options]`.
string verb = args.Length > 0 ? args[0] : "";
string[] options = args.Length > 0 ? args[1..] : [];
switch (verb)
{
    case "gemm":
        return GemmBenchmark.Run(options);
    case "dense":
        return DenseBenchmark.Run(options);
    case "conv-layers":
        return ConvLayerBenchmark.Run(options);
    case "conv-denoise":
        return ConvDenoiseBenchmark.Run(options);
    case "search":
        return SearchBenchmark.Run(options);
    case "anomaly":
        return AnomalyBenchmark.Run(options);
    default:
        Console.Error.WriteLine(verb.Length == 0
            ? "usage: Latent.Bench VERB [options]; verbs: gemm, dense"
            : $"unknown verb '{verb}'; verbs: gemm, dense");
        return 2;
}
