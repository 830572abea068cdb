using System.CommandLine;
using System.Globalization;
using Latent.Cli.Terminal;
using Latent.Data;
using Latent.Demo;
using Spectre.Console;

namespace Latent.Cli.Verbs;

/// <summary>`latent demo`: trains the digits autoencoder next to PCA, prints the comparison and writes a run folder.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var epochs = new Option<int>("--epochs") { Description = "Training epochs.", DefaultValueFactory = _ => DigitsDemo.DefaultEpochs };
        var seed = new Option<ulong>("--seed") { Description = "Random seed (same seed, same result).", DefaultValueFactory = _ => 0 };
        var output = new Option<string?>("--out") { Description = "Run folder for the model and the report (default: runs/demo-<time>)." };
        var json = new Option<bool>("--json") { Description = "Print the results as one JSON object." };
        var force = CommonOptions.Force();
        var command = new Command("demo", "Train a dense autoencoder on the bundled 8x8 digits, compare it with PCA and write a report.")
        {
            epochs, seed, output, json, force,
        };
        command.SetAction((parse, cancel) =>
        {
            if (parse.GetValue(epochs) < 1) throw new UsageException("--epochs must be at least 1.");
            OutputFile folder = RunFolder.Claim(parse.GetValue(output), output.Name, "demo", parse.GetValue(force));
            return Task.FromResult(Run(parse.GetValue(epochs), parse.GetValue(seed), folder, parse.GetValue(json), cancel));
        });
        return command;
    }

    private static int Run(int epochs, ulong seed, OutputFile folder, bool json, CancellationToken cancel)
    {
        const string title = "Training a 64-128-64-8 dense autoencoder on 1,438 of the bundled 8x8 digits (359 held out)";
        DemoResult result = json
            ? DigitsDemo.Run(epochs, seed, cancel: cancel)
            : TrainingProgressView.Run(title, progress => DigitsDemo.Run(epochs, seed, progress, cancel));

        result.Model.Save(Path.Combine(folder.Staging, "model.safetensors"));
        result.Report().Save(Path.Combine(folder.Staging, "report.html"));
        OutputFile.CommitAll(cancel);
        string modelPath = Path.Combine(folder.Path, "model.safetensors"), reportPath = Path.Combine(folder.Path, "report.html");

        if (json)
        {
            JsonOutput.Print(new
            {
                code_size = result.CodeSize, autoencoder_mse = result.AutoencoderMse, pca_mse = result.PcaMse, mean_image_mse = result.MeanImageMse,
                epochs = result.History.Epochs.Count, train_seconds = result.History.TotalSeconds, model = modelPath, report = reportPath,
            });
            return 0;
        }
        var table = new Table().AddColumns("method", "code size", "held-out MSE per pixel", "fit time");
        string F(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
        table.AddRow("dense autoencoder", $"{result.CodeSize}", F(result.AutoencoderMse, "F4"), $"{F(result.History.TotalSeconds, "F1")} s");
        table.AddRow("PCA", $"{result.CodeSize}", F(result.PcaMse, "F4"), $"{F(result.PcaSeconds, "F2")} s");
        table.AddRow("mean image", "0", F(result.MeanImageMse, "F4"), "");
        AnsiConsole.Write(table);

        Console.WriteLine("Held-out digits and their reconstructions:");
        Console.Write(AsciiImages.Render(result.HeldOutPairs(4), Digits.Side));
        Console.WriteLine($"Wrote {modelPath} and {reportPath}.");
        return 0;
    }
}
