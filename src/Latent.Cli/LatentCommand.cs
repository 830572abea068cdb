using System.CommandLine;
using System.CommandLine.Parsing;
using Latent.Cli.Terminal;
using Latent.Cli.Verbs;
using Spectre.Console;

namespace Latent.Cli;

/// <summary>
/// The `latent` command: one sub-command per verb. Bad input of any kind ends as one sentence on stderr
/// and a non-zero exit code (2 for command-line mistakes, 1 for bad data or files), never a stack trace; a bug says so
/// (see <see cref="ErrorReport"/>).
/// </summary>
internal static class LatentCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        // Redirected output (a file, a pipe, CI logs) gets plain text: no colour codes, no live redraws.
        if (Console.IsOutputRedirected)
            AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No });
        RootCommand root = Root();
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            string verb = FullName(parsed.CommandResult);
            Console.Error.WriteLine($"latent: {ParseErrors.Describe(parsed.Errors)}. See '{verb} --help'.");
            return ErrorReport.Usage;
        }

        using var interruption = new Interruption();
        int exitCode;
        try
        {
            // Ctrl-C is Interruption's alone: System.CommandLine's own handler (ProcessTerminationTimeout) would race it.
            var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null };
            exitCode = await parsed.InvokeAsync(invocation, interruption.Token);
        }
        catch (Exception e)
        {
            exitCode = interruption.Report(e, Console.Error);
        }
        finally
        {
            OutputFile.DiscardAll();   // whatever a failed or interrupted verb had not committed
        }
        return interruption.StoppedWith ?? exitCode;
    }

    /// <summary>The whole command line, every verb with its options (also what the conventions test walks).</summary>
    internal static RootCommand Root()
    {
        var root = new RootCommand("Latent: autoencoders for .NET on a fast CPU engine. LATENT_THREADS sets how many cores it uses.");
        root.HelpName = "latent";
        foreach (Command verb in Verbs()) root.Add(verb);
        return root;
    }

    /// <summary>"latent detect fit" for the fit command under detect: what a user types to reach it.</summary>
    private static string FullName(CommandResult command) =>
        command.Parent is CommandResult parent ? $"{FullName(parent)} {command.Command.Name}" : "latent";

    private static IEnumerable<Command> Verbs() =>
    [
        DemoCommand.Create(),
        TrainCommand.Create(),
        EncodeCommand.CreateEncode(),
        EncodeCommand.CreateReconstruct(),
        DatasetsCommand.Create(),
        ImputeCommand.Create(),
        IndexCommand.Create(),
        SearchCommand.Create(),
        DenoiseCommand.Create(),
        ColorizeCommand.Create(),
        SegmentCommand.Create(),
        NoiseCommand.Create(),
        DetectCommand.Create(),
        GenerateCommand.Create(),
        ReduceCommand.Create(),
        ClusterCommand.Create(),
        FeaturesCommand.Create(),
        ExportCommand.Create(),
        RecommendCommand.Create(),
        Seq2SeqCommand.Create(),
        CompressCommand.Create(),
        DecompressCommand.Create(),
    ];

}

/// <summary>
/// A malformed command line found after parsing (exit code 2): options that conflict or need each other, a value out of
/// its range whatever the data. A value that does not fit the data or a file (k larger than the rows, a label the
/// model does not know) is bad input instead: an <see cref="ArgumentException"/> (exit code 1).
/// </summary>
internal sealed class UsageException(string message) : Exception(message);
