using System.Net;
using System.Security.Cryptography;

namespace Latent.Data;

/// <summary>
/// Downloads a file whose SHA-256 is known: the bytes go to a temporary file next to the target, which is renamed
/// into place only when the hash matches, so a broken or tampered download never looks like a data file.
/// </summary>
internal static class VerifiedDownload
{
    private static readonly Lazy<HttpClient> Client = new(() => new HttpClient(new SocketsHttpHandler
    {
        ConnectTimeout = TimeSpan.FromSeconds(10),   // fail fast on machines without a network
        AutomaticDecompression = DecompressionMethods.None,   // the files are gzip already; keep their bytes
    })
    { Timeout = TimeSpan.FromMinutes(10) });

    /// <summary>Downloads <paramref name="url"/> to <paramref name="target"/>; throws on any network or hash failure.</summary>
    public static void Fetch(Uri url, string target, string sha256)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        using HttpResponseMessage response = Client.Value.Send(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        using Stream body = response.Content.ReadAsStream();
        Save(body, target, sha256, url.ToString());
    }

    /// <summary>Copies <paramref name="source"/> to <paramref name="target"/> if its SHA-256 is <paramref name="sha256"/>.</summary>
    /// <exception cref="InvalidDataException">The hash differs; nothing is left at <paramref name="target"/> or beside it.</exception>
    public static void Save(Stream source, string target, string sha256, string origin)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(target))!;
        Directory.CreateDirectory(folder);
        string temp = Path.Combine(folder, $".{Path.GetFileName(target)}.{Environment.ProcessId}.{Guid.NewGuid():N}.download");
        try
        {
            string actual;
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                byte[] buffer = new byte[1 << 16];
                int n;
                while ((n = source.Read(buffer)) > 0)
                {
                    hash.AppendData(buffer, 0, n);
                    file.Write(buffer, 0, n);
                }
                file.Flush(flushToDisk: true);
                actual = Convert.ToHexStringLower(hash.GetHashAndReset());
            }
            if (!string.Equals(actual, sha256, StringComparison.OrdinalIgnoreCase))
                throw new InvalidDataException($"The download from {origin} has SHA-256 {actual}, not the expected {sha256}.");
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            try { File.Delete(temp); } catch (IOException) { /* best effort; the outcome is already decided */ }
        }
    }
}
