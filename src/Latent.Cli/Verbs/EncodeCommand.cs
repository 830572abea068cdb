using System.CommandLine;
using Latent.Data;
using Latent.Models;
using Latent.Reporting;

namespace Latent.Cli.Verbs;

/// <summary>`latent encode` and `latent reconstruct`: run a saved model over data and write CSV.</summary>
internal static class EncodeCommand
{
    public static Command CreateEncode() => Create("encode", "Write the codes of every row (CSV: code_1..code_k, plus the label when known).", reconstruct: false);

    public static Command CreateReconstruct() => Create("reconstruct", "Write every row as the model rebuilds it (CSV with the original columns).", reconstruct: true);

    private static Command Create(string name, string description, bool reconstruct)
    {
        var model = CommonOptions.Model();
        var data = CommonOptions.Data();
        var dataDir = CommonOptions.DataDir();
        var split = CommonOptions.Split();
        var labelColumn = CommonOptions.LabelColumn();
        var exclude = CommonOptions.Exclude();
        var output = CommonOptions.Out("The CSV file to write.");
        var command = new Command(name, description) { model, data, dataDir, split, labelColumn, exclude, output };
        command.SetAction(parse =>
        {
            string outPath = parse.GetValue(output)!;
            CommonOptions.CheckOutputFolder(outPath);
            IAutoencoder autoencoder = ModelFile.OpenAutoencoder(parse.GetValue(model)!);
            Dataset dataset = DataSource.Load(parse.GetValue(data)!, CommonOptions.ParseSplit(parse.GetValue(split)!), parse.GetValue(dataDir),
                autoencoder.Data?.Schema, CommonOptions.Columns(parse, labelColumn, exclude));
            dataset.CheckWidth(autoencoder.Inputs);
            if (!reconstruct)
            {
                string[] header = [.. Enumerable.Range(1, autoencoder.CodeSize).Select(i => $"code_{i}")];
                CsvOutput.Write(outPath, header, autoencoder.Encode(dataset.Features), dataset.Labels);
            }
            else if (dataset.Schema is { } schema)
            {
                CsvOutput.Write(outPath, schema.Decode(autoencoder.Reconstruct(dataset.Features)));
            }
            else
            {
                IReadOnlyList<string> header = dataset.ColumnNames ?? [.. Enumerable.Range(1, dataset.Columns).Select(i => $"x_{i}")];
                CsvOutput.Write(outPath, header, autoencoder.Reconstruct(dataset.Features), dataset.Labels);
            }
            Console.WriteLine($"Wrote {Counted.Of(dataset.Rows, "row")} to {outPath}.");
            return 0;
        });
        return command;
    }
}
