using System.CommandLine;
using System.Globalization;
using Latent.Applications.Denoising;
using Latent.Cli.Terminal;
using Latent.Data;
using Latent.Imaging;
using Latent.Reporting;

namespace Latent.Cli.Verbs;

/// <summary>
/// `latent noise`: noisy copies of PNG images (--data a file or a folder), or clean and noisy PNGs of a data set's first images,
/// to try a denoiser on.
/// </summary>
internal static class NoiseCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data")
        {
            Description = "A PNG file, a folder of PNG files, a named image data set (digits, mnist, fashion-mnist) or an IDX images file.", Required = true,
        };
        var output = CommonOptions.Out("The noisy PNG file, or a folder (for a folder or a data set: clean/ and noisy/ inside for a data set).");
        var noise = new NoiseOptions();
        var dataDir = CommonOptions.DataDir();
        var split = CommonOptions.Split();
        var count = new Option<int>("--count") { Description = "A data set: how many images (the first ones).", DefaultValueFactory = _ => 16 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed of the noise.", DefaultValueFactory = _ => 0 };
        var force = CommonOptions.Force();
        var command = new Command("noise", "Make noisy copies of images (Gaussian, salt-and-pepper or masking noise) to try 'latent denoise' on.")
        {
            data, output, noise.Kind, noise.Level, dataDir, split, count, seed, force,
        };
        command.SetAction((parse, cancel) =>
        {
            ImageNoise imageNoise = noise.Parse(parse);
            ulong noiseSeed = parse.GetValue(seed);
            string outPath = parse.GetValue(output)!;
            string dataSpec = parse.GetValue(data)!;
            if (!ImageFiles.ArePng(dataSpec))
            {
                int wanted = CommonOptions.Positive(parse.GetValue(count), "--count");
                OutputFile folder = OutputFile.Folder(outPath, output.Name, parse.GetValue(force), (data.Name, dataSpec));
                Dataset dataset = DataSource.Load(dataSpec, CommonOptions.ParseSplit(parse.GetValue(split)!), parse.GetValue(dataDir));
                ImageShape shape = dataset.Image ?? throw new ArgumentException($"{dataset.Name} is not an image data set.");
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
                Console.WriteLine($"Wrote {Counted.Of(n, "clean image")} to {Path.Combine(outPath, "clean")} and {(n == 1 ? "its noisy copy" : "their noisy copies")} ({imageNoise}) to {Path.Combine(outPath, "noisy")}.");
                return Task.FromResult(0);
            }
            IReadOnlyList<string> files = ImageFiles.List(dataSpec);
            IReadOnlyList<string> targets = ImageFiles.Targets(dataSpec, files, outPath, output.Name, parse.GetValue(force), (data.Name, dataSpec));
            var shapes = new ImageShape[files.Count];
            IEnumerable<float[]> images = files.Select((file, i) =>
            {
                PngImage png = PngReader.Read(file);
                int channels = png.Channels <= 2 ? 1 : 3;
                shapes[i] = new ImageShape(channels, png.Height, png.Width);
                return png.ToFloats(channels);
            });
            WorkProgressView.Run($"Adding noise to {dataSpec}", files.Count, "images", quiet: false, progress =>
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
            Console.WriteLine($"Wrote {Counted.Of(written, "noisy image")} ({imageNoise}) to {outPath}.");
            return Task.FromResult(0);
        });
        return command;
    }
}

/// <summary>--noise and --noise-level, shared by 'train --kind conv' and 'noise'.</summary>
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
