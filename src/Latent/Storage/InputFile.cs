namespace Latent.Storage;

/// <summary>The one check before a file is read: it exists, and it is a file (a folder in its place is named as one, not reported missing).</summary>
internal static class InputFile
{
    /// <param name="what">What the file should be, for the message: "file", "model file", "index file"…</param>
    /// <exception cref="FileNotFoundException">Nothing is at <paramref name="path"/>, or a folder is.</exception>
    public static void Check(string path, string what)
    {
        if (File.Exists(path)) return;
        string article = "aeiou".Contains(char.ToLowerInvariant(what[0])) ? "an" : "a";
        throw new FileNotFoundException(Directory.Exists(path)
            ? $"'{path}' is a folder, not {article} {what}."
            : $"The {what} '{path}' does not exist.", path);
    }
}
