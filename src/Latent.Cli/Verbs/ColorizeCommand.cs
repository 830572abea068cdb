using System.CommandLine;
using Latent.Applications.Colorization;
using Latent.Cli.Terminal;
using Latent.Imaging;
using Latent.Reporting;

namespace Latent.Cli.Verbs;

/// <summary>`latent colorize`: colours gray PNG images (or colour ones, from their lightness) with a colorizer from 'latent train --kind unet --task colorize'.</summary>
internal static class ColorizeCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var data = new Option<string>("--data") { Description = "A PNG file, or a folder of them (gray, or colour: only their lightness is used).", Required = true };
        var output = CommonOptions.Out("The colour PNG file, or a folder (created if missing) for a folder input.");
        var tile = new Option<int?>("--tile") { Description = "Side of the tiles large images are colourised in. [default: the model's]" };
        var overlap = new Option<int?>("--overlap") { Description = "Pixels shared by neighbouring tiles, blended so that no seam shows. [default: the model's]" };
        var json = CommonOptions.Json();
        var force = CommonOptions.Force();
        var command = new Command("colorize", "Colour grayscale PNG images with a colorizer from 'latent train --kind unet --task colorize'.")
        {
            model, data, output, tile, overlap, json, force,
        };
        command.SetAction((parse, cancel) =>
        {
            Colorizer colorizer = Colorizer.Open(parse.GetValue(model)!);
            if (parse.GetValue(tile) is not null || parse.GetValue(overlap) is not null)
                colorizer = colorizer.WithTiles(parse.GetValue(tile) ?? colorizer.Tiles.Size, parse.GetValue(overlap) ?? colorizer.Tiles.Overlap);
            string inputPath = parse.GetValue(data)!, outPath = parse.GetValue(output)!;
            IReadOnlyList<string> files = ImageFiles.List(inputPath);
            IReadOnlyList<string> targets = ImageFiles.Targets(inputPath, files, outPath, output.Name, parse.GetValue(force),
                ("the images", inputPath), (model.Name, parse.GetValue(model)));
            WorkProgressView.Run($"Colourising {inputPath}", files.Count, "images", parse.GetValue(json), progress =>
            {
                for (int i = 0; i < files.Count; i++)
                {
                    cancel.ThrowIfCancellationRequested();
                    PngImage png = PngReader.Read(files[i]);
                    int channels = png.Channels >= 3 ? 3 : 1;
                    var shape = new ImageShape(channels, png.Height, png.Width);
                    float[] rgb = colorizer.Colorize(png.ToFloats(channels), shape);
                    ImageFiles.Write(targets[i], rgb, shape with { Channels = 3 });
                    progress.Report(i + 1);
                }
            });
            OutputFile.CommitAll(cancel);
            if (parse.GetValue(json)) JsonOutput.Print(new { images = files.Count, out_path = outPath });
            else Console.WriteLine($"Colourised {Counted.Of(files.Count, "image")} into {outPath}.");
            return Task.FromResult(0);
        });
        return command;
    }
}
