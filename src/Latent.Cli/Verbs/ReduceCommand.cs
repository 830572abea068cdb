using System.CommandLine;
using System.Globalization;
using Latent.Applications.Reduction;
using Latent.Cli.Terminal;
using Latent.Data;
using Latent.Models;
using Latent.Reporting;

namespace Latent.Cli.Verbs;

/// <summary>
/// `latent reduce`: rows to a few dimensions with an autoencoder or PCA fitted here (kept with --save) or saved before
/// (--model), as CSV, with an optional 2-D map.
/// </summary>
internal static class ReduceCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var dataDir = CommonOptions.DataDir();
        var split = CommonOptions.Split();
        var labelColumn = CommonOptions.LabelColumn();
        var exclude = CommonOptions.Exclude();
        var dims = new Option<int>("--dims") { Description = "Dimensions to keep.", DefaultValueFactory = _ => new ReducerOptions().Dimensions };
        var method = new Option<string>("--method") { Description = "ae: an autoencoder's code; pca: the leading principal components.", DefaultValueFactory = _ => new ReducerOptions().Method == ReductionMethod.Pca ? "pca" : "ae" }
            .AcceptOnlyFromAmong("ae", "pca");
        var output = CommonOptions.Out("The CSV file of reduced rows (dim_1..dim_k, plus the label when known).");
        var plot = new Option<string?>("--plot") { Description = "Also draw the first two dimensions as an SVG scatter, coloured by label." };
        var epochs = new Option<int>("--epochs") { Description = "Autoencoder training epochs.", DefaultValueFactory = _ => new ReducerOptions().Epochs };
        var seed = new Option<ulong>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => new ReducerOptions().Seed };
        var save = FitOrApply.Save("reducer", "reduce");
        var model = FitOrApply.Model("reducer", "reduce");
        var json = CommonOptions.Json();
        var force = CommonOptions.Force();
        var command = new Command("reduce", "Reduce rows to a few dimensions with an autoencoder or PCA, and report the reconstruction error of both.")
        {
            data, dataDir, split, labelColumn, exclude, dims, method, output, plot, epochs, seed, save, model, json, force,
        };
        command.SetAction((parse, cancel) =>
        {
            string outPath = parse.GetValue(output)!, plotPath = parse.GetValue(plot) ?? "", savePath = parse.GetValue(save) ?? "";
            string? modelPath = parse.GetValue(model);
            if (modelPath is not null) FitOrApply.RefuseFittingOptions(parse, "reducer", dims, method, epochs, seed, save);
            bool overwrite = parse.GetValue(force);
            (string, string?)[] inputs = [(data.Name, parse.GetValue(data)), (model.Name, modelPath)];
            OutputFile csv = OutputFile.File(outPath, output.Name, overwrite, inputs);
            OutputFile? map = plotPath.Length > 0 ? OutputFile.File(plotPath, plot.Name, overwrite, inputs) : null;
            OutputFile? reducerFile = savePath.Length > 0 ? OutputFile.File(savePath, save.Name, overwrite, inputs) : null;
            Reducer? saved = modelPath is null ? null : Reducer.Open(modelPath);
            Dataset dataset = DataSource.Load(parse.GetValue(data)!, CommonOptions.ParseSplit(parse.GetValue(split)!), parse.GetValue(dataDir),
                saved?.Data?.Schema, CommonOptions.Columns(parse, labelColumn, exclude));
            int k = saved?.Dimensions ?? CommonOptions.Positive(parse.GetValue(dims), "--dims");
            if (saved is not null) dataset.CheckWidth(saved.Inputs);
            if (plotPath.Length > 0 && k < 2) throw new UsageException("--plot draws the first two dimensions, so it needs --dims of at least 2.");
            bool quiet = parse.GetValue(json);

            Reducer reducer;
            float? pcaError = null;
            if (saved is not null) reducer = saved;
            else
            {
                var options = new ReducerOptions
                {
                    Dimensions = k, Method = parse.GetValue(method) == "pca" ? ReductionMethod.Pca : ReductionMethod.Autoencoder,
                    Epochs = CommonOptions.Positive(parse.GetValue(epochs), "--epochs"), Seed = parse.GetValue(seed),
                };
                Reducer.Validate(dataset.Features, options);   // --dims larger than the columns, before the progress starts
                reducer = quiet || options.Method == ReductionMethod.Pca
                    ? Reducer.Fit(dataset.Features, options, cancel: cancel)
                    : TrainingProgressView.Run($"Training an autoencoder with {Counted.Of(k, "dimension")} on {dataset.Name}", progress => Reducer.Fit(dataset.Features, options, progress, cancel));
                reducer.Data = DataDescription.Of(dataset);
                pcaError = (options.Method == ReductionMethod.Pca ? reducer : Reducer.Fit(dataset.Features, options with { Method = ReductionMethod.Pca }))
                    .ReconstructionError(dataset.Features);
            }
            bool pca = reducer.Options.Method == ReductionMethod.Pca;
            float error = reducer.ReconstructionError(dataset.Features);
            CsvOutput.Write(csv.Staging, [.. Enumerable.Range(1, k).Select(i => $"dim_{i}")], reducer.Transform(dataset.Features), dataset.Labels);
            if (map is not null) reducer.Map(dataset.Features, dataset.Labels, $"{dataset.Name}: {(pca ? "PCA" : "autoencoder")}").Save(map.Staging);
            if (reducerFile is not null) reducer.Save(reducerFile.Staging);
            OutputFile.CommitAll(cancel);
            if (quiet)
                JsonOutput.Print(new
                {
                    output = outPath, plot = plotPath.Length > 0 ? plotPath : null, dims = k, method = pca ? "pca" : "ae", reconstruction_mse = error, pca_mse = pcaError,
                    model = modelPath, saved = savePath.Length > 0 ? savePath : null,
                });
            else
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Reconstruction MSE at {k} dimensions: {(pca ? "PCA" : "autoencoder")} {error:G4}{(pca || pcaError is null ? "" : $", PCA {pcaError:G4}")}. Wrote {Counted.Of(dataset.Rows, "row")} to {outPath}."));
            return Task.FromResult(0);
        });
        return command;
    }
}
