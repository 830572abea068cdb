using System.CommandLine;
using System.Globalization;
using Latent.Applications.Features;
using Latent.Applications.Reduction;
using Latent.Cli.Terminal;
using Latent.Data;
using Latent.Models;
using Latent.Reporting;

namespace Latent.Cli.Verbs;

/// <summary>
/// `latent features`: a trained model's codes as features, and, when the data has labels, how well a softmax
/// classifier learns from them with few labels (also from a neighbour embedding of them, by default), next to PCA
/// features of the same size and the raw values.
/// </summary>
internal static class FeaturesCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var data = CommonOptions.Data();
        var dataDir = CommonOptions.DataDir();
        var labelColumn = CommonOptions.LabelColumn();
        var exclude = CommonOptions.Exclude();
        var labels = new Option<int?>("--labels") { Description = "How many labelled rows the classifier may learn from (default: all); the rest of the rows stay unlabelled." };
        var output = new Option<string?>("--out") { Description = "Also write the features (CSV: feature_1..feature_k, plus the label when known)." };
        var embed = new Option<int>("--embed")
        {
            Description = "Dimensions of a neighbour embedding (UMAP-style) of every row's codes, fitted without labels, that the classifier also learns from; 0 for none.",
            DefaultValueFactory = _ => FewLabelOptions.RecommendedEmbedding.Dimensions,
        };
        var seed = new Option<ulong>("--seed") { Description = "Random seed (which rows are labelled).", DefaultValueFactory = _ => new FewLabelOptions().Seed };
        var json = CommonOptions.Json();
        var force = CommonOptions.Force();
        var command = new Command("features", "Encoder codes as features; with labels, a classifier's test accuracy on them next to PCA and raw values.")
        {
            model, data, dataDir, labelColumn, exclude, labels, embed, output, seed, json, force,
        };
        command.SetAction((parse, cancel) =>
        {
            int? wanted = parse.GetValue(labels);
            if (wanted < 2) throw new UsageException($"--labels must be at least 2, not {wanted}.");
            int dimensions = parse.GetValue(embed);
            if (dimensions < 0) throw new UsageException($"--embed must be 0 (none) or a number of dimensions, not {dimensions}.");
            NeighbourEmbeddingOptions? embedding = dimensions == 0 ? null : FewLabelOptions.RecommendedEmbedding with { Dimensions = dimensions };
            string outPath = parse.GetValue(output) ?? "";
            OutputFile? csv = outPath.Length > 0
                ? OutputFile.File(outPath, output.Name, parse.GetValue(force), (model.Name, parse.GetValue(model)), (data.Name, parse.GetValue(data)))
                : null;
            IAutoencoder encoder = ModelFile.OpenAutoencoder(parse.GetValue(model)!);
            string spec = parse.GetValue(data)!;
            Dataset train = DataSource.Load(spec, Split.Train, parse.GetValue(dataDir), encoder.Data?.Schema, CommonOptions.Columns(parse, labelColumn, exclude));
            train.CheckWidth(encoder.Inputs);
            if (csv is not null)
            {
                var codes = WorkProgressView.Run($"Encoding {train.Name}", train.Rows, "rows", parse.GetValue(json), progress => encoder.Encode(train.Features, progress, cancel));
                CsvOutput.Write(csv.Staging, [.. Enumerable.Range(1, encoder.CodeSize).Select(i => $"feature_{i}")], codes, train.Labels);
            }
            if (train.Labels is null)
            {
                OutputFile.CommitAll(cancel);
                if (parse.GetValue(json)) JsonOutput.Print(new { rows = train.Rows, features = encoder.CodeSize, output = outPath });
                else Console.WriteLine($"Wrote {Counted.Of(encoder.CodeSize, "feature")} for {Counted.Of(train.Rows, "row")} to {outPath}.");
                return Task.FromResult(0);
            }

            // Named data sets have a test split; a CSV is split by the evaluation (every fifth row held out).
            Dataset? test = Datasets.IsKnown(spec) ? DataSource.Load(spec, Split.Test, parse.GetValue(dataDir)) : null;
            FewLabelResult result = FewLabelEvaluation.Run(encoder, train, test, new FewLabelOptions { Labels = wanted, Seed = parse.GetValue(seed), Embedding = embedding }, cancel);
            OutputFile.CommitAll(cancel);
            if (parse.GetValue(json))
                JsonOutput.Print(new
                {
                    labelled_rows = result.Labels, test_rows = result.TestRows, features = result.Features, autoencoder_accuracy = result.AutoencoderAccuracy,
                    embedded_accuracy = result.EmbeddedAccuracy, embed = dimensions, pca_accuracy = result.PcaAccuracy, raw_accuracy = result.RawAccuracy,
                    output = outPath.Length > 0 ? outPath : null,
                });
            else
            {
                string embedded = result.EmbeddedAccuracy is { } e
                    ? string.Create(CultureInfo.InvariantCulture, $" (their {dimensions}-d neighbour embedding {e:F3})")
                    : "";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Softmax test accuracy with {Counted.Of(result.Labels, "labelled row")}: autoencoder codes {result.AutoencoderAccuracy:F3}{embedded}, PCA-{result.PcaComponents} {result.PcaAccuracy:F3}, raw values {result.RawAccuracy:F3}."));
            }
            return Task.FromResult(0);
        });
        return command;
    }
}
