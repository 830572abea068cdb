using Latent.Applications.Generation;
using Latent.Data;
using Latent.Engine;
using Latent.Engine.Losses;
using Latent.Engine.Nn;
using Latent.Engine.Optim;
using Latent.Models;
using Latent.Training;

namespace Latent.Tests.Models;

public class VariationalAutoencoderContractTests : AutoencoderContract
{
    protected override IAutoencoder Create(int inputs, ulong seed) =>
        new VariationalAutoencoder(new VariationalAutoencoderConfig { Inputs = inputs, Hidden = [32], CodeSize = 8, Seed = seed });

    protected override IAutoencoder Load(string path) => VariationalAutoencoder.Open(path);
}

/// <summary>The contract again for the Gaussian likelihood on min-max scaled columns, as for table rows.</summary>
public class GaussianVariationalAutoencoderContractTests : AutoencoderContract
{
    protected override IAutoencoder Create(int inputs, ulong seed) => new VariationalAutoencoder(new VariationalAutoencoderConfig
    {
        Inputs = inputs, Hidden = [32], CodeSize = 8, Seed = seed, Likelihood = Likelihood.Gaussian, Scaling = Scaling.MinMax,
    });

    protected override IAutoencoder Load(string path) => VariationalAutoencoder.Open(path);
}

/// <summary>The contract for the convolutional VAE on 8×8 images.</summary>
public class ConvolutionalVariationalAutoencoderContractTests : AutoencoderContract
{
    protected override IAutoencoder Create(int inputs, ulong seed) => new VariationalAutoencoder(new VariationalAutoencoderConfig
    {
        Inputs = inputs, CodeSize = 4, Seed = seed, Image = Latent.Imaging.ImageShape.Gray(8, 8), Filters = [8, 16],
    });

    protected override IAutoencoder Load(string path) => VariationalAutoencoder.Open(path);
}

public class VariationalAutoencoderTests
{
    private static (Tensor Rows, int[] Labels) Digits(Split split)
    {
        Dataset d = Datasets.Load("digits", split);
        return (d.Features, d.Labels!);
    }

    [Fact]
    public void TheElboImprovesWithTrainingAndItsKlPartIsPositive()
    {
        var (train, _) = Digits(Split.Train);
        var (test, _) = Digits(Split.Test);
        var vae = new VariationalAutoencoder(new VariationalAutoencoderConfig { Inputs = 64, Hidden = [128], CodeSize = 8, Seed = 1 });
        History history = vae.Fit(train, new FitOptions { Epochs = 40, BatchSize = 64, ValidationFraction = 0, Seed = 1 });
        var (after, reconstruction, kl) = vae.TestLoss(test);
        // Training starts from the data mean, so the bar is the best model whose code carries nothing: independent
        // pixels at their training means (26.8 nats on the test rows, 27.2 on the training rows; the VAE: 24.6 on both).
        double noCodeTest = MeanPixelCrossEntropy(train, test), noCodeTrain = MeanPixelCrossEntropy(train, train);
        Assert.True(after < noCodeTest - 1.5, $"test −ELBO {after:F2} vs {noCodeTest:F2} without a code");
        Assert.True(history.Epochs[^1].TrainLoss < noCodeTrain - 1.5, $"train loss {history.Epochs[^1].TrainLoss:F2} vs {noCodeTrain:F2} without a code");
        Assert.True(kl > 0.5, $"KL {kl:F3}: the code carries information");
        Assert.Equal(after, reconstruction + kl, 6);
        // log p(x) ≥ IWAE(K) ≥ ELBO on average: the importance-weighted estimate is the tighter bound.
        double iwae = vae.ImportanceWeightedLogLikelihood(test, samples: 100);
        Assert.True(iwae > -after, $"IWAE {iwae:F2} vs ELBO {-after:F2}");
        Assert.True(iwae < 0);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ANewModelStartsFromTheDataMean(bool convolutional)
    {
        var (train, _) = Digits(Split.Train);
        var vae = new VariationalAutoencoder(convolutional
            ? new VariationalAutoencoderConfig { Inputs = 64, CodeSize = 4, Seed = 1, Image = Latent.Imaging.ImageShape.Gray(8, 8), Filters = [8] }
            : new VariationalAutoencoderConfig { Inputs = 64, Hidden = [32], CodeSize = 4, Seed = 1 });
        // A step too small to move the weights: what the samples show is where training starts.
        vae.Fit(train, new FitOptions { Epochs = 1, LearningRate = 1e-12f, ValidationFraction = 0 });
        using Tensor samples = vae.Sample(2000, new Rng(2));
        float[] sampleMean = ColumnMeans(samples), dataMean = ColumnMeans(train);
        double overall = dataMean.Average();
        Assert.InRange(sampleMean.Average(), overall - 0.05, overall + 0.05);
        if (!convolutional)   // one bias per pixel: the pixel means too (a conv decoder has one per channel)
            Assert.True(Correlation(sampleMean, dataMean) > 0.9, $"correlation {Correlation(sampleMean, dataMean):F3}");
    }

    /// <summary>Binary cross-entropy per row, summed over pixels, of <paramref name="rows"/> under each pixel's mean in <paramref name="fitted"/>.</summary>
    private static double MeanPixelCrossEntropy(Tensor fitted, Tensor rows)
    {
        float[] mean = ColumnMeans(fitted);
        int d = mean.Length;
        double sum = 0;
        for (int i = 0; i < rows.Span.Length; i++)
        {
            double p = Math.Clamp(mean[i % d], 1e-7, 1 - 1e-7), x = rows.Span[i];
            sum -= x * Math.Log(p) + (1 - x) * Math.Log(1 - p);
        }
        return sum / rows.Dim(0);
    }

    private static float[] ColumnMeans(Tensor rows)
    {
        int n = rows.Dim(0), d = rows.Dim(1);
        var means = new float[d];
        for (int i = 0; i < n * d; i++) means[i % d] += rows.Span[i] / n;
        return means;
    }

    private static double Correlation(float[] a, float[] b)
    {
        double ma = a.Average(), mb = b.Average(), ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.Length; i++) (ab, aa, bb) = (ab + (a[i] - ma) * (b[i] - mb), aa + (a[i] - ma) * (a[i] - ma), bb + (b[i] - mb) * (b[i] - mb));
        return ab / Math.Sqrt(aa * bb);
    }

