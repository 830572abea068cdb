using Latent.Applications.Features;
using Latent.Applications.Reduction;
using Latent.Data;
using Latent.Engine;
using Latent.Models;
using Latent.Training;
using MathNet.Numerics.LinearAlgebra;

namespace Latent.Tests.Applications;

public class ReductionAndFeaturesTests
{
    /// <summary>Rows in 8-D whose variance lies mostly in a 3-D subspace (plus a little isotropic noise).</summary>
    private static Tensor LowRank(int rows, ulong seed)
    {
        var rng = new Rng(seed);
        var basis = new float[3 * 8];
        rng.FillNormal(basis, 0f, 1f);
        var x = Tensor.Zeros(rows, 8);
        for (int r = 0; r < rows; r++)
        {
            float[] z = [3f * rng.NextNormal(), 2f * rng.NextNormal(), 1.5f * rng.NextNormal()];
            for (int c = 0; c < 8; c++) x.Span[r * 8 + c] = z[0] * basis[c] + z[1] * basis[8 + c] + z[2] * basis[16 + c] + 0.05f * rng.NextNormal() + 1f;
        }
        return x;
    }

    [Fact]
    public void ALinearAutoencoderSpansThePcaSubspace()
    {
        Tensor data = LowRank(2000, 1);
        var linear = new DenseAutoencoder(new DenseAutoencoderConfig
        {
            Inputs = 8, Hidden = [], CodeSize = 3, Activation = Activation.Identity, Output = Activation.Identity, Seed = 2,
        });
        linear.Fit(data, new FitOptions { Epochs = 150, BatchSize = 64, LearningRate = 3e-3f, ValidationFraction = 0 });
        var pca = new Pca(3).Fit(data);

        // The decoder's weight [8, 3] spans the autoencoder's subspace; PCA's components [3, 8] span PCA's.
        float[] decoderWeight = DecoderWeight(linear);
        Matrix<double> a = Matrix<double>.Build.Dense(8, 3, (i, j) => decoderWeight[i * 3 + j]);
        Matrix<double> b = Matrix<double>.Build.Dense(8, 3, (i, j) => pca.Components.Span[j * 8 + i]);
        var cosines = a.QR().Q.SubMatrix(0, 8, 0, 3).TransposeThisAndMultiply(b.QR().Q.SubMatrix(0, 8, 0, 3)).Svd().S;
        foreach (double cosine in cosines) Assert.True(cosine > 0.999, $"principal angle cosines {string.Join(", ", cosines.Select(c => c.ToString("F5")))}");
    }

    /// <summary>The decoder's only weight, [inputs, code], read back from the model file.</summary>
    private static float[] DecoderWeight(DenseAutoencoder model)
    {
        using var folder = new TempFolder();
        model.Save(folder.File("m.safetensors"));
        var content = Latent.Storage.SafeTensorsFile.Load(folder.File("m.safetensors"));
        return content.Tensors.Single(t => t.Key.StartsWith("decoder", StringComparison.Ordinal) && t.Key.EndsWith("weight", StringComparison.Ordinal)).Value.ToArray();
    }

    [Fact]
    public void ReducerGivesAutoencoderAndPcaTheSameApi()
    {
        Dataset train = Datasets.Load("digits", Split.Train), test = Datasets.Load("digits", Split.Test);
        var options = new ReducerOptions { Dimensions = 2, Hidden = [64], Epochs = 40, BatchSize = 64 };
        Reducer ae = Reducer.Fit(train.Features, options), pca = Reducer.Fit(train.Features, options with { Method = ReductionMethod.Pca });
        foreach (Reducer reducer in new[] { ae, pca })
        {
            using Tensor codes = reducer.Transform(test.Features);
            Assert.Equal([test.Rows, 2], codes.Shape);
            using Tensor rows = reducer.InverseTransform(codes);
            Assert.Equal([test.Rows, 64], rows.Shape);
            Assert.StartsWith("<svg", reducer.Map(test.Features, test.Labels).Markup);
        }
        Assert.True(ae.ReconstructionError(test.Features) < pca.ReconstructionError(test.Features),
            $"autoencoder {ae.ReconstructionError(test.Features):F5} vs PCA {pca.ReconstructionError(test.Features):F5} at 2 dimensions");
        Assert.Throws<ArgumentException>(() => Reducer.Fit(train.Features, options with { Dimensions = 65 }));
        Reducer line = Reducer.Fit(train.Features, options with { Dimensions = 1, Method = ReductionMethod.Pca });
        Assert.Contains("at least 2", Assert.Throws<ArgumentException>(() => line.Map(test.Features)).Message);
    }

