using System.CommandLine;
using System.Globalization;
using Latent.Applications.Reduction;
using Latent.Cli.Terminal;
using Latent.Data;

namespace Latent.Cli.Verbs;

/// <summary>`latent reduce`: rows to a few dimensions with an autoencoder or PCA, as CSV, with an optional 2-D map.</summary>
internal static class ReduceCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var dataDir = CommonOptions.DataDir();
        var labelColumn = CommonOptions.LabelColumn();
        var dims = new Option<int>("--dims") { Description = "Dimensions to keep.", DefaultValueFactory = _ => new ReducerOptions().Dimensions };
        var method = new Option<string>("--method") { Description = "ae: an autoencoder's code; pca: the leading principal components.", DefaultValueFactory = _ => new ReducerOptions().Method == ReductionMethod.Pca ? "pca" : "ae" }
            .AcceptOnlyFromAmong("ae", "pca");
        var output = CommonOptions.Out("The CSV file of reduced rows (dim_1..dim_k, plus the label when known).");
        var plot = new Option<string?>("--plot") { Description = "Also draw the first two dimensions as an SVG scatter, coloured by label." };
        var epochs = new Option<int>("--epochs") { Description = "Autoencoder training epochs.", DefaultValueFactory = _ => new ReducerOptions().Epochs };
        var seed = new Option<ulong>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => new ReducerOptions().Seed };
        var json = CommonOptions.Json();
        var force = CommonOptions.Force();
        var command = new Command("reduce", "Reduce rows to a few dimensions with an autoencoder or PCA, and report the reconstruction error of both.")
        {
            data, dataDir, labelColumn, dims, method, output, plot, epochs, seed, json, force,
        };
        command.SetAction((parse, cancel) =>
        {
            string outPath = parse.GetValue(output)!, plotPath = parse.GetValue(plot) ?? "";
            OutputFile csv = OutputFile.File(outPath, output.Name, parse.GetValue(force), (data.Name, parse.GetValue(data)));
            OutputFile? map = plotPath.Length > 0 ? OutputFile.File(plotPath, plot.Name, parse.GetValue(force), (data.Name, parse.GetValue(data))) : null;
            Dataset dataset = DataSource.Load(parse.GetValue(data)!, Split.Train, parse.GetValue(dataDir), labelColumn: parse.GetValue(labelColumn));
            int k = CommonOptions.Positive(parse.GetValue(dims), "--dims");
            if (k > dataset.Columns) throw new UsageException($"--dims must be at most the {dataset.Columns} columns of {dataset.Name}.");
            if (plotPath.Length > 0 && k < 2) throw new UsageException("--plot draws the first two dimensions, so it needs --dims of at least 2.");
            var options = new ReducerOptions
            {
                Dimensions = k, Method = parse.GetValue(method) == "pca" ? ReductionMethod.Pca : ReductionMethod.Autoencoder,
                Epochs = CommonOptions.Positive(parse.GetValue(epochs), "--epochs"), Seed = parse.GetValue(seed),
            };
            bool quiet = parse.GetValue(json);
            Reducer reducer = quiet || options.Method == ReductionMethod.Pca
                ? Reducer.Fit(dataset.Features, options, cancel: cancel)
                : TrainingProgressView.Run($"Training a {k}-D autoencoder on {dataset.Name}", progress => Reducer.Fit(dataset.Features, options, progress, cancel));
            Reducer other = Reducer.Fit(dataset.Features, options with { Method = ReductionMethod.Pca });
            float error = reducer.ReconstructionError(dataset.Features), pcaError = other.ReconstructionError(dataset.Features);
            CsvOutput.Write(csv.Staging, [.. Enumerable.Range(1, k).Select(i => $"dim_{i}")], reducer.Transform(dataset.Features), dataset.Labels);
            if (map is not null) reducer.Map(dataset.Features, dataset.Labels, $"{dataset.Name}: {(options.Method == ReductionMethod.Pca ? "PCA" : "autoencoder")}").Save(map.Staging);
            OutputFile.CommitAll(cancel);
            if (quiet) JsonOutput.Print(new { output = outPath, plot = plotPath.Length > 0 ? plotPath : null, dims = k, method = parse.GetValue(method), reconstruction_mse = error, pca_mse = pcaError });
            else Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Reconstruction MSE at {k} dimensions: {(options.Method == ReductionMethod.Pca ? "PCA" : $"autoencoder {error:G4}, PCA")} {pcaError:G4}. Wrote {dataset.Rows:N0} rows to {outPath}."));
            return Task.FromResult(0);
        });
        return command;
    }
}
