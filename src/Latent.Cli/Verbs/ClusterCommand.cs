using System.CommandLine;
using System.Globalization;
using Latent.Applications.Clustering;
using Latent.Cli.Terminal;
using Latent.Data;
using Latent.Engine;
using Latent.Models;
using Latent.Training;

namespace Latent.Cli.Verbs;

/// <summary>`latent cluster`: an autoencoder on the rows, k-means on its codes, optionally DEC; scored against labels when known.</summary>
internal static class ClusterCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var dataDir = CommonOptions.DataDir();
        var labelColumn = CommonOptions.LabelColumn();
        var clusters = new Option<int>("-k", "--clusters") { Description = "Number of clusters.", DefaultValueFactory = _ => 10 };
        var refine = new Option<string>("--refine") { Description = "none, or dec: Deep Embedded Clustering fine-tunes the encoder.", DefaultValueFactory = _ => "none" }
            .AcceptOnlyFromAmong("none", "dec");
        var hidden = new Option<string>("--hidden") { Description = "Encoder widths (DEC's paper: 500,500,2000).", DefaultValueFactory = _ => "500,500,2000" };
        var code = new Option<int>("--code") { Description = "Code size.", DefaultValueFactory = _ => 10 };
        var epochs = new Option<int>("--epochs") { Description = "Autoencoder training epochs.", DefaultValueFactory = _ => 50 };
        var output = new Option<string?>("--out") { Description = "Also write each row's cluster (CSV)." };
        var shift = CommonOptions.Shift();
        var seed = new Option<ulong>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 0 };
        var json = CommonOptions.Json();
        var command = new Command("cluster", "Group rows by their autoencoder codes (k-means, optionally refined by DEC); scored against the labels when the data has them.")
        {
            data, dataDir, labelColumn, clusters, refine, hidden, code, epochs, shift, output, seed, json,
        };
        command.SetAction((parse, cancel) =>
        {
            string outPath = parse.GetValue(output) ?? "";
            if (outPath.Length > 0) CommonOptions.CheckOutputFolder(outPath);
            Dataset dataset = DataSource.Load(parse.GetValue(data)!, Split.Train, parse.GetValue(dataDir), labelColumn: parse.GetValue(labelColumn));
            int k = CommonOptions.Positive(parse.GetValue(clusters), "-k");
            bool unit = ValueRange.InUnitRange(dataset.Features);
            var model = new DenseAutoencoder(new DenseAutoencoderConfig
            {
                Inputs = dataset.Columns, Hidden = CommonOptions.ParseWidths(parse.GetValue(hidden)!), CodeSize = CommonOptions.Positive(parse.GetValue(code), "--code"),
                Output = unit ? Activation.Sigmoid : Activation.Identity, Scaling = unit ? Scaling.None : Scaling.Standard, Seed = parse.GetValue(seed),
            });
            var fit = new FitOptions
            {
                Epochs = CommonOptions.Positive(parse.GetValue(epochs), "--epochs"), ValidationFraction = 0, Seed = parse.GetValue(seed),
                Shift = CommonOptions.ShiftFor(parse.GetValue(shift), dataset),
            };
            bool quiet = parse.GetValue(json);
            if (quiet) model.Fit(dataset.Features, fit, cancel: cancel);
            else TrainingProgressView.Run($"Training the autoencoder on {dataset.Name}", progress => model.Fit(dataset.Features, fit, progress, cancel));
            ClusteringResult result = Clusterer.Fit(model, dataset.Features, new ClusterOptions { Clusters = k, RefineWithDec = parse.GetValue(refine) == "dec", Seed = parse.GetValue(seed) }, cancel);
            if (outPath.Length > 0) CsvOutput.Write(outPath, ["cluster"], Tensor.FromArray([.. result.Assignments.Select(a => (float)a)], result.Assignments.Length, 1), dataset.Labels);

            int[]? labels = dataset.Labels;
            double? accuracy = labels is null ? null : ClusteringMetrics.Accuracy(result.Assignments, labels);
            double? nmi = labels is null ? null : ClusteringMetrics.NormalizedMutualInformation(result.Assignments, labels);
            double? ari = labels is null ? null : ClusteringMetrics.AdjustedRandIndex(result.Assignments, labels);
            double? kmeansAccuracy = labels is null ? null : ClusteringMetrics.Accuracy(result.KMeansAssignments, labels);
            int[] sizes = [.. Enumerable.Range(0, k).Select(c => result.Assignments.Count(a => a == c))];
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