    [Fact]
    public void AReducerKeepsTheSchemaOfItsTableSoThatNewRowsAreEncodedAlike()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("t.csv"), "x,kind\n1,a\n2,b\n3,c\n4,a\n");
        Dataset table = DataSource.Load(folder.File("t.csv"), Split.Train);
        Reducer reducer = Reducer.Fit(table.Features, new ReducerOptions { Dimensions = 2, Method = ReductionMethod.Pca });
        reducer.Data = DataDescription.Of(table);
        reducer.Save(folder.File("r.safetensors"));
        Reducer opened = Reducer.Open(folder.File("r.safetensors"));
        Assert.Equal(4, opened.Inputs);
        Assert.Equal(table.Schema!.ToJson(), opened.Data?.Schema?.ToJson());

        File.WriteAllText(folder.File("new.csv"), "x,kind\n5,b\n");   // one category only: still four encoded columns
        Dataset fresh = DataSource.Load(folder.File("new.csv"), Split.Train, schema: opened.Data!.Schema);
        Assert.Equal(reducer.Transform(fresh.Features).ToArray(), opened.Transform(fresh.Features).ToArray());
    }

    [Fact]
    public void TheClassifiersLearnASeparableProblem()
    {
        var rng = new Rng(4);
        int rows = 300;
        var x = Tensor.Zeros(rows, 2);
        var labels = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            labels[r] = r % 3;
            x.Span[2 * r] = 4 * MathF.Cos(labels[r] * 2.1f) + 0.4f * rng.NextNormal();
            x.Span[2 * r + 1] = 4 * MathF.Sin(labels[r] * 2.1f) + 0.4f * rng.NextNormal();
        }
        Assert.True(Classifier.Fit(x, labels, new ClassifierOptions { Epochs = 100 }).Accuracy(x, labels) > 0.98);
        Assert.True(Classifier.Fit(x, labels, new ClassifierOptions { Epochs = 100, Hidden = [16] }).Accuracy(x, labels) > 0.98);
        Assert.Throws<ArgumentException>(() => Classifier.Fit(x, labels[..10]));
    }

    [Fact]
    public void FewLabelsLearnFromTheEmbeddedCodesOfEveryUnlabelledRow()
    {
        Dataset train = Datasets.Load("digits", Split.Train), test = Datasets.Load("digits", Split.Test);
        var encoder = new DenseAutoencoder(DenseAutoencoderConfig.For(train.Features) with { Hidden = [128], CodeSize = 16, Seed = 1 });
        encoder.Fit(train.Features, new FitOptions { Epochs = 50, BatchSize = 64, ValidationFraction = 0, Seed = 1 });
        var options = new FewLabelOptions { Labels = 50, Balanced = true, Seed = 2, Embedding = new NeighbourEmbeddingOptions { Dimensions = 10, MinDistance = 0, Epochs = 100 } };
        FewLabelResult result = FewLabelEvaluation.Run(encoder, train, test, options);
        Assert.NotNull(result.EmbeddedAccuracy);
        // 5 labelled rows per digit: the unlabelled rows' neighbour graph carries the labels along each digit's manifold.
        Assert.True(result.EmbeddedAccuracy > result.AutoencoderAccuracy, $"embedded {result.EmbeddedAccuracy:F3} vs codes {result.AutoencoderAccuracy:F3}");
        Assert.Null(FewLabelEvaluation.Run(encoder, train, test, options with { Embedding = null }).EmbeddedAccuracy);
    }

    [Fact]
    public void SwapNoiseFeaturesConcatenateEveryHiddenLayer()
    {
        Tensor data = LowRank(256, 5);
        var options = new SwapNoiseOptions { Hidden = [16, 12], Epochs = 5, Seed = 3 };
        var dae = SwapNoiseAutoencoder.Fit(data, options);
        History history = dae.History!;
        Assert.True(history.Epochs[^1].TrainLoss < history.Epochs[0].TrainLoss);
        using Tensor features = dae.Transform(data);
        Assert.Equal([256, 28], features.Shape);
        var again = SwapNoiseAutoencoder.Fit(data, options);
        Assert.Equal(features.ToArray(), again.Transform(data).ToArray());
    }
}
