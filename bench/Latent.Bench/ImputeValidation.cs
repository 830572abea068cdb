using System.Globalization;
using Latent.Applications.Imputation;
using Latent.Data;
using Latent.Engine;

namespace Latent.Bench;

/// <summary>
/// `impute --validate`: re-checks the imputer's defaults without the scored cells. The cells the benchmark hides and
/// scores for seed 0 are removed from the table first (ImputationEvaluation hides a cell when seed 0's next draw is
/// below the missing rate; this copy of the rule is checked against the library through the column mean's RMSE);
/// the GAIN protocol then runs on what is left, so every variant is scored on 20% of the remaining known cells, the
/// validation cells. Each variant changes one option from the defaults. Options: --epochs=N (the default rule when absent).
/// </summary>
internal static class ImputeValidation
{
    private const double MissingRate = 0.2;

    // What ImputerOptions' default rule (about 20,000 batches of 128 rows) gives for letter's 20,000 rows.
    private const int DefaultEpochsOnLetter = 128;

    public static int Run(CsvTable table, int? epochs)
    {
        var inv = CultureInfo.InvariantCulture;
        var defaults = new ImputerOptions { Epochs = epochs };
        (string Name, ImputerOptions Options)[] variants =
        [
            ("defaults (3 × 256 units, hide 0.25, 2 passes, ~20,000 batches)", defaults),
            ("half the batches", defaults with { Epochs = (epochs ?? DefaultEpochsOnLetter) / 2 }),
            ("3 × 128 units", defaults with { Hidden = [128, 128, 128] }),
            ("hide 0.4", defaults with { HideFraction = 0.4f }),
            ("1 pass", defaults with { Passes = 1 }),
        ];
        Console.WriteLine("# impute --validate: letter, seed 0's scored cells removed; RMSE over a further 20% of the remaining known cells (the validation cells)");

        using Tensor data = TableSchema.Fit(table).Encode(table);
        using Tensor known = WithoutScoredCells(data, out double meanRmse);
        double libraryMean = ImputationEvaluation.Run(data, MissingRate, 1, new ImputerOptions { Epochs = 1, Hidden = [4] }).Mean.Rmse;
        if (Math.Abs(meanRmse - libraryMean) > 1e-6)
        {
            Console.Error.WriteLine(string.Create(inv,
                $"the scored cells could not be reproduced (column mean RMSE {meanRmse:F6} here, {libraryMean:F6} in the library): ImputationEvaluation's masking changed"));
            return 1;
        }

        Console.WriteLine();
        Console.WriteLine("| variant | validation RMSE | s per fit |");
        Console.WriteLine("| --- | ---: | ---: |");
        foreach (var (name, options) in variants)
        {
            ImputationEvaluationResult result = ImputationEvaluation.Run(known, MissingRate, 1, options);
            Console.WriteLine(string.Create(inv, $"| {name} | {result.Ours.Rmse:F4} | {result.SecondsPerSeed:F0} |"));
        }
        return 0;
    }

    /// <summary>
    /// A copy of the data without the cells the benchmark scores for seed 0, and the column mean's RMSE over those cells
    /// (the library's figure for seed 0 when the copy hides the same cells).
    /// </summary>
    private static Tensor WithoutScoredCells(Tensor data, out double meanRmse)
    {
        int width = data.Dim(1);
        float[] x = data.ToArray();
        var min = new double[width];
        var max = new double[width];
        Array.Fill(min, double.PositiveInfinity);
        Array.Fill(max, double.NegativeInfinity);
        for (int i = 0; i < x.Length; i++)
            if (!float.IsNaN(x[i])) (min[i % width], max[i % width]) = (Math.Min(min[i % width], x[i]), Math.Max(max[i % width], x[i]));
        double Normalized(int i) => (x[i] - min[i % width]) / (max[i % width] - min[i % width] + 1e-6);

        var rng = new Rng(0);
        bool[] scored = [.. x.Select(v => !float.IsNaN(v) && rng.NextFloat() < MissingRate)];
        var sum = new double[width];
        var count = new int[width];
        for (int i = 0; i < x.Length; i++)
            if (!scored[i] && !float.IsNaN(x[i])) (sum[i % width], count[i % width]) = (sum[i % width] + (float)Normalized(i), count[i % width] + 1);
        double squares = 0;
        int hidden = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (!scored[i]) continue;
            double error = sum[i % width] / count[i % width] - (float)Normalized(i);
            (squares, hidden) = (squares + error * error, hidden + 1);
        }
        meanRmse = Math.Sqrt(squares / hidden);
        float[] left = [.. x.Select((v, i) => scored[i] ? float.NaN : v)];
        return Tensor.FromArray(left, data.Dim(0), width);
    }
}