    [Fact]
    public void TheConvolutionalVaeLearnsAndGeneratesImagesOfItsShape()
    {
        var (train, labels) = Digits(Split.Train);
        var (test, testLabels) = Digits(Split.Test);
        var vae = new VariationalAutoencoder(new VariationalAutoencoderConfig
        {
            Inputs = 64, CodeSize = 8, Image = Latent.Imaging.ImageShape.Gray(8, 8), Filters = [16, 32], Classes = 10, Seed = 4,
        });
        double before = vae.TestLoss(test, testLabels).Loss;
        vae.Fit(train, labels, new FitOptions { Epochs = 15, BatchSize = 64, ValidationFraction = 0, Seed = 4 });
        double after = vae.TestLoss(test, testLabels).Loss;
        Assert.True(after < before - 5, $"test −ELBO {before:F2} → {after:F2}");
        using Tensor samples = vae.Sample(6, new Rng(1), label: 7);
        Assert.Equal([6, 64], samples.Shape);
        Assert.Contains("multiples of 4", Assert.Throws<ArgumentException>(() => new VariationalAutoencoder(new VariationalAutoencoderConfig
        {
            Inputs = 49, Image = Latent.Imaging.ImageShape.Gray(7, 7), Filters = [8, 8],
        })).Message);
    }

    [Fact]
    public void KlMatchesItsClosedForm()
    {
        using var mean = Tensor.FromArray([1f, 0f, -0.5f, 2f], 2, 2);
        using var logVariance = Tensor.FromArray([0f, MathF.Log(4f), -1f, 0.5f], 2, 2);
        double expected = 0;
        float[] mu = mean.ToArray(), lv = logVariance.ToArray();
        for (int i = 0; i < 4; i++) expected += 0.5 * (Math.Exp(lv[i]) + mu[i] * mu[i] - 1 - lv[i]);
        Assert.Equal(expected / 2, Loss.GaussianKl(mean, logVariance).Item(), 5);   // per row, averaged over the 2 rows
        using var zero = Tensor.Zeros(3, 4);
        Assert.Equal(0f, Loss.GaussianKl(zero, zero).Item());   // q = p gives 0
    }

