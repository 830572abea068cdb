namespace Latent.Tests.Data;

/// <summary>
/// The shared public data sets (../shared/data next to the repository): the folder named by LATENT_DATA, or else
/// the repository's sibling folder shared/data, found by walking up from the test binaries to Latent.slnx.
/// </summary>
internal static class SharedData
{
    private static readonly Lazy<string> FolderValue = new(Find);

    public static string Folder => FolderValue.Value;

    private static string Find()
    {
        if (Environment.GetEnvironmentVariable("LATENT_DATA") is { Length: > 0 } env && Directory.Exists(env)) return env;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "Latent.slnx"))) continue;
            string shared = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
            if (Directory.Exists(shared)) return shared;
        }
        throw new InvalidOperationException("The shared data folder was not found: set LATENT_DATA or put it at ../shared/data beside the repository.");
    }
}
