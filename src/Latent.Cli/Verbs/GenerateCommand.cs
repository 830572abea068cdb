using System.CommandLine;
using System.Globalization;
using Latent.Applications.Generation;
using Latent.Cli.Terminal;
using Latent.Data;
using Latent.Imaging;
using Latent.Reporting;

namespace Latent.Cli.Verbs;

/// <summary>
/// `latent generate`: new data from a trained VAE — an image grid (.png), one PNG per sample (a folder), or table
/// rows (.csv) — or, with --interpolate, the way from one item to another through latent space.
/// </summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var count = new Option<int>("--count") { Description = "How many new items.", DefaultValueFactory = _ => 64 };
        var output = CommonOptions.Out("grid.png (an image grid), rows.csv (rows with the training columns), or an existing folder (one PNG per sample).");
        var label = new Option<int?>("--label") { Description = "The class to generate (a model trained with --conditional)." };
        var seed = new Option<ulong>("--seed") { Description = "Random seed (same seed, same samples).", DefaultValueFactory = _ => 0 };
        var interpolate = new Option<string[]>("--interpolate")
        {
            Description = "Two items, A and B: row numbers of --data (from 0) or PNG files; writes the steps from A to B.",
            Arity = new ArgumentArity(2, 2),
            AllowMultipleArgumentsPerToken = true,
        };
        var steps = new Option<int>("--steps") { Description = "Items in an interpolation, both ends included.", DefaultValueFactory = _ => 10 };
        var data = new Option<string?>("--data") { Description = "The data that --interpolate's row numbers refer to." };
        var dataDir = CommonOptions.DataDir();
        var force = CommonOptions.Force();
        var command = new Command("generate", "Generate new items with a variational autoencoder (latent train --kind vae), or interpolate between two.")
        {
            model, count, output, label, seed, interpolate, steps, data, dataDir, force,
        };
        command.SetAction((parse, cancel) =>
        {
            string outPath = parse.GetValue(output)!;
            (string, string?)[] inputs = [(model.Name, parse.GetValue(model)), (data.Name, parse.GetValue(data))];
            Generator generator = Generator.Open(parse.GetValue(model)!);
            int? classLabel = parse.GetValue(label);
            if (classLabel is { } l && (!generator.IsConditional || l < 0 || l >= generator.Classes))
                throw new ArgumentException(generator.IsConditional ? $"--label must be from 0 to {generator.Classes - 1}." : "--label needs a model trained with --conditional.");
            if (generator.IsConditional && classLabel is null) throw new ArgumentException($"This model is conditional: give --label (0 to {generator.Classes - 1}).");
            bool csv = outPath.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);

            if (parse.GetValue(interpolate) is { Length: 2 } ends)
            {
                int n = CommonOptions.Positive(parse.GetValue(steps), "--steps");
                if (n < 2) throw new UsageException("--steps must be at least 2.");
                if (!csv) RequireImages(generator);
                OutputFile result = OutputFile.File(outPath, output.Name, parse.GetValue(force), inputs);
                float[] from = Item(ends[0], generator, parse.GetValue(data), parse.GetValue(dataDir)), to = Item(ends[1], generator, parse.GetValue(data), parse.GetValue(dataDir));
                if (csv) generator.WriteInterpolationTable(result.Staging, from, to, n, classLabel);
                else generator.WriteInterpolationStrip(result.Staging, from, to, n, classLabel);
                OutputFile.CommitAll(cancel);
                Console.WriteLine($"Wrote {n} steps from {ends[0]} to {ends[1]} to {outPath}.");
                return Task.FromResult(0);
            }

            int how = CommonOptions.Positive(parse.GetValue(count), "--count");
            ulong s = parse.GetValue(seed);
            if (Directory.Exists(outPath))
            {
                RequireImages(generator);
                generator.WriteImages(OutputFile.Folder(outPath, output.Name, parse.GetValue(force), inputs).Staging, how, s, classLabel, cancel);
            }
            else if (csv)
            {
                generator.WriteTable(OutputFile.File(outPath, output.Name, parse.GetValue(force), inputs).Staging, how, s, classLabel);
            }
            else if (outPath.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            {
                RequireImages(generator);
                generator.WriteImageGrid(OutputFile.File(outPath, output.Name, parse.GetValue(force), inputs).Staging, how, s, classLabel);
            }
            else throw new UsageException($"--out must be a .png file, a .csv file or an existing folder, not '{outPath}'.");
            OutputFile.CommitAll(cancel);
            Console.WriteLine($"Wrote {Counted.Of(how, "generated item")} to {outPath}.");
            return Task.FromResult(0);
        });
        return command;
    }

    private static void RequireImages(Generator generator)
    {
        if (generator.Image is null) throw new ArgumentException("This model was not trained on images; write rows to a .csv file instead.");
    }

    /// <summary>One item for --interpolate: a row number of the data (from 0), or a PNG file of the model's image size.</summary>
    private static float[] Item(string spec, Generator generator, string? data, string? dataDir)
    {
        int inputs = generator.Model.Inputs;
        if (int.TryParse(spec, NumberStyles.Integer, CultureInfo.InvariantCulture, out int row))
        {
            if (data is null) throw new UsageException("--interpolate with row numbers needs --data.");
            Dataset dataset = DataSource.Load(data, Split.Train, dataDir, generator.Schema);
            dataset.CheckWidth(inputs);
            if (row < 0 || row >= dataset.Rows) throw new ArgumentException($"Row {row} is outside 0 to {dataset.Rows - 1} of {dataset.Name}.");
            return dataset.Row(row);
        }
        ImageShape expected = generator.Image ?? throw new ArgumentException($"'{spec}' is not a row number, and this model was not trained on images.");
        float[] pixels = PngReader.Read(spec).ToFloats(out ImageShape shape);
        if (shape != expected)
            throw new InvalidDataException($"'{spec}' is {shape.Width}×{shape.Height} with {shape.Channels} channel(s); the model takes {expected.Width}×{expected.Height} with {expected.Channels}.");
        return pixels;
    }
}
