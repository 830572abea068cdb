using System.CommandLine;
using System.Globalization;
using Latent.Applications.Compression;
using Latent.Cli.Terminal;
using Latent.Imaging;
using Latent.Reporting;

namespace Latent.Cli.Verbs;

/// <summary>`latent compress`: a PNG image into a .lat file with a learned codec; `compress fit` trains one, `compress evaluate` measures it.</summary>
internal static class CompressCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--data") { Description = "The PNG image to compress (gray or RGB; alpha is dropped).", Required = true };
        var model = Codec();
        var output = CommonOptions.Out("The compressed file (.lat).");
        var quality = new Option<int>("--quality") { Description = "1 (fewest bits) to the codec's number of qualities.", Required = true };
        var json = CommonOptions.Json();
        var force = CommonOptions.Force();
        var command = new Command("compress", "Compress a PNG image into a .lat file with a learned image codec (from 'latent compress fit').")
        {
            input, model, output, quality, json, force, CompressFitCommand.Create(), CompressEvaluateCommand.Create(),
        };
        command.SetAction((parse, cancel) =>
        {
            string inPath = parse.GetValue(input)!, outPath = parse.GetValue(output)!;
            OutputFile file = OutputFile.File(outPath, output.Name, parse.GetValue(force), ("the image", inPath), (model.Name, parse.GetValue(model)));
            ImageCodec codec = ImageCodec.Open(parse.GetValue(model)!);
            Raster image = ImageCodec.ReadPng(inPath);
            int q = parse.GetValue(quality);
            byte[] bytes = codec.Compress(image, q);
            File.WriteAllBytes(file.Staging, bytes);
            OutputFile.CommitAll(cancel);
            double bpp = 8.0 * bytes.Length / ((double)image.Width * image.Height);
            if (parse.GetValue(json)) JsonOutput.Print(new { image = inPath, out_path = outPath, quality = q, width = image.Width, height = image.Height, bytes = bytes.Length, bpp });
            else Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Compressed {inPath} ({image.Width}×{image.Height}) at quality {q} into {outPath}: {bytes.Length} bytes, {bpp:F3} bits per pixel."));
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>--model for a codec file.</summary>
    internal static Option<string> Codec() => new("--model") { Description = "An image codec file written by 'latent compress fit'.", Required = true };
}
