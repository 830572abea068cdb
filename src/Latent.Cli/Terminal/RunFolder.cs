using System.Globalization;

namespace Latent.Cli.Terminal;

/// <summary>Where a run's files go: the folder the user named, or a fresh time-stamped one under ./runs (made if missing).</summary>
internal static class RunFolder
{
    /// <summary>Claims the run folder as an output (<see cref="OutputFile.Folder"/>): its files are written to the staging folder.</summary>
    public static OutputFile Claim(string? requested, string option, string prefix, bool force)
    {
        if (requested is null) Directory.CreateDirectory("runs");
        string folder = requested ?? Path.Combine("runs", $"{prefix}-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");
        return OutputFile.Folder(folder, option, force);
    }
}
