using System.Diagnostics;
using System.Text.Json;

namespace Latent.Bench;

/// <summary>The outcome of one reference script run: its parsed <c>JSON</c> line, or why there is none.</summary>
internal sealed record ReferenceResult(JsonElement? Json, string? Failure)
{
    public bool Succeeded => Json is not null;
}

/// <summary>
/// Runs one of the shared Python reference scripts (shared/reference/*.py, see its README) as a child process
/// and returns the object on its last <c>JSON </c> stdout line. The folder is <c>$LATENT_REFERENCE</c> when set,
/// else <c>../shared/reference</c> relative to the repository root (the folder holding the .slnx).
/// The child's other output is echoed with a prefix, so the run stays readable.
/// </summary>
internal static class ReferenceScript
{
    private const string Python = "/usr/bin/python3";   // a pyenv python earlier on PATH lacks torch

    public static ReferenceResult Run(string script, IEnumerable<string> arguments, string echoPrefix = "  [reference] ")
    {
        string? folder = Folder();
        if (folder is null)
            return new(null, "reference folder not found (set LATENT_REFERENCE or put shared/ next to the repository)");
        string path = Path.Combine(folder, script);
        if (!File.Exists(path)) return new(null, $"{path} does not exist");

        var start = new ProcessStartInfo(File.Exists(Python) ? Python : "python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(path);
        foreach (string argument in arguments) start.ArgumentList.Add(argument);

        string? jsonLine = null;
        var errors = new List<string>();
        using Process process = new() { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            if (e.Data.StartsWith("JSON ", StringComparison.Ordinal)) jsonLine = e.Data[5..];
            else Console.WriteLine(echoPrefix + e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (errors) errors.Add(e.Data);
            Console.Error.WriteLine(echoPrefix + e.Data);
        };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return new(null, $"could not start python: {e.Message}");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.WaitForExit();

        if (process.ExitCode != 0)
        {
            string last = errors.Count > 0 ? errors[^1] : "no message";
            return new(null, $"{script} exited with code {process.ExitCode}: {last}");
        }
        if (jsonLine is null) return new(null, $"{script} printed no JSON line");
        using JsonDocument document = JsonDocument.Parse(jsonLine);
        return new(document.RootElement.Clone(), null);
    }

    /// <summary>The reference scripts' folder, or null when it cannot be found.</summary>
    public static string? Folder()
    {
        string? overridden = Environment.GetEnvironmentVariable("LATENT_REFERENCE");
        if (!string.IsNullOrWhiteSpace(overridden)) return Directory.Exists(overridden) ? overridden : null;
        if (RepositoryRoot.Find() is not { } root) return null;
        string candidate = Path.GetFullPath(Path.Combine(root, "..", "shared", "reference"));
        return Directory.Exists(candidate) ? candidate : null;
    }
}
