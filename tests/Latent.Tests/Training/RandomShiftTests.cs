using Latent.Engine;
using Latent.Imaging;
using Latent.Training;

namespace Latent.Tests.Training;

public class RandomShiftTests
{
    // A 2-channel 4×5 image with distinct non-zero pixels, followed by one extra (label) column.
    private static readonly ImageShape Shape = new(2, 4, 5);
    private static float Pixel(int c, int y, int x) => 1 + c * 100 + y * 10 + x;

    [Fact]
    public void EveryImageIsATranslatedCopyWithZerosWhereItWasUncovered()
    {
        const int rows = 400;
        int columns = Shape.Size + 1;
        var values = new float[rows * columns];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < 2; c++)
                for (int y = 0; y < 4; y++)
                    for (int x = 0; x < 5; x++) values[r * columns + c * 20 + y * 5 + x] = Pixel(c, y, x);
            values[r * columns + Shape.Size] = -7;
        }
        using var batch = Tensor.FromArray(values, rows, columns);
        new RandomShift(Shape, MaxPixels: 1).Apply(batch, new Rng(3));

        var seen = new HashSet<(int, int)>();
        float[] shifted = batch.ToArray();
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = shifted.AsSpan(r * columns, columns);
            Assert.Equal(-7, row[Shape.Size]);
            // Pixel (0, 1, 1) is interior, so it tells the offset; then every pixel must agree with that offset.
            float probe = row[5 + 1];
            int dy = 1 - ((int)probe - 1) / 10, dx = 1 - ((int)probe - 1) % 10;
            seen.Add((dy, dx));
            for (int c = 0; c < 2; c++)
                for (int y = 0; y < 4; y++)
                    for (int x = 0; x < 5; x++)
                    {
                        int sy = y - dy, sx = x - dx;
                        float expected = sy is >= 0 and < 4 && sx is >= 0 and < 5 ? Pixel(c, sy, sx) : 0;
                        Assert.Equal(expected, row[c * 20 + y * 5 + x]);
                    }
        }
        Assert.Equal(9, seen.Count);   // all offsets in [-1, 1]² occur
    }

    [Fact]
    public void RowsTooShortForTheImageAreRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new RandomShift(ImageShape.Gray(28, 28)).Validate(100));
        Assert.Contains("784", error.Message);
        Assert.Throws<ArgumentException>(() => new RandomShift(ImageShape.Gray(4, 4), MaxPixels: 4).Validate(16));
    }
}
