using System.CommandLine;
using Latent.Applications.Compression;
using Latent.Cli.Terminal;
using Latent.Imaging;

namespace Latent.Cli.Verbs;

/// <summary>`latent decompress`: a .lat file back into a PNG image, with the codec that made it.</summary>
internal static class DecompressCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--data") { Description = "The compressed file (.lat).", Required = true };
        var model = CompressCommand.Codec();
        var output = CommonOptions.Out("The decompressed PNG image.");
        var json = CommonOptions.Json();
        var force = CommonOptions.Force();
        var command = new Command("decompress", "Decompress a .lat file into a PNG image with the codec that compressed it.") { input, model, output, json, force };
        command.SetAction((parse, cancel) =>
        {
            string inPath = parse.GetValue(input)!, outPath = parse.GetValue(output)!;
            OutputFile file = OutputFile.File(outPath, output.Name, parse.GetValue(force), ("the compressed file", inPath), (model.Name, parse.GetValue(model)));
            ImageCodec codec = ImageCodec.Open(parse.GetValue(model)!);
            if (!File.Exists(inPath)) throw new FileNotFoundException($"There is no file '{inPath}'.");
            Raster image = codec.DecompressFile(inPath);
            PngWriter.Write(file.Staging, image);
            OutputFile.CommitAll(cancel);
            if (parse.GetValue(json)) JsonOutput.Print(new { file = inPath, out_path = outPath, width = image.Width, height = image.Height });
            else Console.WriteLine($"Decompressed {inPath} ({image.Width}×{image.Height}) into {outPath}.");
            return Task.FromResult(0);
        });
        return command;
    }
}
