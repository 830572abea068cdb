using System.CommandLine;
using System.Globalization;
using Latent.Applications.Features;
using Latent.Cli.Terminal;
using Latent.Data;
using Latent.Engine;
using Latent.Models;

namespace Latent.Cli.Verbs;

/// <summary>
/// `latent features`: a trained model's codes as features, and, when the data has labels, how well a softmax
/// classifier learns from them with few labels, next to PCA features of the same size and the raw values.
/// </summary>
internal static class FeaturesCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var data = CommonOptions.Data();
        var dataDir = CommonOptions.DataDir();
        var labelColumn = CommonOptions.LabelColumn();
        var labels = new Option<int?>("--labels") { Description = "How many labelled rows the classifier may learn from (default: all); the rest of the rows stay unlabelled." };
        var output = new Option<string?>("--out") { Description = "Also write the features (CSV: feature_1..feature_k, plus the label when known)." };
        var seed = new Option<ulong>("--seed") { Description = "Random seed (which rows are labelled).", DefaultValueFactory = _ => 0 };
        var json = CommonOptions.Json();
        var command = new Command("features", "Encoder codes as features; with labels, a classifier's test accuracy on them next to PCA and raw values.")
        {
            model, data, dataDir, labelColumn, labels, output, seed, json,
        };
        command.SetAction(parse =>
        {
            string outPath = parse.GetValue(output) ?? "";
            if (outPath.Length > 0) CommonOptions.CheckOutputFolder(outPath);
            IAutoencoder encoder = ModelFile.OpenAutoencoder(parse.GetValue(model)!);
            string spec = parse.GetValue(data)!;
            Dataset train = DataSource.Load(spec, Split.Train, parse.GetValue(dataDir), labelColumn: parse.GetValue(labelColumn));
            if (train.Columns != encoder.Inputs) throw new InvalidDataException($"The model expects rows of {encoder.Inputs} values but {train.Name} has {train.Columns}.");
            using Tensor codes = encoder.Encode(train.Features);
            if (outPath.Length > 0) CsvOutput.Write(outPath, [.. Enumerable.Range(1, encoder.CodeSize).Select(i => $"feature_{i}")], codes, train.Labels);
            if (train.Labels is null)
            {
                if (parse.GetValue(json)) JsonOutput.Print(new { rows = train.Rows, features = encoder.CodeSize, output = outPath });
                else Console.WriteLine($"Wrote {encoder.CodeSize} features for {train.Rows:N0} rows to {outPath}.");
                return 0;
            }

            // Named data sets have a test split; a CSV is split here, every fifth row held out.
            Dataset test = Datasets.IsKnown(spec) ? DataSource.Load(spec, Split.Test, parse.GetValue(dataDir)) : train;
            int[] trainRows = [.. Enumerable.Range(0, train.Rows).Where(r => test != train || r % 5 != 4)];
            int[] testRows = test != train ? [.. Enumerable.Range(0, test.Rows)] : [.. Enumerable.Range(0, train.Rows).Where(r => r % 5 == 4)];
            int wanted = parse.GetValue(labels) ?? trainRows.Length;
            if (wanted < 2 || wanted > trainRows.Length) throw new UsageException($"--labels must be between 2 and {trainRows.Length}.");
            var rng = new Rng(parse.GetValue(seed));
            rng.Shuffle(trainRows);
            int[] labelled = trainRows[..wanted];
            int[] y = [.. labelled.Select(r => train.Labels[r])], testY = [.. testRows.Select(r => test.Labels![r])];

            using Tensor rawTrain = Ops.SelectRows(train.Features, labelled), rawTest = Ops.SelectRows(test.Features, testRows);
            using Tensor codeTrain = encoder.Encode(rawTrain), codeTest = encoder.Encode(rawTest);
            var pca = new Pca(Math.Min(encoder.CodeSize, train.Columns)).Fit(train.Features);   // unlabelled rows are free to use
            using Tensor pcaTrain = pca.Transform(rawTrain), pcaTest = pca.Transform(rawTest);
            double Score(Tensor a, Tensor b) => Classifier.Fit(a, y).Accuracy(b, testY);
            double ae = Score(codeTrain, codeTest), principal = Score(pcaTrain, pcaTest), raw = Score(rawTrain, rawTest);
            if (parse.GetValue(json))
                JsonOutput.Print(new { labelled_rows = wanted, test_rows = testRows.Length, features = encoder.CodeSize, autoencoder_accuracy = ae, pca_accuracy = principal, raw_accuracy = raw, output = outPath.Length > 0 ? outPath : null });
            else
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Softmax test accuracy with {wanted:N0} labelled rows: autoencoder codes {ae:F3}, PCA-{pca.CodeSize} {principal:F3}, raw values {raw:F3}."));
            return 0;
        });
        return command;
    }
}
