using System.Diagnostics;

namespace Latent.TestData;

/// <summary>
/// Programs outside .NET that some tests compare against: onnxruntime-node (under Node.js) and Debian's Python with
/// onnx or torch. Without one, a test is skipped with a reason that says how to install it; under CI (CI=true, where
/// .ci/run installs them all) a missing tool is a failure instead, so nothing is skipped silently there.
/// </summary>
internal static class ExternalTool
{
    /// <summary>Debian's Python, which has the python3-torch and python3-onnx packages (a pyenv python3 on PATH does not).</summary>
    public const string Python = "/usr/bin/python3";

    /// <summary>The repository's root (the folder holding Latent.slnx above the test binaries).</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Latent.slnx"))) return dir.FullName;
        throw new InvalidOperationException("The tests run outside the repository: no Latent.slnx above them.");
    }

    /// <summary>The folder of bench/reference/onnx_run.mjs, once onnxruntime-node is installed beside it; skips the test otherwise.</summary>
    public static string RequireOnnxRuntime()
    {
        string folder = Path.Combine(RepositoryRoot(), "bench", "reference");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "onnxruntime-node")) || !Runs("node", "--version"))
            Missing("onnxruntime-node", "install Node.js and run 'npm ci --prefix bench/reference'");
        return folder;
    }

    /// <summary>Skips the test unless Debian's Python can import <paramref name="module"/> (Debian package <paramref name="package"/>).</summary>
    public static void RequirePythonModule(string module, string package)
    {
        if (!Runs(Python, "-c", $"import {module}")) Missing($"Python's {module}", $"apt-get install {package}");
    }

    /// <summary>Runs a program to its end; throws with its output when it fails.</summary>
    public static string Run(string program, string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(), stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish in 5 minutes.");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({process.ExitCode}):\n{stdout.Result}\n{stderr.Result}");
        return stdout.Result;
    }

    private static bool Runs(string program, params string[] args)
    {
        try
        {
            Run(program, Directory.GetCurrentDirectory(), args);
            return true;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static void Missing(string what, string how)
    {
        string message = $"This test needs {what}, which is not installed here: {how} (.ci/run does).";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"{message} CI must provide it.");
        throw new SkipException(message);
    }
}
