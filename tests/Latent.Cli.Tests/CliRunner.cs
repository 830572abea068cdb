using System.Diagnostics;

namespace Latent.Cli.Tests;

/// <summary>What one run of the `latent` command printed and returned.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>Runs the built command in a child process, as a user would, with output redirected.</summary>
internal static class CliRunner
{
    private static readonly string Assembly = Path.Combine(AppContext.BaseDirectory, "Latent.Cli.dll");

    public static CliResult Run(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Assembly);
        foreach (string a in args) start.ArgumentList.Add(a);
        start.Environment["LATENT_THREADS"] = "1";   // tests run side by side; keep each child on one core
        using var process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(), stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"latent {string.Join(' ', args)} did not finish in 3 minutes.");
        }
        return new CliResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Asserts the house rule for bad input: non-zero exit, one sentence on stderr, no stack trace.</summary>
    public static void AssertCleanFailure(CliResult result, string expectedFragment)
    {
        Assert.NotEqual(0, result.ExitCode);
        string line = Assert.Single(result.StderrLines);
        Assert.StartsWith("latent: ", line);
        Assert.Contains(expectedFragment, line, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", result.Stderr);
    }
}
