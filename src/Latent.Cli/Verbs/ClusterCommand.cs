using System.CommandLine;
using System.Globalization;
using Latent.Applications.Clustering;
using Latent.Cli.Terminal;
using Latent.Data;
using Latent.Models;
using Latent.Reporting;

namespace Latent.Cli.Verbs;

/// <summary>
/// `latent cluster`: an autoencoder on the rows, then a neighbour embedding of its codes and a Gaussian mixture (N2D), or
/// k-means on the codes, optionally refined by DEC (kept with --save); or a clusterer
/// saved before (--model) assigning new rows; scored against labels when known.
/// </summary>
internal static class ClusterCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var dataDir = CommonOptions.DataDir();
        var split = CommonOptions.Split();
        var labelColumn = CommonOptions.LabelColumn();
        var exclude = CommonOptions.Exclude();
        var defaults = new ClusterOptions();
        var clusters = new Option<int>("-k", "--clusters") { Description = "Number of clusters.", DefaultValueFactory = _ => defaults.Clusters };
        var refine = new Option<string>("--refine") { Description = "none, or dec: Deep Embedded Clustering fine-tunes the encoder (it clusters the codes themselves: no --embed).", DefaultValueFactory = _ => defaults.RefineWithDec ? "dec" : "none" }
            .AcceptOnlyFromAmong("none", "dec");
        var embed = new Option<int>("--embed")
        {
            Description = "Dimensions of the neighbour embedding (UMAP-style) the codes are clustered in by a Gaussian mixture; 0 clusters the codes themselves with k-means.",
            DefaultValueFactory = _ => defaults.Embedding?.Dimensions ?? 0,
        };
        var hidden = new Option<string>("--hidden") { Description = "Encoder widths (DEC's paper: 500,500,2000).", DefaultValueFactory = _ => string.Join(",", defaults.Hidden) };
        var code = new Option<int>("--code") { Description = "Code size.", DefaultValueFactory = _ => defaults.CodeSize };
        var epochs = new Option<int>("--epochs") { Description = "Autoencoder training epochs.", DefaultValueFactory = _ => defaults.Training.Epochs };
        var output = new Option<string?>("--out") { Description = "Also write each row's cluster (CSV)." };
        var shift = CommonOptions.Shift();
        var seed = new Option<ulong>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => defaults.Seed };
        var save = FitOrApply.Save("clusterer", "cluster");
        var model = FitOrApply.Model("clusterer", "cluster");
        var json = CommonOptions.Json();
        var force = CommonOptions.Force();
        var command = new Command("cluster", "Group rows by their autoencoder codes (a neighbour embedding and a Gaussian mixture, or k-means optionally refined by DEC); scored against the labels when the data has them.")
        {
            data, dataDir, split, labelColumn, exclude, clusters, refine, embed, hidden, code, epochs, shift, output, seed, save, model, json, force,
        };
        command.SetAction((parse, cancel) =>
        {
            string outPath = parse.GetValue(output) ?? "", savePath = parse.GetValue(save) ?? "";
            string? modelPath = parse.GetValue(model);
            if (modelPath is not null) FitOrApply.RefuseFittingOptions(parse, "clusterer", clusters, refine, embed, hidden, code, epochs, shift, seed, save);
            bool overwrite = parse.GetValue(force);
            (string, string?)[] inputs = [(data.Name, parse.GetValue(data)), (model.Name, modelPath)];
            OutputFile? csv = outPath.Length > 0 ? OutputFile.File(outPath, output.Name, overwrite, inputs) : null;
            OutputFile? clustererFile = savePath.Length > 0 ? OutputFile.File(savePath, save.Name, overwrite, inputs) : null;
            Clusterer? saved = modelPath is null ? null : Clusterer.Open(modelPath);
            Dataset dataset = DataSource.Load(parse.GetValue(data)!, CommonOptions.ParseSplit(parse.GetValue(split)!), parse.GetValue(dataDir),
                saved?.Data?.Schema, CommonOptions.Columns(parse, labelColumn, exclude));
            bool quiet = parse.GetValue(json);

            Clusterer result;
            int[] assignments;
            if (saved is not null)
            {
                dataset.CheckWidth(saved.Inputs);
                result = saved;
                assignments = saved.Predict(dataset.Features);
            }
            else
            {
                int k = CommonOptions.Positive(parse.GetValue(clusters), "-k");
                bool dec = parse.GetValue(refine) == "dec";
                if (dec && parse.GetResult(embed) is { Implicit: false } && parse.GetValue(embed) != 0)
                    throw new UsageException("--refine dec clusters the codes themselves, so it cannot be combined with --embed.");
                int dimensions = dec ? 0 : parse.GetValue(embed);
                if (dimensions < 0) throw new UsageException($"--embed must be 0 or more, not {dimensions}.");
                var options = defaults with
                {
                    Clusters = k, Hidden = CommonOptions.ParseWidths(parse.GetValue(hidden)!), CodeSize = CommonOptions.Positive(parse.GetValue(code), "--code"),
                    Training = defaults.Training with
                    {
                        Epochs = CommonOptions.Positive(parse.GetValue(epochs), "--epochs"), Shift = CommonOptions.ShiftFor(parse.GetValue(shift), dataset),
                    },
                    Embedding = dimensions == 0 ? null : (defaults.Embedding ?? new()) with { Dimensions = dimensions },
                    Model = dimensions == 0 ? ClusterModel.KMeans : ClusterModel.GaussianMixture,
                    RefineWithDec = dec, Seed = parse.GetValue(seed),
                };
                Clusterer.Validate(dataset.Features, options);   // -k larger than the rows, before the progress starts
                result = quiet
                    ? Clusterer.Fit(dataset.Features, options, cancel: cancel)
                    : TrainingProgressView.Run($"Training the autoencoder on {dataset.Name}", progress => Clusterer.Fit(dataset.Features, options, progress, cancel));
                result.Data = DataDescription.Of(dataset);
                assignments = result.Assignments;
            }
            if (csv is not null) CsvOutput.Write(csv.Staging, "cluster", assignments, dataset.Labels);
            if (clustererFile is not null) result.Save(clustererFile.Staging);
            OutputFile.CommitAll(cancel);   // also when there is no file: a cancelled training ends early, and its clusters are not the result

            int[]? labels = dataset.Labels;
            double? accuracy = labels is null ? null : ClusteringMetrics.Accuracy(assignments, labels);
            double? nmi = labels is null ? null : ClusteringMetrics.NormalizedMutualInformation(assignments, labels);
            double? ari = labels is null ? null : ClusteringMetrics.AdjustedRandIndex(assignments, labels);
            // k-means' own clusters are known for the rows it was fitted on, not for rows a saved clusterer assigns.
            double? kmeansAccuracy = labels is null || saved is not null ? null : ClusteringMetrics.Accuracy(result.KMeansAssignments, labels);
            int[] sizes = [.. Enumerable.Range(0, result.Clusters).Select(c => assignments.Count(a => a == c))];
            if (quiet)
            {
                JsonOutput.Print(new
                {
                    clusters = result.Clusters, sizes, refine = result.Options.RefineWithDec ? "dec" : "none", embed = result.Options.Embedding?.Dimensions ?? 0, accuracy, nmi, ari, kmeans_accuracy = kmeansAccuracy,
                    dec_iterations = result.DecIterations, output = outPath.Length > 0 ? outPath : null, model = modelPath, saved = savePath.Length > 0 ? savePath : null,
                });
            }
            else
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Counted.Of(result.Clusters, "cluster")} of {Counted.Of(dataset.Rows, "row")}; sizes {string.Join(" / ", sizes.Select(s => s.ToString("N0", CultureInfo.InvariantCulture)))}."));
                if (labels is not null)
                {
                    string kmeans = kmeansAccuracy is null ? "" : string.Create(CultureInfo.InvariantCulture, $" (k-means alone {kmeansAccuracy:F3})");
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Against the labels: accuracy {accuracy:F3}{kmeans}, NMI {nmi:F3}, ARI {ari:F3}."));
                }
            }
            return Task.FromResult(0);
        });
        return command;
    }
}
