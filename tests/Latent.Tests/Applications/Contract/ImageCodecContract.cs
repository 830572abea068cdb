using Latent.Applications.Compression;
using Latent.Imaging;
using Latent.Tests.Applications.Compression;
using Latent.Training;

namespace Latent.Tests.Applications.Contract;

/// <summary>The image codec on small synthetic images; its files and decoded pixels for fixed images must not change.</summary>
public sealed class ImageCodecContract : ApplicationContract<ImageCodec>
{
    private static readonly Raster[] Test = [CodecTestImages.Image(37, 21, 7), CodecTestImages.Image(16, 16, 8, PngColor.Gray)];

    protected override ImageCodec Fit(ulong seed, IProgress<TrainingProgress>? progress = null) =>
        ImageCodec.Fit(CodecTestImages.Training, CodecTestImages.Small(seed), progress);

    protected override float[] Use(ImageCodec app)
    {
        var values = new List<float>();
        foreach (Raster image in Test)
            for (int q = 1; q <= app.Qualities; q++)
            {
                byte[] file = app.Compress(image, q);
                values.AddRange(file.Select(b => (float)b));
                values.AddRange(app.Decompress(file).Pixels.Select(b => (float)b));
            }
        return [.. values];
    }

    protected override IEnumerable<(Action, string)> BadInputs(ImageCodec app) =>
    [
        (() => app.Compress(Test[0], 0), "between 1 and 2"),
        (() => app.Compress(Test[0], 3), "between 1 and 2"),
        (() => app.Compress(new Raster(new byte[16], 2, 2, PngColor.Rgba), 1), "alpha"),
        (() => ImageCodec.Fit([], CodecTestImages.Small(1)), "at least one image"),
        (() => ImageCodec.Fit(CodecTestImages.Training, CodecTestImages.Small(1) with { Lambdas = [0.1f, 0.01f] }), "must increase"),
        (() => ImageCodec.Fit(CodecTestImages.Training, CodecTestImages.Small(1) with { CropSize = 40 }), "multiple of 64"),
    ];

    protected override IEnumerable<object> CallerData => [.. Test.Select(t => t.Pixels), .. CodecTestImages.Training.Select(t => t.Pixels)];

    protected override ImageCodec Open(string path) => ImageCodec.Open(path);
}
