namespace Latent.Imaging;

/// <summary>
/// Lays out many small images (channel-first floats in [0, 1], as models produce them) in one picture, ready for
/// <see cref="PngWriter"/>: cells separated by background padding, each pixel upscaled by an integer factor.
/// </summary>
/// <example>
/// <code>
/// Raster grid = ImageGrid.Compose(digits, ImageShape.Gray(8, 8), new GridLayout { Columns = 10, Scale = 4 });
/// PngWriter.Write("digits.png", grid);
/// </code>
/// </example>
public static class ImageGrid
{
    /// <summary>
    /// Places the images of <paramref name="images"/> (<c>n × channels × height × width</c> floats, one image after
    /// another) row by row, <see cref="GridLayout.Columns"/> per row. Values are clamped to [0, 1]; NaN shows as 0.
    /// </summary>
    /// <returns>A gray image for one channel, RGB for three.</returns>
    /// <exception cref="ArgumentException">
    /// The shape is not 1 or 3 channels with positive sides, the buffer is empty or not a whole number of images, or the layout is invalid.
    /// </exception>
    public static Raster Compose(ReadOnlySpan<float> images, ImageShape shape, GridLayout? layout = null)
    {
        layout ??= new GridLayout();
        layout.Validate();
        int count = CountImages(images.Length, shape, nameof(images));
        int columns = Math.Min(layout.Columns, count);
        var canvas = new Canvas(rows: (count + columns - 1) / columns, columns, shape, layout);
        for (int i = 0; i < count; i++)
            canvas.Paint(images.Slice(i * shape.Size, shape.Size), i / columns, i % columns);
        return canvas.ToRaster();
    }

    /// <summary>
    /// Shows originals with their reconstructions: original <c>i</c> and reconstruction <c>i</c> share a column in
    /// consecutive rows (<see cref="PairArrangement.AlternatingRows"/>) or sit next to each other
    /// (<see cref="PairArrangement.SideBySide"/>, where <see cref="GridLayout.Columns"/> counts pairs).
    /// </summary>
    /// <exception cref="ArgumentException">As for <see cref="Compose"/>, or the two buffers hold different numbers of images.</exception>
    public static Raster ComposePairs(
        ReadOnlySpan<float> originals, ReadOnlySpan<float> reconstructions, ImageShape shape,
        PairArrangement arrangement = PairArrangement.AlternatingRows, GridLayout? layout = null)
    {
        layout ??= new GridLayout();
        layout.Validate();
        int count = CountImages(originals.Length, shape, nameof(originals));
        int rebuilt = CountImages(reconstructions.Length, shape, nameof(reconstructions));
        if (rebuilt != count)
            throw new ArgumentException($"There are {count} originals but {rebuilt} reconstructions; they must pair up.", nameof(reconstructions));

        int perRow = Math.Min(layout.Columns, count), bands = (count + perRow - 1) / perRow;
        bool alternating = arrangement == PairArrangement.AlternatingRows;
        if (!alternating && arrangement != PairArrangement.SideBySide)
            throw new ArgumentOutOfRangeException(nameof(arrangement), arrangement, "Unknown pair arrangement.");
        var canvas = alternating
            ? new Canvas(rows: 2 * bands, columns: perRow, shape, layout)
            : new Canvas(rows: bands, columns: 2 * perRow, shape, layout);
        for (int i = 0; i < count; i++)
        {
            int band = i / perRow, slot = i % perRow;
            var original = originals.Slice(i * shape.Size, shape.Size);
            var reconstruction = reconstructions.Slice(i * shape.Size, shape.Size);
            if (alternating)
            {
                canvas.Paint(original, 2 * band, slot);
                canvas.Paint(reconstruction, 2 * band + 1, slot);
            }
            else
            {
                canvas.Paint(original, band, 2 * slot);
                canvas.Paint(reconstruction, band, 2 * slot + 1);
            }
        }
        return canvas.ToRaster();
    }

    private static int CountImages(int length, ImageShape shape, string parameter)
    {
        if (shape.Channels is not (1 or 3))
            throw new ArgumentException($"Images must have 1 or 3 channels; got {shape.Channels}.", nameof(shape));
        if (shape.Height <= 0 || shape.Width <= 0)
            throw new ArgumentException($"Images need a positive height and width; got {shape.Height}×{shape.Width}.", nameof(shape));
        if (length == 0 || length % shape.Size != 0)
            throw new ArgumentException(
                $"{length} values are not a positive whole number of {shape.Channels}×{shape.Height}×{shape.Width} images ({shape.Size} values each).", parameter);
        return length / shape.Size;
    }

    /// <summary>The output picture: a background-filled grid of cells, painted one image at a time.</summary>
    private sealed class Canvas
    {
        private readonly ImageShape _shape;
        private readonly int _scale, _padding, _width, _height;
        private readonly byte[] _pixels;

        public Canvas(int rows, int columns, ImageShape shape, GridLayout layout)
        {
            _shape = shape;
            _scale = layout.Scale;
            _padding = layout.Padding;
            long width = (long)columns * shape.Width * _scale + (columns + 1L) * _padding;
            long height = (long)rows * shape.Height * _scale + (rows + 1L) * _padding;
            if (width > int.MaxValue || height > int.MaxValue || width * height * shape.Channels > Array.MaxLength)
                throw new ArgumentException($"A {rows}×{columns} grid at scale {_scale} would be {width}×{height} pixels, too large for one image.");
            (_width, _height) = ((int)width, (int)height);
            _pixels = new byte[_width * _height * shape.Channels];
            Array.Fill(_pixels, UnitInterval.ToByte(layout.Background));
        }

        /// <summary>Copies a channel-first image into the interleaved output, each pixel as a scale × scale block.</summary>
        public void Paint(ReadOnlySpan<float> image, int row, int column)
        {
            int channels = _shape.Channels, cellWidth = _shape.Width * _scale, cellHeight = _shape.Height * _scale;
            int left = _padding + column * (cellWidth + _padding), top = _padding + row * (cellHeight + _padding);
            int plane = _shape.Height * _shape.Width, stride = _width * channels;
            for (int y = 0; y < _shape.Height; y++)
            {
                int firstLine = (top + y * _scale) * stride + left * channels;
                Span<byte> line = _pixels.AsSpan(firstLine, cellWidth * channels);
                for (int x = 0; x < _shape.Width; x++)
                    for (int c = 0; c < channels; c++)
                    {
                        byte value = UnitInterval.ToByte(image[c * plane + y * _shape.Width + x]);
                        for (int s = 0; s < _scale; s++) line[(x * _scale + s) * channels + c] = value;
                    }
                for (int s = 1; s < _scale; s++)   // the other lines of this block row are copies
                    line.CopyTo(_pixels.AsSpan(firstLine + s * stride, line.Length));
            }
        }

        public Raster ToRaster() => new(_pixels, _width, _height, _shape.Channels == 1 ? PngColor.Gray : PngColor.Rgb);
    }
}
