using System.Diagnostics;
using System.Globalization;
using Latent.Applications.Recommendation;
using Latent.Data;
using Latent.Engine;
using Latent.Models.AutoRec;
using Latent.Models.Cdae;

namespace Latent.Bench;

/// <summary>
/// `recommend --validate`: how the recommender's defaults were chosen, without the test files. 5% of a training file's
/// ratings (our generator, seed 0) are held out as validation ratings; every variant trains on the other 95% and is
/// scored on them: rating RMSE for the explicit recipes, NDCG@10 (validation ratings ≥ 4 relevant) for the implicit
/// ones. First the blends on all five training files u1.base..u5.base (the default's members and how they are
/// combined), then the single networks and CDAE on u1.base. The uN.test files are never read. Options: --only=a,b
/// (rows whose names start with these), --blends (the first table only), --single-split (the second only).
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

    /// <summary>The single-split variants: members averaged equally, no matrix factorisation unless named.</summary>
    private static readonly RecommenderOptions Averaged = new() { MatrixFactorization = null, BlendHoldout = 0 };

    /// <summary>The paper's network (no input dropout) with the given penalty and epochs.</summary>
    private static AutoRecOptions Paper(float l2, int epochs) => new() { L2 = l2, Epochs = epochs, InputDropout = 0 };

    /// <summary>The single-split variants (u1.base), each a name and the options it changes: they chose the networks' recipes.</summary>
    private static IEnumerable<(string Name, RecommenderOptions Options)> Variants()
    {
        var mf = new MatrixFactorizationOptions();
        foreach (float l2 in new[] { 30f, 100f })
            foreach (int epochs in new[] { 50, 100, 200 })
                yield return ($"i-autorec rprop l2 {l2} epochs {epochs}", Averaged with { AutoRec = [Paper(l2, epochs)] });
        foreach (float l2 in new[] { 300f, 600f, 1000f })
            foreach (int epochs in new[] { 150, 300 })
                yield return ($"i-autorec rprop l2 {l2} epochs {epochs}", Averaged with { AutoRec = [Paper(l2, epochs)] });
        yield return ("u-autorec rprop l2 100 epochs 100", Averaged with { AutoRec = [Paper(100, 100) with { ItemBased = false }] });
        yield return ("mf only", Averaged with { AutoRec = [], MatrixFactorization = mf });
        yield return ("i-autorec adam l2 100", Averaged with { AutoRec = [new AutoRecOptions { Optimizer = AutoRecOptimizer.Adam, LearningRate = 1e-3f, BatchSize = 64, Epochs = 100, L2 = 100 }] });
        yield return ("i-autorec 1000 units l2 300 epochs 150", Averaged with { AutoRec = [Paper(300, 150) with { Hidden = [1000] }] });
        yield return ("i-autorec dropout .2 l2 300 epochs 150", Averaged with { AutoRec = [Paper(300, 150) with { Dropout = 0.2f }] });
        yield return ("i-autorec elu dropout .2 l2 300 epochs 150", Averaged with { AutoRec = [Paper(300, 150) with { Activation = Activation.Elu, Dropout = 0.2f }] });
        yield return ("i-autorec 500-500 l2 300 epochs 150", Averaged with { AutoRec = [Paper(300, 150) with { Hidden = [500, 500] }] });
        yield return ("ensemble 3 seeds l2 300 epochs 150", Averaged with { AutoRec = [Paper(300, 150), Paper(300, 150), Paper(300, 150)] });
        yield return ("ensemble i l2 300 epochs 150 + mf", Averaged with { AutoRec = [Paper(300, 150)], MatrixFactorization = mf });
        yield return ("ensemble 3 seeds l2 300 epochs 150 + mf", Averaged with { AutoRec = [Paper(300, 150), Paper(300, 150), Paper(300, 150)], MatrixFactorization = mf });
        yield return ("ensemble i + u l2 300 + mf", Averaged with { AutoRec = [Paper(300, 150), Paper(300, 150) with { ItemBased = false }], MatrixFactorization = mf });
        yield return ("i-autorec residual l2 300 epochs 150", Averaged with { AutoRec = [Paper(300, 150) with { Residual = true }] });
        yield return ("i-autorec residual l2 100 epochs 150", Averaged with { AutoRec = [Paper(100, 150) with { Residual = true }] });
        yield return ("i-autorec residual l2 300 epochs 300", Averaged with { AutoRec = [Paper(300, 300) with { Residual = true }] });
        foreach (float dropout in new[] { 0.1f, 0.25f, 0.5f })
            foreach (float l2 in new[] { 30f, 100f, 300f })
                yield return ($"i-autorec input dropout {dropout} l2 {l2} epochs 150", Averaged with { AutoRec = [Paper(l2, 150) with { InputDropout = dropout }] });
        foreach (float dropout in new[] { 0.25f, 0.5f })
            foreach (int epochs in new[] { 300, 600 })
                yield return ($"i-autorec input dropout {dropout} l2 100 epochs {epochs}", Averaged with { AutoRec = [Paper(100, epochs) with { InputDropout = dropout }] });
        AutoRecOptions denoising = Paper(100, 150) with { InputDropout = 0.5f };
        yield return ("denoising i-autorec l2 50", Averaged with { AutoRec = [denoising with { L2 = 50 }] });
        yield return ("denoising i-autorec 1000 units", Averaged with { AutoRec = [denoising with { Hidden = [1000] }] });
        yield return ("denoising u-autorec", Averaged with { AutoRec = [denoising with { ItemBased = false }] });
        yield return ("denoising ensemble 3 seeds", Averaged with { AutoRec = [denoising, denoising, denoising] });
        yield return ("denoising ensemble 5 seeds", Averaged with { AutoRec = [denoising, denoising, denoising, denoising, denoising] });
        yield return ("denoising ensemble 3 seeds + mf", Averaged with { AutoRec = [denoising, denoising, denoising], MatrixFactorization = mf });
        yield return ("denoising ensemble 3 i + 1 u", Averaged with { AutoRec = [denoising, denoising, denoising, denoising with { ItemBased = false }] });
        AutoRecOptions denoisingUser = denoising with { ItemBased = false };
        yield return ("denoising ensemble 2 i + 1 u", Averaged with { AutoRec = [denoising, denoising, denoisingUser] });
        yield return ("denoising ensemble 3 i + 2 u", Averaged with { AutoRec = [denoising, denoising, denoising, denoisingUser, denoisingUser] });
        yield return ("denoising ensemble 3 i + 1 u + mf", Averaged with { AutoRec = [denoising, denoising, denoising, denoisingUser], MatrixFactorization = mf });
        foreach (float l2 in new[] { 30f, 300f, 1000f })
            yield return ($"denoising u-autorec l2 {l2}", Averaged with { AutoRec = [denoisingUser with { L2 = l2 }] });
        yield return ("denoising u-autorec input dropout 0.25", Averaged with { AutoRec = [denoisingUser with { InputDropout = 0.25f }] });
        foreach (float l2 in new[] { 30f, 300f })
            yield return ($"denoising ensemble 3 i + 1 u l2 {l2}", Averaged with { AutoRec = [denoising, denoising, denoising, denoisingUser with { L2 = l2 }] });
        yield return ("denoising ensemble 3 i + 1 u, 300 epochs", Averaged with { AutoRec = [.. new[] { denoising, denoising, denoising, denoisingUser }.Select(a => a with { Epochs = 300 })] });
        var cdae = new CdaeOptions { Hidden = 50, Epochs = 60 };   // the paper's 50 units, before the defaults were chosen here
        yield return ("cdae 50 units 60 epochs", new() { Feedback = Feedback.Implicit, Cdae = cdae });
        yield return ("cdae 100 units 60 epochs", new() { Feedback = Feedback.Implicit, Cdae = cdae with { Hidden = 100 } });
        yield return ("cdae 50 units corruption 0.5", new() { Feedback = Feedback.Implicit, Cdae = cdae with { Corruption = 0.5f } });
        yield return ("cdae 50 units 30 epochs", new() { Feedback = Feedback.Implicit, Cdae = cdae with { Epochs = 30 } });
        yield return ("cdae 50 units 120 epochs", new() { Feedback = Feedback.Implicit, Cdae = cdae with { Epochs = 120 } });
        yield return ("cdae 100 units 120 epochs", new() { Feedback = Feedback.Implicit, Cdae = cdae with { Hidden = 100, Epochs = 120 } });
    }

    /// <summary>
    /// The recipes compared on all five training files (uN.base, each split as u1.base is): they chose how the default
    /// members are combined (blends learn on 10% of the 95% held out). The members were shortlisted by stacking their
    /// validation predictions (the two item-based recipes, the user-based one and the factorisation added most).
    /// </summary>
    private static IEnumerable<(string Name, RecommenderOptions Options)> Blends()
    {
        AutoRecOptions item = new(), user = new() { ItemBased = false };
        yield return ("3 i + 1 u averaged (the previous default)", Averaged with { AutoRec = [item, item, item, user] });
        yield return ("the default's members blended, fixed weights", new() { BlendBySupport = false });
        yield return ("the default: blended, weights by support", new());
    }

    public static int Run(string folder, string[] args)
    {
        string[] only = BenchOptions.Value(args, "--only")?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];
        bool Chosen(string name) => only.Length == 0 || only.Any(o => name.StartsWith(o, StringComparison.Ordinal));
        if (!args.Contains("--single-split")) Compare(folder, Chosen);
        if (!args.Contains("--blends")) Single(RatingsFile.Read(Path.Combine(folder, "u1.base")), Chosen);
        return 0;
    }

    /// <summary>The table of <see cref="Blends"/>: validation RMSE on each training file's split and their mean.</summary>
    private static void Compare(string folder, Func<string, bool> chosen)
    {
        (Ratings Train, Ratings Validation)[] splits = [.. Enumerable.Range(1, 5).Select(s => Split(RatingsFile.Read(Path.Combine(folder, $"u{s}.base"))))];
        Console.WriteLine("# recommend --validate: each uN.base split by our generator (seed 0) into 95% training and 5% validation ratings; the uN.test files are not read");
        Console.WriteLine();
        Console.WriteLine("| recipe | u1 | u2 | u3 | u4 | u5 | mean | s per fit |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (name, options) in Blends())
        {
            if (!chosen(name)) continue;
            var clock = Stopwatch.StartNew();
            double[] rmse = [.. splits.Select(s => RecommenderEvaluation.Run(s.Train, s.Validation, options, withCdae: false).Rmse)];
            Console.WriteLine(string.Create(Inv, $"| {name} | {string.Join(" | ", rmse.Select(r => r.ToString("F4", Inv)))} | {rmse.Average():F4} | {clock.Elapsed.TotalSeconds / splits.Length:F0} |"));
        }
        Console.WriteLine();
    }

    /// <summary>The table of <see cref="Variants"/> on u1.base's split.</summary>
    private static void Single(Ratings u1Base, Func<string, bool> chosen)
    {
        var (train, validation) = Split(u1Base);
        Console.WriteLine($"# recommend --validate: u1.base split by our generator (seed 0) into {train.Count} training and {validation.Count} validation ratings; u1.test is not read");
        Console.WriteLine();
        Console.WriteLine("| variant | validation RMSE | NDCG@10 | NDCG@10 popularity | s |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var (name, options) in Variants())
        {
            if (!chosen(name)) continue;
            var clock = Stopwatch.StartNew();
            RecommenderEvaluationResult result = RecommenderEvaluation.Run(train, validation, options, withCdae: options.Feedback == Feedback.Implicit);
            string ndcg = result.Cdae is { } c ? c.Ndcg.ToString("F4", Inv) : result.AutoRecRanking.Ndcg.ToString("F4", Inv);
            Console.WriteLine(string.Create(Inv, $"| {name} | {result.Rmse:F4} | {ndcg} | {result.Popularity.Ndcg:F4} | {clock.Elapsed.TotalSeconds:F0} |"));
        }
    }
}
