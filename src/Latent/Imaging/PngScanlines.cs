namespace Latent.Imaging;

/// <summary>
/// Turns decompressed PNG image data into samples: for each pass (one, or seven when interlaced), undoes each row's
/// filter against the row above (PNG specification section 9), then unpacks the row's samples (1, 2 and 4-bit samples
/// most significant bits first, 16-bit big-endian) into their pixels' places.
/// </summary>
internal static class PngScanlines
{
    /// <summary>Bytes of decompressed data the image needs: for every pass, rows × (1 filter byte + row bytes).</summary>
    public static long DataLength(int width, int height, int bitsPerPixel, bool interlaced)
    {
        long total = 0;
        foreach (Adam7Pass pass in interlaced ? Adam7Pass.Interlaced : Adam7Pass.Progressive)
        {
            int rows = pass.Rows(height);
            if (rows > 0 && pass.Columns(width) > 0) total += rows * (1 + pass.RowBytes(width, bitsPerPixel));
        }
        return total;
    }

    /// <summary>Unfilters <paramref name="data"/> in place and writes every sample of every pass into <paramref name="samples"/>.</summary>
    /// <exception cref="InvalidDataException">A row names a filter type other than 0–4.</exception>
    public static void Decode(Span<byte> data, int width, int height, int bitDepth, int channels, bool interlaced, ushort[] samples)
    {
        int bitsPerPixel = bitDepth * channels, bytesPerPixel = Math.Max(1, bitsPerPixel / 8);
        int at = 0, passIndex = 0;
        foreach (Adam7Pass pass in interlaced ? Adam7Pass.Interlaced : Adam7Pass.Progressive)
        {
            passIndex++;
            int rows = pass.Rows(height), columns = pass.Columns(width);
            if (rows == 0 || columns == 0) continue;
            int rowBytes = (int)pass.RowBytes(width, bitsPerPixel);
            Span<byte> prior = default;
            for (int r = 0; r < rows; r++)
            {
                byte filter = data[at];
                Span<byte> row = data.Slice(at + 1, rowBytes);
                if (filter > PngRowFilter.Paeth)
                    throw new InvalidDataException(interlaced
                        ? $"row {r} of interlace pass {passIndex} has filter type {filter}; PNG defines 0 to 4."
                        : $"row {r} has filter type {filter}; PNG defines 0 to 4.");
                Unfilter(filter, row, prior, bytesPerPixel);
                Unpack(row, columns, bitDepth, channels, samples, ((pass.Y0 + r * pass.Dy) * width + pass.X0) * channels, pass.Dx * channels);
                prior = row;
                at += 1 + rowBytes;
            }
        }
    }

    /// <summary>Reconstructs one row in place from its filtered bytes and the reconstructed row above (empty for the first).</summary>
    private static void Unfilter(byte filter, Span<byte> row, ReadOnlySpan<byte> prior, int bpp)
    {
        bool first = prior.IsEmpty;
        switch (filter)
        {
            case PngRowFilter.Sub:
                for (int i = bpp; i < row.Length; i++) row[i] += row[i - bpp];
                break;
            case PngRowFilter.Up:
                if (!first) for (int i = 0; i < row.Length; i++) row[i] += prior[i];
                break;
            case PngRowFilter.Average:
                for (int i = 0; i < row.Length; i++)
                {
                    int left = i >= bpp ? row[i - bpp] : 0, up = first ? 0 : prior[i];
                    row[i] += (byte)((left + up) >> 1);
                }
                break;
            case PngRowFilter.Paeth:
                for (int i = 0; i < row.Length; i++)
                {
                    int left = i >= bpp ? row[i - bpp] : 0, up = first ? 0 : prior[i], upLeft = i >= bpp && !first ? prior[i - bpp] : 0;
                    row[i] += (byte)PngRowFilter.PaethPredictor(left, up, upLeft);
                }
                break;
        }
    }

    /// <summary>Writes the samples of <paramref name="pixels"/> pixels of one row: pixel i to samples[start + i·step ..].</summary>
    private static void Unpack(ReadOnlySpan<byte> row, int pixels, int bitDepth, int channels, ushort[] samples, int start, int step)
    {
        int count = pixels * channels;
        switch (bitDepth)
        {
            case 8:
                for (int p = 0, i = 0; p < pixels; p++, start += step)
                    for (int c = 0; c < channels; c++) samples[start + c] = row[i++];
                break;
            case 16:
                for (int p = 0, i = 0; p < pixels; p++, start += step)
                    for (int c = 0; c < channels; c++, i += 2) samples[start + c] = (ushort)(row[i] << 8 | row[i + 1]);
                break;
            default:   // 1, 2 or 4 bits, one channel
                int perByte = 8 / bitDepth, mask = (1 << bitDepth) - 1;
                for (int p = 0; p < count; p++, start += step)
                {
                    int shift = 8 - bitDepth * (p % perByte + 1);
                    samples[start] = (ushort)(row[p / perByte] >> shift & mask);
                }
                break;
        }
    }
}
