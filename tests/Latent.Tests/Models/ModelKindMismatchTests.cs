using Latent.Applications.Reduction;
using Latent.Engine;
using Latent.Models;

namespace Latent.Tests.Models;

public sealed class ModelKindMismatchTests
{
    [Fact]
    public void AFileOfAnotherKindSaysWhatItHoldsAndWhatWasAskedFor()
    {
        using var dir = new TempFolder();
        string reducer = dir.File("r.safetensors"), dense = dir.File("d.safetensors");
        Reducer.Fit(Tensor.FromArray([1f, 2f, 3f, 5f, 4f, 1f], 3, 2), new ReducerOptions { Dimensions = 1, Method = ReductionMethod.Pca }).Save(reducer);
        new DenseAutoencoder(new DenseAutoencoderConfig { Inputs = 2, Hidden = [2], CodeSize = 1 }).Save(dense);

        var e = Assert.Throws<InvalidDataException>(() => ModelFile.OpenAutoencoder(reducer));
        Assert.Equal(new ModelKindMismatch(reducer, "reducer", "a reducer", "an autoencoder"), ModelKindMismatch.Of(e));
        Assert.Equal($"'{reducer}' holds a reducer, not an autoencoder.", e.Message);
        e = Assert.Throws<InvalidDataException>(() => Reducer.Open(dense));
        Assert.Equal(new ModelKindMismatch(dense, "dense", "a dense autoencoder", "a reducer"), ModelKindMismatch.Of(e));
        Assert.Null(ModelKindMismatch.Of(new InvalidDataException("Something else is wrong with the file.")));
    }
}
