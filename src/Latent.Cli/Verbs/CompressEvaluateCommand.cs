using System.CommandLine;
using System.Globalization;
using Latent.Applications.Compression;
using Latent.Cli.Terminal;
using Latent.Imaging;
using Latent.Reporting;

namespace Latent.Cli.Verbs;

/// <summary>`latent compress evaluate`: the rate–distortion curve of a codec on PNG images (bits per pixel and PSNR per quality).</summary>
internal static class CompressEvaluateCommand
{
    private static readonly double[] Targets = [30, 32, 35];

    public static Command Create()
    {
        var model = CompressCommand.Codec();
        var data = new Option<string>("--data") { Description = "PNG images to compress (a file or a folder).", Required = true };
        var json = CommonOptions.Json();
        var command = new Command("evaluate", "Compress and decompress PNG images at every quality: bits per pixel, PSNR and time per quality.") { model, data, json };
        command.SetAction((parse, cancel) =>
        {
            ImageCodec codec = ImageCodec.Open(parse.GetValue(model)!);
            string dataPath = parse.GetValue(data)!;
            IReadOnlyList<Raster> images = CompressFitCommand.Load(dataPath);
            bool quiet = parse.GetValue(json);
            CompressionReport report = WorkProgressView.Run($"Compressing {Counted.Of(images.Count, "image")} at {Counted.Of(codec.Qualities, "quality", "qualities")}",
                images.Count * codec.Qualities, "images", quiet, progress => codec.Evaluate(images, progress, cancel));
            if (quiet)
            {
                JsonOutput.Print(new
                {
                    data = dataPath, images = report.Images,
                    qualities = report.Qualities.Select(q => new
                    {
                        quality = q.Quality, lambda = q.Lambda, bpp = q.BitsPerPixel, psnr_db = q.Psnr, encode_ms = q.EncodeMilliseconds, decode_ms = q.DecodeMilliseconds,
                    }),
                    bpp_at_db = Targets.ToDictionary(t => t.ToString(CultureInfo.InvariantCulture), t => report.BitsPerPixelAt(t)),
                });
                return Task.FromResult(0);
            }
            var inv = CultureInfo.InvariantCulture;
            Console.WriteLine($"Rate and distortion on {Counted.Of(report.Images, "image")} ({dataPath}):");
            Console.WriteLine("quality        λ     bpp  PSNR dB  encode ms  decode ms");
            foreach (QualityResult q in report.Qualities)
                Console.WriteLine(string.Create(inv, $"{q.Quality,7} {q.Lambda,8:G4} {q.BitsPerPixel,7:F3} {q.Psnr,8:F2} {q.EncodeMilliseconds,10:F0} {q.DecodeMilliseconds,10:F0}"));
            Console.WriteLine("bpp at " + string.Join(", ", Targets.Select(t =>
                string.Create(inv, $"{t} dB: {(report.BitsPerPixelAt(t) is { } b ? b.ToString("F3", inv) : "not reached")}"))) + ".");
            return Task.FromResult(0);
        });
        return command;
    }
}
