using System.CommandLine;
using System.Globalization;
using Latent.Applications.Imputation;
using Latent.Cli.Terminal;
using Latent.Data;
using Latent.Reporting;

namespace Latent.Cli.Verbs;

/// <summary>
/// `latent impute`: fill the holes of a CSV table (same columns, order and header; known cells untouched), with an
/// imputer fitted on the table (and kept with --save) or one saved before (--model); and
/// `latent impute evaluate`: the GAIN protocol on a complete table, ours next to the column mean and kNN.
/// </summary>
internal static class ImputeCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "The CSV table with missing cells (empty, NaN, NA, N/A, ?, null).", Required = true };
        var output = CommonOptions.Out("The CSV file to write, with every missing cell filled.");
        var method = new Option<string>("--method") { Description = "ae: the denoising autoencoder; mean: column mean or mode; knn: k nearest rows.", DefaultValueFactory = _ => "ae" }
            .AcceptOnlyFromAmong("ae", "mean", "knn");
        var save = FitOrApply.Save("imputer", "impute");
        var model = FitOrApply.Model("imputer", "impute");
        var options = new ImputerModelOptions();
        var json = CommonOptions.Json();
        var force = CommonOptions.Force();
        var command = new Command("impute", "Fill the missing cells of a CSV table; 'impute evaluate' measures how well on a complete table.")
        {
            data, output, method, save, model, json, force,
        };
        foreach (Option option in options.All.Concat(options.Columns)) command.Add(option);
        command.Add(CreateEvaluate());
        command.SetAction((parse, cancel) => Task.FromResult(Impute(parse, data, output, method, save, model, options, json, force, cancel)));
        return command;
    }

    private static int Impute(ParseResult parse, Option<string> data, Option<string> output, Option<string> method, Option<string?> save,
        Option<string?> model, ImputerModelOptions options, Option<bool> json, Option<bool> force, CancellationToken cancel)
    {
        string outPath = parse.GetValue(output)!, savePath = parse.GetValue(save) ?? "";
        string? modelPath = parse.GetValue(model);
        if (modelPath is not null) FitOrApply.RefuseFittingOptions(parse, "imputer", [method, save, .. options.All]);
        string name = parse.GetValue(method)!;
        if (savePath.Length > 0 && name != "ae") throw new UsageException("--save keeps a trained imputer, so it needs --method ae.");
        (string, string?)[] inputs = [(data.Name, parse.GetValue(data)), (model.Name, modelPath)];
        OutputFile filledFile = OutputFile.File(outPath, output.Name, parse.GetValue(force), inputs);
        OutputFile? imputerFile = savePath.Length > 0 ? OutputFile.File(savePath, save.Name, parse.GetValue(force), inputs) : null;
        Imputer? saved = modelPath is null ? null : Imputer.Open(modelPath);
        string dataPath = parse.GetValue(data)!;
        CsvTable table = CsvTable.Read(dataPath);
        ColumnSelection columns = options.ReadColumns(parse);
        columns.Check(table.ColumnNames, $"the CSV file '{dataPath}'");
        int missing = CountMissing(table);
        bool quiet = parse.GetValue(json);

        CsvTable filled;
        if (saved is not null) filled = saved.Transform(table, columns.LeftOut, cancel);
        else if (name == "mean") filled = ImputationBaselines.ColumnMean(table, exclude: columns.LeftOut);
        else if (name == "knn") filled = ImputationBaselines.NearestNeighbours(table, options.Neighbours(parse), exclude: columns.LeftOut);
        else
        {
            ImputerOptions settings = options.Read(parse) with { ExcludeColumns = columns.LeftOut };
            string title = $"Learning {Counted.Of(table.Rows, "row")} × {Counted.Of(table.Columns.Count, "column")} ({Counted.Of(missing, "missing cell")})";
            Imputer imputer = quiet
                ? Imputer.Fit(table, settings, cancel: cancel)
                : TrainingProgressView.Run(title, progress => Imputer.Fit(table, settings, progress, cancel));
            if (imputer.History?.StopReason == Training.StopReason.Cancelled) throw new OperationCanceledException();
            filled = imputer.Transform(table, cancel: cancel);
            if (imputerFile is not null) imputer.Save(imputerFile.Staging);
        }
        CsvOutput.Write(filledFile.Staging, filled);
        OutputFile.CommitAll(cancel);
        int left = CountMissing(filled), done = missing - left;
        string untouched = left > 0 ? $" ({left:N0} in free-text or excluded columns left as {(left == 1 ? "it was" : "they were")})" : "";
        if (quiet) JsonOutput.Print(new { output = outPath, method = name, model = modelPath, rows = table.Rows, columns = table.Columns.Count, filled_cells = done, left_missing = left });
        else Console.WriteLine($"Filled {Counted.Of(done, "missing cell")}{untouched}; wrote {Counted.Of(table.Rows, "row")} to {outPath}.");
        return 0;
    }

    private static int CountMissing(CsvTable table) => table.Columns.Sum(c => Enumerable.Range(0, table.Rows).Count(c.IsMissing));

    private static Command CreateEvaluate()
    {
        var data = new Option<string>("--data") { Description = "A complete numeric CSV table (cells already missing are left out).", Required = true };
        var rate = new Option<double>("--missing")
        {
            Description = "Fraction of the known cells hidden at random (MCAR).", DefaultValueFactory = _ => ImputationEvaluation.DefaultMissingRate,
        };
        var seeds = new Option<int>("--seeds")
        {
            Description = "Repetitions with different hidden cells; results are mean ± std.", DefaultValueFactory = _ => ImputationEvaluation.DefaultSeeds,
        };
        var options = new ImputerModelOptions();
        var json = CommonOptions.Json();
        var command = new Command("evaluate", "The GAIN protocol: normalise to [0, 1], hide cells at random, impute, report RMSE over the hidden cells for ours, the mean and kNN.")
        {
            data, rate, seeds, json,
        };
        foreach (Option option in options.All.Concat(options.Columns)) command.Add(option);
        command.SetAction((parse, cancel) =>
        {
            string dataPath = parse.GetValue(data)!;
            CsvTable table = CsvTable.Read(dataPath);
            ColumnSelection columns = options.ReadColumns(parse);
            columns.Check(table.ColumnNames, $"the CSV file '{dataPath}'");
            table = table.Without(columns.LeftOut);
            double missing = parse.GetValue(rate);
            int repeats = parse.GetValue(seeds);
            bool quiet = parse.GetValue(json);
            var inv = CultureInfo.InvariantCulture;
            if (!quiet)
                Console.WriteLine(string.Create(inv,
                    $"GAIN protocol on {Counted.Of(table.Rows, "row")} × {Counted.Of(table.Columns.Count, "column")}, {missing:P0} of the known cells hidden, {Counted.Of(repeats, "seed")}."));
            ImputationEvaluationResult result = ImputationEvaluation.Run(table, missing, repeats, options.Read(parse), options.Neighbours(parse),
                quiet ? null : (seed, r) => Console.WriteLine(string.Create(inv,
                    $"seed {seed}: rmse ours {r.Ours.PerSeed[^1]:F4}, mean {r.Mean.PerSeed[^1]:F4}, knn {r.Knn.PerSeed[^1]:F4}")), cancel);
            cancel.ThrowIfCancellationRequested();   // a cancelled fit ends early: its numbers are not the evaluation's
            if (quiet)
            {
                JsonOutput.Print(new
                {
                    rmse = result.Ours.Rmse, rmse_std = result.Ours.RmseStd, mean_rmse = result.Mean.Rmse, mean_rmse_std = result.Mean.RmseStd,
                    knn_rmse = result.Knn.Rmse, knn_rmse_std = result.Knn.RmseStd, missing = missing, seeds = repeats,
                    seconds_per_seed = result.SecondsPerSeed, rmse_per_seed = result.Ours.PerSeed,
                    gain_rounded_rmse = result.OursGainRounded.Rmse, gain_rounded_rmse_std = result.OursGainRounded.RmseStd,
                });
            }
            else
            {
                Console.WriteLine(string.Create(inv, $"RMSE over the hidden cells (mean ± std over {Counted.Of(repeats, "seed")}):"));
                Console.WriteLine(string.Create(inv, $"  autoencoder  {result.Ours.Rmse:F4} ± {result.Ours.RmseStd:F4}  ({result.SecondsPerSeed:F1} s per seed)"));
                Console.WriteLine(string.Create(inv, $"  column mean  {result.Mean.Rmse:F4} ± {result.Mean.RmseStd:F4}"));
                Console.WriteLine(string.Create(inv, $"  kNN (k={options.Neighbours(parse)})    {result.Knn.Rmse:F4} ± {result.Knn.RmseStd:F4}"));
                Console.WriteLine(string.Create(inv,
                    $"  autoencoder, rounded as GAIN's code does  {result.OursGainRounded.Rmse:F4} ± {result.OursGainRounded.RmseStd:F4}  (the figure to set beside the GAIN paper's)"));
            }
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>
    /// The imputer's settings as options, shared by both commands. Defaults come from <see cref="ImputerOptions"/>,
    /// and the library checks the values (its messages name the settings).
    /// </summary>
    private sealed class ImputerModelOptions
    {
        private static readonly ImputerOptions Defaults = new();

        private readonly Option<string> _hidden = new("--hidden")
        {
            Description = "Hidden layer widths, comma-separated.", DefaultValueFactory = _ => string.Join(",", Defaults.Hidden),
        };
        private readonly Option<int?> _epochs = new("--epochs") { Description = "Training epochs (default: chosen from the table size)." };
        private readonly Option<float> _hide = new("--hide") { Description = "Fraction of known cells hidden in each training batch.", DefaultValueFactory = _ => Defaults.HideFraction };
        private readonly Option<int> _passes = new("--passes") { Description = "Refinement passes at inference.", DefaultValueFactory = _ => Defaults.Passes };
        private readonly Option<int> _neighbours = new("--neighbours")
        {
            Description = "k of the imputer's nearest-neighbour member (0: none), and of --method knn.", DefaultValueFactory = _ => Defaults.Neighbours,
        };
        private readonly Option<int> _regressionRounds = new("--regression-rounds")
        {
            Description = "Rounds of the imputer's chained-regression member (0: none).", DefaultValueFactory = _ => Defaults.RegressionRounds,
        };
        private readonly Option<float> _blendFraction = new("--blend-fraction")
        {
            Description = "Share of known cells held out to learn how to weigh the imputer's members.", DefaultValueFactory = _ => Defaults.BlendFraction,
        };
        private readonly Option<int> _maxDonors = new("--max-donors")
        {
            Description = "The most training rows the nearest-neighbour member keeps.", DefaultValueFactory = _ => Defaults.MaxDonors,
        };
        private readonly Option<ulong> _seed = new("--seed") { Description = "Random seed (same seed, same result).", DefaultValueFactory = _ => Defaults.Seed };
        private readonly Option<string?> _label = CommonOptions.LabelColumn("A column of labels, left as it is: neither filled nor used to fill the others.");
        private readonly Option<string?> _exclude = CommonOptions.Exclude("Columns that are not features (ids), comma-separated: neither filled nor used to fill the others.");

        public IEnumerable<Option> All => [_hidden, _epochs, _hide, _passes, _neighbours, _regressionRounds, _blendFraction, _maxDonors, _seed];

        /// <summary>--label-column and --exclude.</summary>
        public IEnumerable<Option> Columns => [_label, _exclude];

        public ColumnSelection ReadColumns(ParseResult parse) => CommonOptions.Columns(parse, _label, _exclude);

        public int Neighbours(ParseResult parse) => parse.GetValue(_neighbours);

        public ImputerOptions Read(ParseResult parse) => Defaults with
        {
            Hidden = CommonOptions.ParseWidths(parse.GetValue(_hidden)!),
            Epochs = parse.GetValue(_epochs),
            HideFraction = parse.GetValue(_hide),
            Passes = parse.GetValue(_passes),
            Neighbours = parse.GetValue(_neighbours),
            RegressionRounds = parse.GetValue(_regressionRounds),
            BlendFraction = parse.GetValue(_blendFraction),
            MaxDonors = parse.GetValue(_maxDonors),
            Seed = parse.GetValue(_seed),
        };
    }
}
