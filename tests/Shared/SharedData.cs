namespace Latent.TestData;

/// <summary>
/// The shared public data sets (MNIST, Fashion-MNIST, ...): the folder named by LATENT_DATA, or else the repository's
/// sibling folder shared/data, found by walking up from the test binaries to Latent.slnx. A fresh clone outside the
/// team has no such folder: a test that needs a set then shows as skipped, naming the set and how to get it. Under CI
/// (CI=true, where .ci/run provides the data) a missing set is a failure instead, so nothing is skipped silently there.
/// </summary>
internal static class SharedData
{
    /// <summary>The data folder holding <paramref name="set"/> (a sub-folder name such as "mnist"); skips the test when it is missing.</summary>
    public static string Require(string set) =>
        Locate(set, Environment.GetEnvironmentVariable("LATENT_DATA"), AppContext.BaseDirectory,
            string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase));

    internal static string Locate(string set, string? latentData, string searchFrom, bool underCi)
    {
        foreach (string folder in Candidates(latentData, searchFrom))
            if (Directory.Exists(Path.Combine(folder, set))) return folder;
        string message = $"This test needs the public data set '{set}', which was not found: set LATENT_DATA to a folder " +
            $"holding {set}/ ('latent datasets' says which files go where).";
        if (underCi) throw new InvalidOperationException($"{message} CI must provide it.");
        throw new SkipException(message);
    }

    private static IEnumerable<string> Candidates(string? latentData, string searchFrom)
    {
        if (latentData is { Length: > 0 }) yield return latentData;
        for (var dir = new DirectoryInfo(searchFrom); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Latent.slnx")))
                yield return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data"));
    }
}
