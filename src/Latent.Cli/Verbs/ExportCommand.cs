using System.CommandLine;
using Latent.Cli.Terminal;
using Latent.Models;
using Latent.Reporting;
using Latent.Storage;

namespace Latent.Cli.Verbs;

/// <summary>`latent export`: a saved autoencoder (or its encoder or decoder) as an ONNX file.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var part = new Option<string>("--part")
        {
            Description = "What to export: encoder (rows to codes), decoder (codes to rows) or all (rows to rebuilt rows).",
            DefaultValueFactory = _ => "all",
        }.AcceptOnlyFromAmong("encoder", "decoder", "all");
        var output = CommonOptions.Out("The ONNX file to write (opset 17, dynamic batch axis).");
        var force = CommonOptions.Force();
        var json = CommonOptions.Json();
        var command = new Command("export", "Write a model as ONNX, for serving it elsewhere (onnxruntime and the like).") { model, part, output, force, json };
        command.SetAction((parse, cancel) =>
        {
            string outPath = parse.GetValue(output)!, modelPath = parse.GetValue(model)!;
            OutputFile file = OutputFile.File(outPath, output.Name, parse.GetValue(force), (model.Name, modelPath));
            IAutoencoder autoencoder = ModelFile.OpenAutoencoder(modelPath);
            OnnxPart which = parse.GetValue(part) switch { "encoder" => OnnxPart.Encoder, "decoder" => OnnxPart.Decoder, _ => OnnxPart.All };
            OnnxFileSummary summary = OnnxExport.Save(autoencoder, which, file.Staging);
            OutputFile.CommitAll(cancel);
            if (parse.GetValue(json))
                JsonOutput.Print(new { @out = outPath, part = parse.GetValue(part), bytes = summary.Bytes, inputs = summary.Inputs, outputs = summary.Outputs });
            else
                Console.WriteLine($"Wrote {outPath} ({Counted.Of(summary.Bytes, "byte")}): inputs {string.Join(", ", summary.Inputs)}; outputs {string.Join(", ", summary.Outputs)}.");
            return Task.FromResult(0);
        });
        return command;
    }
}
