using Latent.Engine;
using Latent.Models;
using Latent.Training;

namespace Latent.Tests.Models;

public class StoppableInferenceTests
{
    private static readonly Tensor Rows = Tensor.FromArray([.. Enumerable.Range(0, 5000 * 6).Select(i => MathF.Sin(i * 0.37f))], 5000, 6);

    private static DenseAutoencoder Model() => new(DenseAutoencoderConfig.For(Rows) with { Hidden = [8], CodeSize = 3, Seed = 1 });

    [Fact]
    public void ChunkedEncodingEqualsTheModelsOwnAndReportsEveryChunk()
    {
        DenseAutoencoder model = Model();
        var done = new List<int>();
        using Tensor codes = model.Encode(Rows, new InlineProgress<int>(done.Add), CancellationToken.None);
        using Tensor rebuilt = model.Reconstruct(Rows, null, CancellationToken.None);
        Assert.Equal(model.Encode(Rows).ToArray(), codes.ToArray());
        Assert.Equal(model.Reconstruct(Rows).ToArray(), rebuilt.ToArray());
        Assert.Equal([StoppableInference.ChunkRows, 2 * StoppableInference.ChunkRows, 5000], done);
    }

    [Fact]
    public void ACancellationStopsBetweenChunks()
    {
        DenseAutoencoder model = Model();
        using var cancel = new CancellationTokenSource();
        var done = new List<int>();
        Assert.Throws<OperationCanceledException>(() => model.Encode(Rows, new InlineProgress<int>(n =>
        {
            done.Add(n);
            cancel.Cancel();
        }), cancel.Token));
        Assert.Equal([StoppableInference.ChunkRows], done);
    }
}
