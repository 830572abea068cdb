namespace Latent.Data;

/// <summary>
/// Where data sets are looked for, in order: the folder the caller names (the command line's --data-dir), the
/// folder named by the LATENT_DATA environment variable, then the per-user cache (which downloads go to):
/// $XDG_CACHE_HOME/latent/data when XDG_CACHE_HOME is set, otherwise LocalApplicationData/latent/data.
/// Setting LATENT_OFFLINE=1 turns downloading off (tests and air-gapped machines).
/// </summary>
internal sealed record DataFolders(IReadOnlyList<(string Path, string Origin)> Search, string? Cache, bool AllowDownload)
{
    public const string DataVariable = "LATENT_DATA";
    public const string OfflineVariable = "LATENT_OFFLINE";

    public static DataFolders FromEnvironment(string? dataDir)
    {
        var search = new List<(string, string)>();
        if (!string.IsNullOrWhiteSpace(dataDir)) search.Add((Path.GetFullPath(dataDir), "--data-dir"));
        if (Environment.GetEnvironmentVariable(DataVariable) is { Length: > 0 } env) search.Add((Path.GetFullPath(env), DataVariable));
        string? cache = CacheFolder();
        if (cache is not null) search.Add((cache, "user cache"));
        string? offline = Environment.GetEnvironmentVariable(OfflineVariable);
        bool allowDownload = cache is not null && offline is not ("1" or "true" or "TRUE" or "True" or "yes");
        return new DataFolders(search, cache, allowDownload);
    }

    private static string? CacheFolder()
    {
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string root = !string.IsNullOrWhiteSpace(xdg) ? xdg : Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        return string.IsNullOrWhiteSpace(root) ? null : Path.Combine(root, "latent", "data");
    }
}
