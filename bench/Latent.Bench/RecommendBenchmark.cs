using Latent.Data;

namespace Latent.Bench;

/// <summary>`recommend`: MovieLens 100K u1..u5, ours and shared/reference/autorec.py.</summary>
internal static class RecommendBenchmark
{
    public static int Run(string[] args)
    {
        string dataFolder = Environment.GetEnvironmentVariable("LATENT_DATA")
            ?? throw new InvalidOperationException("Set LATENT_DATA to the shared data folder (it holds movielens-100k/).");
        string folder = Path.Combine(dataFolder, "movielens-100k");
        if (args.Contains("--validate")) return RecommendValidation.Run(RatingsFile.Read(Path.Combine(folder, "u1.base")), args);
        return 0;
    }
}
