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
        using var process = Process.Start(StartInfo("dotnet", workingDirectory, args))!;
        return Finish(process, Read(process), args);
    }

    /// <summary>
    /// Starts the command, waits until <paramref name="working"/> says it is at work, then presses Ctrl-C
    /// <paramref name="presses"/> times (SIGINT by `kill -INT`, a tenth of a second apart), and returns how it ended.
    /// </summary>
    public static CliResult RunInterrupted(string workingDirectory, int presses, Func<bool> working, params string[] args) =>
        RunSignalled(workingDirectory, working, Enumerable.Repeat("INT", presses).ToArray(), args);

    /// <summary>As <see cref="RunInterrupted"/>, but kills the command outright (SIGKILL: no handler runs, as when a machine loses power).</summary>
    public static CliResult RunKilled(string workingDirectory, Func<bool> working, params string[] args) =>
        RunSignalled(workingDirectory, working, ["KILL"], args);

    private static CliResult RunSignalled(string workingDirectory, Func<bool> working, string[] signals, string[] args)
    {
        // A child inherits an ignored SIGINT (as background jobs of a script have it); env restores the default first.
        using var process = Process.Start(StartInfo("env", workingDirectory, ["--default-signal=INT", "dotnet", Assembly, .. args], addAssembly: false))!;
        var output = Read(process);
        var clock = Stopwatch.StartNew();
        while (!working())
        {
            if (process.HasExited || clock.Elapsed > TimeSpan.FromMinutes(1)) return Finish(process, output, args);
            Thread.Sleep(50);
        }
        Thread.Sleep(500);   // into the work, past the start
        for (int i = 0; i < signals.Length; i++)
        {
            if (i > 0) Thread.Sleep(100);
            using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signals[i], process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            {
                RedirectStandardError = true,   // "no such process" when the first press has already ended it
            })!;
            kill.WaitForExit();
        }
        return Finish(process, output, args);
    }

    private static ProcessStartInfo StartInfo(string program, string workingDirectory, string[] args, bool addAssembly = true)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        if (addAssembly) start.ArgumentList.Add(Assembly);
        foreach (string a in args) start.ArgumentList.Add(a);
        start.Environment["LATENT_THREADS"] = "1";   // tests run side by side; keep each child on one core
        return start;
    }

    private static (Task<string> Stdout, Task<string> Stderr) Read(Process process) =>
        (process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());

    private static CliResult Finish(Process process, (Task<string> Stdout, Task<string> Stderr) output, string[] args)
    {
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"latent {string.Join(' ', args)} did not finish in 3 minutes.");
        }
        return new CliResult(process.ExitCode, output.Stdout.Result, output.Stderr.Result);
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
