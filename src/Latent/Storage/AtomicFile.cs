namespace Latent.Storage;

/// <summary>
/// Writes a file so that readers see either the old file or the complete new one: the content goes to a
/// temporary file in the same folder, which is flushed and then renamed over the target. On any failure
/// the temporary file is removed and the target is left as it was.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> atomically: <paramref name="write"/> fills a temporary file beside it, which then replaces the target.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"The folder '{folder}' does not exist.");
        string temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { /* best effort: the original error matters more */ }
            throw;
        }
    }

    /// <summary>Writes the text (UTF-8) atomically, as <see cref="Write"/>.</summary>
    public static void WriteAllText(string path, string text) =>
        Write(path, s =>
        {
            using var writer = new StreamWriter(s, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true);
            writer.Write(text);
        });
}
