namespace Latent.Bench;

/// <summary>The repository the benchmarks run from: the folder holding the .slnx.</summary>
internal static class RepositoryRoot
{
    /// <summary>The first folder holding a .slnx above the current directory, else above the program; null when there is none.</summary>
    public static string? Find()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (dir.GetFiles("*.slnx").Length > 0) return dir.FullName;
        return null;
    }
}
