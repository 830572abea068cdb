using System.Globalization;

namespace Latent.Cli.Terminal;

/// <summary>Where a run's files go: the folder the user named, or a fresh time-stamped one under ./runs.</summary>
internal static class RunFolder
{
    public static string Create(string? requested, string prefix)
    {
        string folder = requested ?? Path.Combine("runs", $"{prefix}-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}");
        Directory.CreateDirectory(folder);
        return folder;
    }
}
