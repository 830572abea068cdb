using System.CommandLine;
using System.CommandLine.Parsing;
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
        var root = new RootCommand("Latent: autoencoders for .NET on a fast CPU engine. LATENT_THREADS sets how many cores it uses.");
        root.HelpName = "latent";
        foreach (Command verb in Verbs()) root.Add(verb);

        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            string verb = FullName(parsed.CommandResult);
            // "Unrecognized ..." names the offending token; prefer it to a generic "command not provided".
            string message = parsed.Errors.Select(e => e.Message).OrderBy(m => m.StartsWith("Unrecognized", StringComparison.Ordinal) ? 0 : 1).First();
            Console.Error.WriteLine($"latent: {message.TrimEnd('.')}. See '{verb} --help'.");
            return 2;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;   // first Ctrl+C: stop cleanly after the current batch
            cancel.Cancel();
        };
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }, cancel.Token);
        }
        catch (Exception e)
        {
            return ErrorReport.Write(e, Console.Error);
        }
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
        NoiseCommand.Create(),
        DetectCommand.Create(),
        GenerateCommand.Create(),
        ReduceCommand.Create(),
        ClusterCommand.Create(),
        FeaturesCommand.Create(),
    ];

}

/// <summary>A mistake on the command line found after parsing (exit code 2).</summary>
internal sealed class UsageException(string message) : Exception(message);
