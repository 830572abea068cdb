using System.CommandLine;
using System.Globalization;
using Latent.Applications.Clustering;
using Latent.Cli.Terminal;
using Latent.Data;

namespace Latent.Cli.Verbs;

/// <summary>`latent cluster`: an autoencoder on the rows, k-means on its codes, optionally DEC; scored against labels when known.</summary>
internal static class ClusterCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var dataDir = CommonOptions.DataDir();
        var labelColumn = CommonOptions.LabelColumn();
        var defaults = new ClusterOptions();
        var clusters = new Option<int>("-k", "--clusters") { Description = "Number of clusters.", DefaultValueFactory = _ => defaults.Clusters };
        var refine = new Option<string>("--refine") { Description = "none, or dec: Deep Embedded Clustering fine-tunes the encoder.", DefaultValueFactory = _ => defaults.RefineWithDec ? "dec" : "none" }
            .AcceptOnlyFromAmong("none", "dec");
        var hidden = new Option<string>("--hidden") { Description = "Encoder widths (DEC's paper: 500,500,2000).", DefaultValueFactory = _ => string.Join(",", defaults.Hidden) };
        var code = new Option<int>("--code") { Description = "Code size.", DefaultValueFactory = _ => defaults.CodeSize };
        var epochs = new Option<int>("--epochs") { Description = "Autoencoder training epochs.", DefaultValueFactory = _ => defaults.Training.Epochs };
        var output = new Option<string?>("--out") { Description = "Also write each row's cluster (CSV)." };
        var shift = CommonOptions.Shift();
        var seed = new Option<ulong>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => defaults.Seed };
        var json = CommonOptions.Json();
        var force = CommonOptions.Force();
        var command = new Command("cluster", "Group rows by their autoencoder codes (k-means, optionally refined by DEC); scored against the labels when the data has them.")
        {
            data, dataDir, labelColumn, clusters, refine, hidden, code, epochs, shift, output, seed, json, force,
        };
        command.SetAction((parse, cancel) =>
        {
            string outPath = parse.GetValue(output) ?? "";
            OutputFile? csv = outPath.Length > 0 ? OutputFile.File(outPath, output.Name, parse.GetValue(force), (data.Name, parse.GetValue(data))) : null;
            Dataset dataset = DataSource.Load(parse.GetValue(data)!, Split.Train, parse.GetValue(dataDir), labelColumn: parse.GetValue(labelColumn));
            int k = CommonOptions.Positive(parse.GetValue(clusters), "-k");
            if (k > dataset.Rows) throw new UsageException($"-k must be at most the {dataset.Rows} rows of {dataset.Name}.");
            var options = defaults with
            {
                Clusters = k, Hidden = CommonOptions.ParseWidths(parse.GetValue(hidden)!), CodeSize = CommonOptions.Positive(parse.GetValue(code), "--code"),
                Training = defaults.Training with
                {
                    Epochs = CommonOptions.Positive(parse.GetValue(epochs), "--epochs"), Shift = CommonOptions.ShiftFor(parse.GetValue(shift), dataset),
                },
                RefineWithDec = parse.GetValue(refine) == "dec", Seed = parse.GetValue(seed),
            };
            bool quiet = parse.GetValue(json);
            Clusterer result = quiet
                ? Clusterer.Fit(dataset.Features, options, cancel: cancel)
                : TrainingProgressView.Run($"Training the autoencoder on {dataset.Name}", progress => Clusterer.Fit(dataset.Features, options, progress, cancel));
            if (csv is not null) CsvOutput.Write(csv.Staging, "cluster", result.Assignments, dataset.Labels);
            OutputFile.CommitAll(cancel);   // also when there is no file: a cancelled training ends early, and its clusters are not the result

            int[]? labels = dataset.Labels;
            int[] assignments = result.Assignments;
            double? accuracy = labels is null ? null : ClusteringMetrics.Accuracy(assignments, labels);
            double? nmi = labels is null ? null : ClusteringMetrics.NormalizedMutualInformation(assignments, labels);
            double? ari = labels is null ? null : ClusteringMetrics.AdjustedRandIndex(assignments, labels);
            double? kmeansAccuracy = labels is null ? null : ClusteringMetrics.Accuracy(result.KMeansAssignments, labels);
            int[] sizes = [.. Enumerable.Range(0, k).Select(c => assignments.Count(a => a == c))];
            if (quiet)
            {
                JsonOutput.Print(new { clusters = k, sizes, refine = parse.GetValue(refine), accuracy, nmi, ari, kmeans_accuracy = kmeansAccuracy, dec_iterations = result.DecIterations, output = outPath.Length > 0 ? outPath : null });
            }
            else
            {
                Console.WriteLine($"{k} clusters of {dataset.Rows:N0} rows; sizes {string.Join(", ", sizes)}.");
                if (labels is not null)
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"Against the labels: accuracy {accuracy:F3} (k-means alone {kmeansAccuracy:F3}), NMI {nmi:F3}, ARI {ari:F3}."));
            }
            return Task.FromResult(0);
        });
        return command;
    }
}
