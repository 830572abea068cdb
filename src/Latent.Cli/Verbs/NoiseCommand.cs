using System.CommandLine;
using System.Globalization;
using Latent.Applications.Denoising;
using Latent.Cli.Terminal;
using Latent.Data;
using Latent.Imaging;

namespace Latent.Cli.Verbs;

/// <summary>
/// `latent noise`: noisy copies of PNG images (a file or a folder), or clean and noisy PNGs of a data set's first images,
/// to try a denoiser on.
/// </summary>
internal static class NoiseCommand
{
    public static Command Create()
    {
        var input = new Argument<string?>("input") { Description = "A PNG file or a folder of PNG files (or use --data).", Arity = ArgumentArity.ZeroOrOne };
        var output = CommonOptions.Out("The noisy PNG file, or a folder (for a folder input or --data: clean/ and noisy/ inside).");
        var noise = new NoiseOptions();
        var data = new Option<string?>("--data") { Description = "Instead of files: a named image data set (digits, mnist, fashion-mnist) or an IDX images file." };
        var dataDir = CommonOptions.DataDir();
        var split = CommonOptions.Split();
        var count = new Option<int>("--count") { Description = "With --data: how many images (the first ones).", DefaultValueFactory = _ => 16 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed of the noise.", DefaultValueFactory = _ => 0 };
        var force = CommonOptions.Force();
        var command = new Command("noise", "Make noisy copies of images (Gaussian, salt-and-pepper or masking noise) to try 'latent denoise' on.")
        {
            input, output, noise.Kind, noise.Level, data, dataDir, split, count, seed, force,
        };
        command.SetAction((parse, cancel) =>
        {
            ImageNoise imageNoise = noise.Parse(parse);
            ulong noiseSeed = parse.GetValue(seed);
            string outPath = parse.GetValue(output)!;
            string? inputPath = parse.GetValue(input), dataSpec = parse.GetValue(data);
            if ((inputPath is null) == (dataSpec is null)) throw new UsageException("Give either an input file or folder, or --data, but not both.");
            if (dataSpec is not null)
            {
                int wanted = CommonOptions.Positive(parse.GetValue(count), "--count");
                OutputFile folder = OutputFile.Folder(outPath, output.Name, parse.GetValue(force), (data.Name, dataSpec));
                Dataset dataset = DataSource.Load(dataSpec, CommonOptions.ParseSplit(parse.GetValue(split)!), parse.GetValue(dataDir));
                ImageShape shape = dataset.Image ?? throw new UsageException($"{dataset.Name} is not an image data set.");
                int n = Math.Min(wanted, dataset.Rows);
                string clean = Path.Combine(folder.Staging, "clean"), noisy = Path.Combine(folder.Staging, "noisy");
                Directory.CreateDirectory(clean);
                Directory.CreateDirectory(noisy);
                WorkProgressView.Run($"Adding noise to {dataset.Name}", n, "images", quiet: false, progress =>
                {
                    int i = 0;
                    foreach (float[] noisyImage in imageNoise.ApplyEach(Enumerable.Range(0, n).Select(dataset.Row), noiseSeed, cancel))
                    {
                        string name = i.ToString("D4", CultureInfo.InvariantCulture) + ".png";
                        ImageFiles.Write(Path.Combine(clean, name), dataset.Row(i), shape);
                        ImageFiles.Write(Path.Combine(noisy, name), noisyImage, shape);
                        progress.Report(++i);
                    }
                });
                OutputFile.CommitAll(cancel);
                Console.WriteLine($"Wrote {n} clean images to {Path.Combine(outPath, "clean")} and their noisy copies ({imageNoise}) to {Path.Combine(outPath, "noisy")}.");
                return Task.FromResult(0);
            }
            IReadOnlyList<string> files = ImageFiles.List(inputPath!);
            IReadOnlyList<string> targets = ImageFiles.Targets(inputPath!, files, outPath, output.Name, parse.GetValue(force), ("the images", inputPath));
            var shapes = new ImageShape[files.Count];
            IEnumerable<float[]> images = files.Select((file, i) =>
            {
                PngImage png = PngReader.Read(file);
                int channels = png.Channels <= 2 ? 1 : 3;
                shapes[i] = new ImageShape(channels, png.Height, png.Width);
                return png.ToFloats(channels);
            });
            WorkProgressView.Run($"Adding noise to {inputPath}", files.Count, "images", quiet: false, progress =>
            {
                int index = 0;
                foreach (float[] noisyImage in imageNoise.ApplyEach(images, noiseSeed, cancel))
                {
                    ImageFiles.Write(targets[index], noisyImage, shapes[index]);
                    progress.Report(++index);
                }
            });
            OutputFile.CommitAll(cancel);
            int written = files.Count;
            Console.WriteLine($"Wrote {written} noisy {(written == 1 ? "image" : "images")} ({imageNoise}) to {outPath}.");
            return Task.FromResult(0);
        });
        return command;
    }
}

/// <summary>--noise and --noise-level, shared by 'train --model conv' and 'noise'.</summary>
internal sealed class NoiseOptions
{
    public NoiseOptions(bool allowNone = false)
    {
        Kind = new Option<string>("--noise")
        {
            Description = allowNone
                ? "Noise added to the training images so that the model learns to remove it: none, gaussian, salt-and-pepper or masking."
                : "Kind of noise: gaussian, salt-and-pepper or masking.",
            DefaultValueFactory = _ => allowNone ? "none" : "gaussian",
        }.AcceptOnlyFromAmong(allowNone ? ["none", "gaussian", "salt-and-pepper", "masking"] : ["gaussian", "salt-and-pepper", "masking"]);
    }

    public Option<string> Kind { get; }

    public Option<float?> Level { get; } = new("--noise-level")
    {
        Description = string.Create(CultureInfo.InvariantCulture,
            $"Noise strength: the standard deviation for gaussian (default {ImageNoise.Typical(NoiseKind.Gaussian).Strength}), the share of pixels hit for salt-and-pepper (default {ImageNoise.Typical(NoiseKind.SaltAndPepper).Strength}) and masking (default {ImageNoise.Typical(NoiseKind.Masking).Strength})."),
    };

    /// <summary>The chosen noise, or null for none.</summary>
    public ImageNoise Parse(ParseResult parse) => TryParse(parse) ?? throw new UsageException("Choose a kind of --noise.");

    public ImageNoise? TryParse(ParseResult parse)
    {
        string kind = parse.GetValue(Kind)!;
        float? level = parse.GetValue(Level);
        if (kind == "none")
        {
            if (level is not null) throw new UsageException("--noise-level needs a --noise kind.");
            return null;
        }
        NoiseKind noiseKind = kind switch
        {
            "salt-and-pepper" => NoiseKind.SaltAndPepper,
            "masking" => NoiseKind.Masking,
            _ => NoiseKind.Gaussian,
        };
        try
        {
            return level is { } strength ? new ImageNoise(noiseKind, strength) : ImageNoise.Typical(noiseKind);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--noise-level: {e.Message.Split(" (Parameter")[0]}");
        }
    }
}
