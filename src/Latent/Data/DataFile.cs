using System.IO.Compression;
using Latent.Storage;

namespace Latent.Data;

/// <summary>
/// Opens data files for reading whether or not they are gzip-compressed. Compression is recognised by the
/// gzip magic bytes (1f 8b), not by the file name, so a renamed or uncompressed download still reads.
/// </summary>
internal static class DataFile
{
    /// <summary>A readable stream of the file's content (decompressed when it is gzip), plus its size on disk.</summary>
    public static (Stream Content, bool IsGzip, long LengthOnDisk) OpenRead(string path)
    {
        InputFile.Check(path, "file");
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        try
        {
            bool gzip = file.ReadByte() == 0x1f && file.ReadByte() == 0x8b;
            file.Position = 0;
            Stream content = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
            return (content, gzip, file.Length);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }
}
