using System.Globalization;
using Latent.Applications.Imputation;
using Latent.Engine;

namespace Latent.Bench;

/// <summary>
/// `impute --validate`: chooses the imputer's defaults without the scored cells. On every table the cells the benchmark
/// hides and scores for seed 0 (20% MCAR) are removed first (the library hands them over through the evaluation's
/// <c>masked</c> callback, so this cannot drift from the benchmark); the GAIN protocol then runs on what is left, so each
/// candidate is scored on 20% of the remaining known cells, the validation cells. Tables count alike: a candidate's score
/// on a table is its validation RMSE over the column mean's. The choice is leave-one-table-out: for each table, the
/// candidate with the best mean over the other tables (<see cref="LeaveOneTableOut"/>).
/// Options: --epochs=N (the default rule when absent), --seeds=N (validation masks per table, 1).
/// </summary>
internal static class ImputeValidation
{
    private const double MissingRate = 0.2;

    public static int Run(IReadOnlyDictionary<string, Tensor> tables, int? epochs, int seeds)
    {
        var inv = CultureInfo.InvariantCulture;
        var defaults = new ImputerOptions { Epochs = epochs };
        (string Name, ImputerOptions Options)[] candidates =
        [
            ("network alone", defaults with { Neighbours = 0, RegressionRounds = 0 }),
            ("network + 5-NN", defaults with { Neighbours = 5, RegressionRounds = 0 }),
            ("network + regressions", defaults with { Neighbours = 0, RegressionRounds = 10 }),
            ("network + 5-NN + regressions", defaults with { Neighbours = 5, RegressionRounds = 10 }),
            ("network + 10-NN + regressions", defaults with { Neighbours = 10, RegressionRounds = 10 }),
        ];
        int shipped = Array.FindIndex(candidates, c => c.Options == defaults);
        Console.WriteLine($"# impute --validate: {tables.Count} tables, seed 0's scored cells removed; RMSE over a further 20% of the remaining known cells "
            + $"({SeedStatistics.Range(seeds)}), relative to the column mean's; the library ships candidate {shipped + 1}");

        var scores = new double[candidates.Length, tables.Count];
        var relative = new double[candidates.Length, tables.Count];
        int t = 0;
        foreach (var (name, data) in tables)
        {
            Tensor? known = null;
            ImputationEvaluation.Run(data, MissingRate, 1, new ImputerOptions { Epochs = 1, Hidden = [4], Neighbours = 0 }, masked: (_, _, holed) => known = holed.Detach());
            using (known)
            {
                for (int c = 0; c < candidates.Length; c++)
                {
                    ImputationEvaluationResult result = ImputationEvaluation.Run(known!, MissingRate, seeds, candidates[c].Options);
                    scores[c, t] = result.Ours.Rmse;
                    relative[c, t] = -result.Ours.Rmse / result.Mean.Rmse;
                    Console.WriteLine(string.Create(inv, $"{name}: {candidates[c].Name}: {result.Ours.Rmse:F4} (knn {result.Knn.Rmse:F4}, mean {result.Mean.Rmse:F4}; {result.SecondsPerSeed:F0} s)"));
                }
            }
            t++;
        }

        int[] chosen = LeaveOneTableOut.Choose(relative);
        Console.WriteLine();
        Console.WriteLine($"| table | {string.Join(" | ", candidates.Select(c => c.Name))} | chosen without it |");
        Console.WriteLine($"| --- |{string.Concat(Enumerable.Repeat(" ---: |", candidates.Length))} --- |");
        t = 0;
        foreach (string name in tables.Keys)
        {
            Console.WriteLine(string.Create(inv, $"| {name} | {string.Join(" | ", Enumerable.Range(0, candidates.Length).Select(c => scores[c, t].ToString("F4", inv)))} | {candidates[chosen[t]].Name} |"));
            t++;
        }
        Console.WriteLine(string.Create(inv, $"# mean relative RMSE: {string.Join(", ", Enumerable.Range(0, candidates.Length).Select(c => $"{candidates[c].Name} {-Enumerable.Range(0, tables.Count).Average(i => relative[c, i]):F4}"))}"));
        return 0;
    }
}
