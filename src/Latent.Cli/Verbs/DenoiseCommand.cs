using System.CommandLine;
using System.Globalization;
using Latent.Applications.Denoising;
using Latent.Cli.Terminal;
using Latent.Data;
using Latent.Imaging;
using Latent.Reporting;

namespace Latent.Cli.Verbs;

/// <summary>`latent denoise`: runs a convolutional model trained with --noise over PNG images and writes the cleaned images.</summary>
internal static class DenoiseCommand
{
    private const int Chunk = 256;   // images read, denoised and written at a time: bounds memory for big folders

    public static Command Create()
    {
        var model = CommonOptions.Model();
        var data = new Option<string>("--data") { Description = "A noisy PNG file, or a folder of them.", Required = true };
        var output = CommonOptions.Out("The denoised PNG file, or a folder (created if missing) for a folder input.");
        var reference = new Option<string?>("--reference") { Description = "Clean versions (same file names, for a folder) to report PSNR and SSIM against." };
        var resize = CommonOptions.Resize(", and write each result back at its image's own size");
        var json = CommonOptions.Json();
        var force = CommonOptions.Force();
        var command = new Command("denoise", "Remove noise from PNG images with a model from 'latent train --kind conv --noise ...'.")
        {
            model, data, output, reference, resize, json, force,
        };
        command.SetAction((parse, cancel) =>
        {
            Denoiser denoiser = Denoiser.Open(parse.GetValue(model)!);
            ImageShape shape = denoiser.Image;
            string inputPath = parse.GetValue(data)!, outPath = parse.GetValue(output)!;
            if (Datasets.IsKnown(inputPath) && !Directory.Exists(inputPath))
                throw new ArgumentException($"denoise reads PNG images; make noisy ones of {inputPath} with 'latent noise --data {inputPath} --out {inputPath}-noise' and give --data {inputPath}-noise/noisy.");
            IReadOnlyList<string> files = ImageFiles.List(inputPath);
            string? referencePath = parse.GetValue(reference);
            IReadOnlyList<string> targets = ImageFiles.Targets(inputPath, files, outPath, output.Name, parse.GetValue(force),
                ("the noisy images", inputPath), (model.Name, parse.GetValue(model)), (reference.Name, referencePath));
            IReadOnlyList<string>? references = referencePath is null ? null
                : Directory.Exists(inputPath) ? [.. files.Select(f => Path.Combine(referencePath, Path.GetFileName(f)))] : [referencePath];
            bool allowResize = parse.GetValue(resize);

            double psnrNoisy = 0, psnrDenoised = 0, ssimNoisy = 0, ssimDenoised = 0;
            int converted = 0;
            WorkProgressView.Run($"Denoising {inputPath}", files.Count, "images", parse.GetValue(json), progress =>
            {
                for (int start = 0; start < files.Count; start += Chunk)
                {
                    int n = Math.Min(Chunk, files.Count - start);
                    var images = new float[n][];
                    var originals = new ImageShape[n];
                    for (int i = 0; i < n; i++)
                    {
                        PngImage png = PngReader.Read(files[start + i]);
                        images[i] = ImageConversion.Fit(png, shape, files[start + i], allowResize, out bool changed);
                        originals[i] = ImageConversion.ShapeOf(png) with { Channels = shape.Channels };   // the result's shape: its own size, the model's colour
                        if (changed) converted++;
                    }
                    float[][] denoised = denoiser.Denoise(images, cancel);
                    for (int i = 0; i < n; i++)
                    {
                        float[] result = originals[i] == shape ? denoised[i] : ImageResize.Resize(denoised[i], shape, originals[i].Height, originals[i].Width);
                        ImageFiles.Write(targets[start + i], result, originals[i]);
                        if (references is null) continue;
                        float[] clean = ImageFiles.Read(references[start + i], shape.Channels, out ImageShape cleanShape);
                        if (cleanShape != originals[i])
                            throw new InvalidDataException($"{references[start + i]} is {cleanShape.Width}×{cleanShape.Height} but {files[start + i]} is {originals[i].Width}×{originals[i].Height}.");
                        float[] noisy = ImageFiles.Read(files[start + i], shape.Channels, out ImageShape _);
                        psnrNoisy += Math.Min(100, ImageMetrics.Psnr(clean, noisy));
                        psnrDenoised += Math.Min(100, ImageMetrics.Psnr(clean, result));
                        ssimNoisy += ImageMetrics.Ssim(clean, noisy, cleanShape);
                        ssimDenoised += ImageMetrics.Ssim(clean, result, cleanShape);
                    }
                    progress.Report(start + n);
                }
            });
            OutputFile.CommitAll(cancel);
            int count = files.Count;
            if (converted > 0 && !parse.GetValue(json))
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Converted {converted:N0} of {Counted.Of(count, "image")} to the model's {ImageConversion.Describe(shape)} (--resize); "
                    + $"the results are {(shape.Channels == 1 ? "gray" : "colour")}, each at its image's own size."));
            if (parse.GetValue(json))
            {
                JsonOutput.Print(new
                {
                    images = count, out_path = outPath,
                    psnr_noisy_db = references is null ? (double?)null : psnrNoisy / count, psnr_denoised_db = references is null ? (double?)null : psnrDenoised / count,
                    ssim_noisy = references is null ? (double?)null : ssimNoisy / count, ssim_denoised = references is null ? (double?)null : ssimDenoised / count,
                });
                return Task.FromResult(0);
            }
            Console.WriteLine($"Denoised {Counted.Of(count, "image")} into {outPath}.");
            if (references is not null)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"Against the references: PSNR {psnrNoisy / count:F2} dB noisy → {psnrDenoised / count:F2} dB denoised; SSIM {ssimNoisy / count:F3} → {ssimDenoised / count:F3}."));
            return Task.FromResult(0);
        });
        return command;
    }
}
