namespace Latent.Cli;

/// <summary>The `latent` command: picks the verb, turns failures into one clear line on stderr and an exit code.</summary>
internal static class CommandLine
{
    private const string Usage = """
        usage: latent <verb> [options]

        verbs:
          demo       train a small autoencoder on the bundled 8x8 digits and show what it learned
                     [--epochs N] [--seed S]

        Environment: LATENT_THREADS sets how many cores the engine uses (default: all).
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        try
        {
            return args[0] switch
            {
                "demo" => await Task.Run(() => DemoCommand.Run(new Options(args[1..], "demo"), cancel.Token)),
                _ => throw new UsageException($"unknown verb '{args[0]}'; run 'latent --help' for the list."),
            };
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"latent: {e.Message}");
            return 2;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("latent: cancelled.");
            return 130;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or InvalidDataException)
        {
            Console.Error.WriteLine($"latent: {e.Message}");
            return 1;
        }
    }
}

/// <summary>Bad command-line input: reported as one line with exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
