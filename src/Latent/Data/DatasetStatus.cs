namespace Latent.Data;

/// <summary>Whether a known data set is available and where: one line of <c>latent datasets</c>.</summary>
/// <param name="Name">The name to load it by.</param>
/// <param name="Description">What it holds.</param>
/// <param name="Files">The files it needs (any may also be uncompressed, without ".gz"); empty for a bundled set.</param>
/// <param name="SearchedFolders">The folders looked in, in order, with where each comes from (--data-dir, LATENT_DATA, user cache).</param>
/// <param name="Folder">The folder holding all its files, "(bundled)" for the digits, or null when it is not available.</param>
public sealed record DatasetStatus(string Name, string Description, IReadOnlyList<string> Files, IReadOnlyList<string> SearchedFolders, string? Folder)
{
    /// <summary>Whether it loads without a download.</summary>
    public bool Available => Folder is not null;
}
