using System.Diagnostics;
using System.Globalization;
using Latent.Applications.Recommendation;
using Latent.Data;
using Latent.Engine;
using Latent.Models.AutoRec;
using Latent.Models.Cdae;

namespace Latent.Bench;

/// <summary>
/// `recommend --validate`: how the recommender's defaults were chosen, without the test file. 5% of u1.base's ratings
/// (our generator, seed 0) are held out as validation ratings; every variant trains on the other 95% and is scored on
/// them: rating RMSE for the explicit recipes, NDCG@10 (validation ratings ≥ 4 relevant) for the implicit ones.
/// u1.test is never read. Options: --only=a,b (variants whose names start with these).
/// </summary>
internal static class RecommendValidation
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static (Ratings Train, Ratings Validation) Split(Ratings ratings)
    {
        var rng = new Rng(0);
        bool[] held = [.. Enumerable.Range(0, ratings.Count).Select(_ => rng.NextFloat() < 0.05f)];
        return (ratings.Select(Enumerable.Range(0, ratings.Count).Where(r => !held[r])), ratings.Select(Enumerable.Range(0, ratings.Count).Where(r => held[r])));
    }

    /// <summary>The paper's network (no input dropout) with the given penalty and epochs.</summary>
    private static AutoRecOptions Paper(float l2, int epochs) => new() { L2 = l2, Epochs = epochs, InputDropout = 0 };

    /// <summary>The variants, each a name and the options it changes.</summary>
    private static IEnumerable<(string Name, RecommenderOptions Options)> Variants()
    {
        var mf = new MatrixFactorizationOptions();
        foreach (float l2 in new[] { 30f, 100f })
            foreach (int epochs in new[] { 50, 100, 200 })
                yield return ($"i-autorec rprop l2 {l2} epochs {epochs}", new() { AutoRec = [Paper(l2, epochs)] });
        foreach (float l2 in new[] { 300f, 600f, 1000f })
            foreach (int epochs in new[] { 150, 300 })
                yield return ($"i-autorec rprop l2 {l2} epochs {epochs}", new() { AutoRec = [Paper(l2, epochs)] });
        yield return ("u-autorec rprop l2 100 epochs 100", new() { AutoRec = [Paper(100, 100) with { ItemBased = false }] });
        yield return ("mf only", new() { AutoRec = [], MatrixFactorization = mf });
        yield return ("i-autorec adam l2 100", new() { AutoRec = [new AutoRecOptions { Optimizer = AutoRecOptimizer.Adam, LearningRate = 1e-3f, BatchSize = 64, Epochs = 100, L2 = 100 }] });
        yield return ("i-autorec 1000 units l2 300 epochs 150", new() { AutoRec = [Paper(300, 150) with { Hidden = [1000] }] });
        yield return ("i-autorec dropout .2 l2 300 epochs 150", new() { AutoRec = [Paper(300, 150) with { Dropout = 0.2f }] });
        yield return ("i-autorec elu dropout .2 l2 300 epochs 150", new() { AutoRec = [Paper(300, 150) with { Activation = Activation.Elu, Dropout = 0.2f }] });
        yield return ("i-autorec 500-500 l2 300 epochs 150", new() { AutoRec = [Paper(300, 150) with { Hidden = [500, 500] }] });
        yield return ("ensemble 3 seeds l2 300 epochs 150", new() { AutoRec = [Paper(300, 150), Paper(300, 150), Paper(300, 150)] });
        yield return ("ensemble i l2 300 epochs 150 + mf", new() { AutoRec = [Paper(300, 150)], MatrixFactorization = mf });
        yield return ("ensemble 3 seeds l2 300 epochs 150 + mf", new() { AutoRec = [Paper(300, 150), Paper(300, 150), Paper(300, 150)], MatrixFactorization = mf });
        yield return ("ensemble i + u l2 300 + mf", new() { AutoRec = [Paper(300, 150), Paper(300, 150) with { ItemBased = false }], MatrixFactorization = mf });
        yield return ("i-autorec residual l2 300 epochs 150", new() { AutoRec = [Paper(300, 150) with { Residual = true }] });
        yield return ("i-autorec residual l2 100 epochs 150", new() { AutoRec = [Paper(100, 150) with { Residual = true }] });
        yield return ("i-autorec residual l2 300 epochs 300", new() { AutoRec = [Paper(300, 300) with { Residual = true }] });
        foreach (float dropout in new[] { 0.1f, 0.25f, 0.5f })
            foreach (float l2 in new[] { 30f, 100f, 300f })
                yield return ($"i-autorec input dropout {dropout} l2 {l2} epochs 150", new() { AutoRec = [Paper(l2, 150) with { InputDropout = dropout }] });
        foreach (float dropout in new[] { 0.25f, 0.5f })
            foreach (int epochs in new[] { 300, 600 })
                yield return ($"i-autorec input dropout {dropout} l2 100 epochs {epochs}", new() { AutoRec = [Paper(100, epochs) with { InputDropout = dropout }] });
        AutoRecOptions denoising = Paper(100, 150) with { InputDropout = 0.5f };
        yield return ("denoising i-autorec l2 50", new() { AutoRec = [denoising with { L2 = 50 }] });
        yield return ("denoising i-autorec 1000 units", new() { AutoRec = [denoising with { Hidden = [1000] }] });
        yield return ("denoising u-autorec", new() { AutoRec = [denoising with { ItemBased = false }] });
        yield return ("denoising ensemble 3 seeds", new() { AutoRec = [denoising, denoising, denoising] });
        yield return ("denoising ensemble 5 seeds", new() { AutoRec = [denoising, denoising, denoising, denoising, denoising] });
        yield return ("denoising ensemble 3 seeds + mf", new() { AutoRec = [denoising, denoising, denoising], MatrixFactorization = mf });
        yield return ("denoising ensemble 3 i + 1 u", new() { AutoRec = [denoising, denoising, denoising, denoising with { ItemBased = false }] });
        AutoRecOptions denoisingUser = denoising with { ItemBased = false };
        yield return ("denoising ensemble 2 i + 1 u", new() { AutoRec = [denoising, denoising, denoisingUser] });
        yield return ("denoising ensemble 3 i + 2 u", new() { AutoRec = [denoising, denoising, denoising, denoisingUser, denoisingUser] });
        yield return ("denoising ensemble 3 i + 1 u + mf", new() { AutoRec = [denoising, denoising, denoising, denoisingUser], MatrixFactorization = mf });
        foreach (float l2 in new[] { 30f, 300f, 1000f })
            yield return ($"denoising u-autorec l2 {l2}", new() { AutoRec = [denoisingUser with { L2 = l2 }] });
        yield return ("denoising u-autorec input dropout 0.25", new() { AutoRec = [denoisingUser with { InputDropout = 0.25f }] });
        foreach (float l2 in new[] { 30f, 300f })
            yield return ($"denoising ensemble 3 i + 1 u l2 {l2}", new() { AutoRec = [denoising, denoising, denoising, denoisingUser with { L2 = l2 }] });
        yield return ("denoising ensemble 3 i + 1 u, 300 epochs", new() { AutoRec = [.. new[] { denoising, denoising, denoising, denoisingUser }.Select(a => a with { Epochs = 300 })] });
        var cdae = new CdaeOptions { Hidden = 50, Epochs = 60 };   // the paper's 50 units, before the defaults were chosen here
        yield return ("cdae 50 units 60 epochs", new() { Feedback = Feedback.Implicit, Cdae = cdae });
        yield return ("cdae 100 units 60 epochs", new() { Feedback = Feedback.Implicit, Cdae = cdae with { Hidden = 100 } });
        yield return ("cdae 50 units corruption 0.5", new() { Feedback = Feedback.Implicit, Cdae = cdae with { Corruption = 0.5f } });
        yield return ("cdae 50 units 30 epochs", new() { Feedback = Feedback.Implicit, Cdae = cdae with { Epochs = 30 } });
        yield return ("cdae 50 units 120 epochs", new() { Feedback = Feedback.Implicit, Cdae = cdae with { Epochs = 120 } });
        yield return ("cdae 100 units 120 epochs", new() { Feedback = Feedback.Implicit, Cdae = cdae with { Hidden = 100, Epochs = 120 } });
    }

    public static int Run(Ratings u1Base, string[] args)
    {
        string[] only = BenchOptions.Value(args, "--only")?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];
        var (train, validation) = Split(u1Base);
        Console.WriteLine($"# recommend --validate: u1.base split by our generator (seed 0) into {train.Count} training and {validation.Count} validation ratings; u1.test is not read");
        Console.WriteLine();
        Console.WriteLine("| variant | validation RMSE | NDCG@10 | NDCG@10 popularity | s |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var (name, options) in Variants())
        {
            if (only.Length > 0 && !only.Any(o => name.StartsWith(o, StringComparison.Ordinal))) continue;
            var clock = Stopwatch.StartNew();
            RecommenderEvaluationResult result = RecommenderEvaluation.Run(train, validation, options, withCdae: options.Feedback == Feedback.Implicit);
            string ndcg = result.Cdae is { } c ? c.Ndcg.ToString("F4", Inv) : result.AutoRecRanking.Ndcg.ToString("F4", Inv);
            Console.WriteLine(string.Create(Inv, $"| {name} | {result.Rmse:F4} | {ndcg} | {result.Popularity.Ndcg:F4} | {clock.Elapsed.TotalSeconds:F0} |"));
        }
        return 0;
    }
}