    [Fact]
    public void SamplingIsReproducibleForASeed()
    {
        var (train, _) = Digits(Split.Train);
        var vae = new VariationalAutoencoder(new VariationalAutoencoderConfig { Inputs = 64, Hidden = [32], CodeSize = 4 });
        vae.Fit(train, new FitOptions { Epochs = 2, BatchSize = 64 });
        var generator = Generator.From(vae);
        float[] a = generator.Sample(10, seed: 5).ToArray(), b = generator.Sample(10, seed: 5).ToArray(), c = generator.Sample(10, seed: 6).ToArray();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.All(a, v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void GeneratedTableRowsKeepColumnTypesCategoriesAndRanges()
    {
        var rng = new Rng(3);
        int rows = 300;
        var size = new double[rows];
        var price = new double[rows];
        var colour = new string[rows];
        for (int r = 0; r < rows; r++)
        {
            size[r] = 10 + 5 * rng.NextFloat();
            price[r] = 100 * size[r] + 20 * rng.NextNormal();
            colour[r] = size[r] > 12.5 ? "red" : r % 3 == 0 ? "green" : "blue";
        }
        var table = new CsvTable([TableColumn.Numeric("size", size), TableColumn.Numeric("price", price), TableColumn.Categorical("colour", colour)]);
        var schema = TableSchema.Fit(table);
        var vae = new VariationalAutoencoder(new VariationalAutoencoderConfig
        {
            Inputs = schema.EncodedWidth, Hidden = [32], CodeSize = 3, Likelihood = Likelihood.Gaussian, Scaling = Scaling.MinMax,
        }) { Data = new DataDescription(Schema: schema) };
        vae.Fit(schema.Encode(table), new FitOptions { Epochs = 30, BatchSize = 32 });
        CsvTable fakes = Generator.From(vae).SampleTable(200, seed: 1);
        Assert.Equal(table.ColumnNames, fakes.ColumnNames);
        Assert.Equal(ColumnKind.Numeric, fakes.Column("price").Kind);
        for (int r = 0; r < fakes.Rows; r++)
        {
            // The model sees the table as float32, so its range is the float-rounded one.
            Assert.InRange(fakes.Column("size").Number(r), (float)size.Min(), (float)size.Max());
            Assert.InRange(fakes.Column("price").Number(r), (float)price.Min(), (float)price.Max());
            Assert.Contains(fakes.Column("colour").Text(r), new[] { "red", "green", "blue" });
        }
    }

    [Fact]
    public void ConditionalSamplesAreRecognisedAsTheirLabel()
    {
        var (train, labels) = Digits(Split.Train);
        var vae = new VariationalAutoencoder(new VariationalAutoencoderConfig { Inputs = 64, Hidden = [128], CodeSize = 4, Classes = 10, Seed = 2 });
        vae.Fit(train, labels, new FitOptions { Epochs = 60, BatchSize = 64, ValidationFraction = 0, Seed = 2 });
        Assert.Throws<ArgumentException>(() => vae.Sample(5, new Rng(1)));   // a conditional model needs a label

        // A softmax classifier trained on the real digits judges the generated ones.
        var classifier = new Linear(64, 10, rng: new Rng(3));
        var adam = new Adam(classifier.Parameters(), learningRate: 0.05f);
        for (int step = 0; step < 200; step++)
        {
            adam.ZeroGrad();
            Loss.CrossEntropy(classifier.Forward(train), labels).Backward();
            adam.Step();
        }
        int right = 0, total = 0;
        var generator = Generator.From(vae);
        for (int label = 0; label < 10; label++)
        {
            using Tensor samples = generator.Sample(30, seed: (ulong)label, label: label);
            float[] scores;
            using (Tensor.NoGrad()) scores = classifier.Forward(samples).ToArray();
            for (int i = 0; i < 30; i++, total++)
                if (Array.IndexOf(scores, scores.AsSpan(i * 10, 10).ToArray().Max(), i * 10, 10) - i * 10 == label) right++;
        }
        Assert.True(right > 0.7 * total, $"{right} of {total} generated digits classified as their label");
    }

    [Fact]
    public void LabelsAreCheckedAndBernoulliNeedsUnitRange()
    {
        var cvae = new VariationalAutoencoder(new VariationalAutoencoderConfig { Inputs = 3, Hidden = [4], CodeSize = 2, Classes = 3 });
        using var rows = Tensor.FromArray([0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f], 2, 3);
        Assert.Contains("label", Assert.Throws<ArgumentException>(() => cvae.Fit(rows)).Message);
        Assert.Contains("Label 7", Assert.Throws<ArgumentException>(() => cvae.Fit(rows, [0, 7])).Message);
        var vae = new VariationalAutoencoder(new VariationalAutoencoderConfig { Inputs = 3, Hidden = [4], CodeSize = 2 });
        using var wide = Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 2, 3);
        Assert.Contains("[0, 1]", Assert.Throws<ArgumentException>(() => vae.Fit(wide)).Message);
    }
}
