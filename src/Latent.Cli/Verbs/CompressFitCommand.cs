using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Latent.Applications.Compression;
using Latent.Cli.Terminal;
using Latent.Data;
using Latent.Imaging;
using Latent.Models;
using Latent.Reporting;

namespace Latent.Cli.Verbs;

/// <summary>`latent compress fit`: trains an image codec (one model per quality) on PNG images or CIFAR-10 and saves it.</summary>
internal static class CompressFitCommand
{
    public static Command Create()
    {
        var defaults = new ImageCodecOptions();
        var defaultModel = new ImageCodecConfig();
        var data = new Option<string>("--data") { Description = "PNG images (a file or a folder, any sizes) or a CIFAR-10 .bin file.", Required = true };
        var output = CommonOptions.Out("Where to save the codec (.safetensors).");
        var lambdas = new Option<string>("--lambdas")
        {
            Description = "λ of each quality, lowest first, comma-separated (rate + λ·255²·MSE).",
            DefaultValueFactory = _ => string.Join(",", defaults.Lambdas.Select(l => l.ToString(CultureInfo.InvariantCulture))),
        };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the crops for the first quality.", DefaultValueFactory = _ => defaults.Training.Epochs };
        var fineTune = new Option<int>("--fine-tune-epochs")
        {
            Description = "Passes over the crops for each next quality, which starts from the one before.",
            DefaultValueFactory = _ => defaults.FineTuneEpochs ?? defaults.Training.Epochs,
        };
        var crop = new Option<int>("--crop-size") { Description = "Side of the training crops (a multiple of 64; of 16 with --no-hyperprior).", DefaultValueFactory = _ => defaults.CropSize };
        var noHyperprior = new Option<bool>("--no-hyperprior") { Description = "One learned density per latent channel (Ballé's factorised prior) instead of scales sent by a hyper-latent." };
        var filters = new Option<string>("--filters")
        {
            Description = "Channels of the hidden layers and of the quantised latent, comma-separated.",
            DefaultValueFactory = _ => $"{defaultModel.Filters},{defaultModel.LatentChannels}",
        };
        var seed = new Option<ulong>("--seed") { Description = "Seeds the weights, the crops and the training order." };
        var json = CommonOptions.Json();
        var force = CommonOptions.Force();
        var command = new Command("fit", "Train an image codec, one model per quality, on PNG images or CIFAR-10, and save it.")
        {
            data, output, lambdas, epochs, fineTune, crop, filters, noHyperprior, seed, json, force,
        };
        command.SetAction((parse, cancel) =>
        {
            string dataPath = parse.GetValue(data)!, outPath = parse.GetValue(output)!;
            int[] channels = CommonOptions.ParseWidths(parse.GetValue(filters)!, filters.Name);
            if (channels.Length != 2) throw new UsageException($"--filters takes two numbers, the hidden and the latent channels (e.g. 64,96), not '{parse.GetValue(filters)}'.");
            var options = defaults with
            {
                Lambdas = ParseLambdas(parse.GetValue(lambdas)!),
                CropSize = parse.GetValue(crop),
                FineTuneEpochs = CommonOptions.Positive(parse.GetValue(fineTune), fineTune.Name),
                Model = defaultModel with
                {
                    Filters = channels[0],
                    LatentChannels = channels[1],
                    Hyperprior = !parse.GetValue(noHyperprior),
                    Seed = parse.GetValue(seed),
                },
                Training = defaults.Training with { Epochs = CommonOptions.Positive(parse.GetValue(epochs), epochs.Name), Seed = parse.GetValue(seed) },
            };
            OutputFile file = OutputFile.File(outPath, output.Name, parse.GetValue(force), ("the images", dataPath));
            IReadOnlyList<Raster> images = Load(dataPath);
            var clock = Stopwatch.StartNew();
            ImageCodec codec = parse.GetValue(json)
                ? ImageCodec.Fit(images, options, cancel: cancel)
                : TrainingProgressView.Run($"Training {Counted.Of(options.Lambdas.Length, "quality", "qualities")} on {Counted.Of(images.Count, "image")}",
                    progress => ImageCodec.Fit(images, options, progress, cancel));
            codec.Save(file.Staging);
            OutputFile.CommitAll(cancel);
            double seconds = clock.Elapsed.TotalSeconds;
            if (parse.GetValue(json)) JsonOutput.Print(new { codec = outPath, images = images.Count, qualities = codec.Qualities, lambdas = codec.Lambdas, fit_seconds = seconds });
            else Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Trained {Counted.Of(codec.Qualities, "quality", "qualities")} on {Counted.Of(images.Count, "image")} in {seconds:F1} s; saved {outPath}."));
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>The images of --data: PNG files (a file or a folder) or the images of a CIFAR-10 batch file.</summary>
    internal static IReadOnlyList<Raster> Load(string path)
    {
        if (Cifar10File.IsCifar(path) && File.Exists(path))
        {
            Dataset cifar = Cifar10File.Read(path);
            return ImageCodec.RastersOf(cifar.Features, cifar.Image!.Value);
        }
        return [.. ImageFiles.List(path).Select(ImageCodec.ReadPng)];
    }

    private static float[] ParseLambdas(string text)
    {
        var values = new List<float>();
        foreach (string part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!float.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || !(value > 0) || !float.IsFinite(value))
                throw new UsageException($"--lambdas takes positive numbers separated by commas; '{part}' is not one.");
            values.Add(value);
        }
        return [.. values];
    }
}
