using Latent.Applications.Clustering;
using Latent.Applications.Reduction;
using Latent.Data;
using Latent.Engine;
using Latent.Imaging;
using Latent.Models;
using Latent.Training;

namespace Latent.Tests.Applications;

public class ClusteringTests
{
    [Fact]
    public void HungarianRecoversAKnownPermutation()
    {
        var random = new Random(1);
        int[] permutation = [.. Enumerable.Range(0, 12).OrderBy(_ => random.Next())];
        var cost = new double[12, 12];
        for (int i = 0; i < 12; i++)
            for (int j = 0; j < 12; j++) cost[i, j] = j == permutation[i] ? random.NextDouble() : 1 + random.NextDouble();
        Assert.Equal(permutation, Hungarian.Solve(cost));
    }

    [Fact]
    public void HungarianBeatsEveryOtherAssignmentOnASmallMatrix()
    {
        double[,] cost = { { 4, 1, 3 }, { 2, 0, 5 }, { 3, 2, 2 } };
        int[] match = Hungarian.Solve(cost);
        Assert.Equal([1, 0, 2], match);   // 1 + 2 + 2 = 5, the minimum over the 6 permutations
    }

    [Fact]
    public void MetricsAgreeWithKnownValues()
    {
        int[] labels = [0, 0, 0, 1, 1, 1];
        int[] renamed = [5, 5, 5, 2, 2, 2];
        Assert.Equal(1, ClusteringMetrics.Accuracy(renamed, labels), 12);
        Assert.Equal(1, ClusteringMetrics.NormalizedMutualInformation(renamed, labels), 12);
        Assert.Equal(1, ClusteringMetrics.AdjustedRandIndex(renamed, labels), 12);
        int[] clusters = [0, 0, 1, 1, 2, 2];
        // scikit-learn: normalized_mutual_info_score = 0.5158037429793889, adjusted_rand_score = 0.24242424242424246
        Assert.Equal(0.5158037429793889, ClusteringMetrics.NormalizedMutualInformation(clusters, labels), 9);
        Assert.Equal(0.24242424242424246, ClusteringMetrics.AdjustedRandIndex(clusters, labels), 9);
        Assert.Equal(4 / 6.0, ClusteringMetrics.Accuracy(clusters, labels), 12);
    }

    [Fact]
    public void KMeansFindsPlantedBlobs()
    {
        var (data, truth) = NeighbourEmbeddingTests.Blobs(600, k: 5, dimensions: 4, spread: 0.3f, seed: 2);
        KMeansResult result = KMeans.Fit(data, 5, seed: 3);
        Assert.Equal(1, ClusteringMetrics.Accuracy(result.Assignments, truth), 12);
        Assert.Equal(result.Assignments, KMeans.Assign(data, result));
        Assert.Equal(result.Assignments, KMeans.Fit(data, 5, seed: 3).Assignments);   // same seed, same result
    }

    [Fact]
    public void AutoencoderCodesClusterTheDigitsAndDecImprovesThem()
    {
        Dataset digits = Datasets.Load("digits", Split.Train);
        Clusterer result = Clusterer.Fit(digits.Features, new ClusterOptions
        {
            Clusters = 10, Hidden = [128, 64], CodeSize = 10, Seed = 1,
            Training = new FitOptions { Epochs = 60, BatchSize = 64, ValidationFraction = 0 },
            Embedding = null, Model = ClusterModel.KMeans, RefineWithDec = true, Dec = new DecOptions { MaxIterations = 600, UpdateInterval = 50, BatchSize = 128 },
        });
        double kmeans = ClusteringMetrics.Accuracy(result.KMeansAssignments, digits.Labels!);
        double dec = ClusteringMetrics.Accuracy(result.Assignments, digits.Labels!);
        Assert.True(kmeans > 0.6, $"k-means on codes: accuracy {kmeans:F3}");   // chance: about 0.1
        // DEC sharpens the clusters: 0.683 → 0.766 with this seed (seeds 2 and 3: +3.7 and +2.4 points).
        Assert.True(dec > kmeans + 0.04, $"DEC {dec:F3} vs k-means {kmeans:F3}");
        Assert.True(result.DecIterations > 0);
    }

    [Fact]
    public void DecReportsItsPassesOverTheRowsAsAStage()
    {
        Dataset digits = Datasets.Load("digits", Split.Train);
        var reports = new List<TrainingProgress>();
        Clusterer result = Clusterer.Fit(digits.Features, new ClusterOptions
        {
            Clusters = 10, Hidden = [32], CodeSize = 6, Seed = 3,
            Training = new FitOptions { Epochs = 2, BatchSize = 64, ValidationFraction = 0 },
            Embedding = null, Model = ClusterModel.KMeans, RefineWithDec = true, Dec = new DecOptions { MaxIterations = 60, UpdateInterval = 20, Tolerance = 0, BatchSize = 256 },
        }, new InlineProgress<TrainingProgress>(reports.Add));
        TrainingProgress[] dec = [.. reports.Where(r => r.Stage == DecRefinement.Stage)];
        Assert.Equal(2, reports.Count(r => r.Stage is null && r.EpochEnded is not null));   // the autoencoder's epochs come first
        Assert.Equal(result.DecIterations, dec.Count(r => r.EpochEnded is null));           // then one report per DEC step
        Assert.All(dec, r => Assert.Equal((6, 10), (r.Batches, r.Epochs)));                  // 1,438 rows in 256s: 6 steps a pass; 60 steps: 10 passes
        EpochReport[] passes = [.. dec.Select(r => r.EpochEnded).OfType<EpochReport>()];
        Assert.Equal(result.DecIterations / 6, passes.Length);
        Assert.All(passes, p => Assert.True(float.IsFinite(p.TrainLoss) && p.TrainLoss >= 0));
    }

    [Fact]
    public void NewRowsGoToTheNearestCentreAndAShiftedRecipeSurvivesSaving()
    {
        Dataset digits = Datasets.Load("digits", Split.Train);
        var options = new ClusterOptions
        {
            Clusters = 10, Hidden = [32], CodeSize = 6, Seed = 2,
            Training = new FitOptions { Epochs = 2, BatchSize = 64, ValidationFraction = 0, Shift = new RandomShift(ImageShape.Gray(8, 8)) },
            Embedding = null, Model = ClusterModel.KMeans,
        };
        Clusterer clusterer = Clusterer.Fit(digits.Features, options);
        Assert.Equal(clusterer.KMeansAssignments, clusterer.Predict(digits.Features));   // k-means converged: every row at its nearest centre
        using var folder = new TempFolder();
        clusterer.Save(folder.File("c.safetensors"));
        Clusterer opened = Assert.IsType<Clusterer>(ModelFile.Open(folder.File("c.safetensors")));
        Assert.Equal(options.Training.Shift, opened.Options.Training.Shift);
        Assert.Equal(clusterer.Assignments, opened.Predict(digits.Features));
    }

    [Fact]
    public void KMeansStoppedByItsIterationLimitStillAssignsEveryRowToItsNearestCentre()
    {
        var (data, _) = NeighbourEmbeddingTests.Blobs(300, k: 6, dimensions: 3, spread: 2f, seed: 5);
        KMeansResult result = KMeans.Fit(data, 6, restarts: 1, maxIterations: 2, seed: 1);
        Assert.Equal(result.Assignments, KMeans.Assign(data, result));
    }

    [Theory]
    [InlineData("n2d")]
    [InlineData("kmeans")]
    [InlineData("dec")]
    public void TheTrainingRowsClustersAreWhatTheSavedClustererPredictsForThem(string recipe)
    {
        Dataset digits = Datasets.Load("digits", Split.Train);
        bool dec = recipe == "dec";
        // Tolerance 0: DEC never converges, so it stops at MaxIterations with steps taken since its last update.
        Clusterer clusterer = Clusterer.Fit(digits.Features, new ClusterOptions
        {
            Clusters = 10, Hidden = [32], CodeSize = 6, Seed = 3,
            Training = new FitOptions { Epochs = 2, BatchSize = 64, ValidationFraction = 0 },
            Embedding = recipe == "n2d" ? new NeighbourEmbeddingOptions { Dimensions = 10, Neighbours = 20, MinDistance = 0, Epochs = 50 } : null,
            Model = recipe == "n2d" ? ClusterModel.GaussianMixture : ClusterModel.KMeans,
            RefineWithDec = dec, Dec = new DecOptions { MaxIterations = 25, UpdateInterval = 10, BatchSize = 64, Tolerance = 0 },
        });
        Assert.Equal(dec ? 25 : 0, clusterer.DecIterations);
        clusterer.Data = DataDescription.Of(digits);
        using var folder = new TempFolder();
        clusterer.Save(folder.File("c.safetensors"));
        Clusterer opened = Clusterer.Open(folder.File("c.safetensors"));
        Assert.Equal(clusterer.Assignments, opened.Predict(digits.Features));
        Assert.Equal(digits.Image, opened.Data?.Image);
        Assert.Equal(recipe == "n2d", opened.Embedding is not null && opened.Mixture is not null);
    }

    [Fact]
    public void TheDefaultRecipeClustersTheDigitsBetterThanKMeansOnTheCodes()
    {
        Dataset digits = Datasets.Load("digits", Split.Train);
        var options = new ClusterOptions { Hidden = [128, 64], Seed = 1, Training = new FitOptions { Epochs = 60, BatchSize = 64, ValidationFraction = 0 } };
        Clusterer n2d = Clusterer.Fit(digits.Features, options);
        Clusterer kmeans = Clusterer.Fit(digits.Features, options with { Embedding = null, Model = ClusterModel.KMeans });
        double accuracy = ClusteringMetrics.Accuracy(n2d.Assignments, digits.Labels!), baseline = ClusteringMetrics.Accuracy(kmeans.Assignments, digits.Labels!);
        Assert.True(accuracy > 0.8, $"embedding + mixture: accuracy {accuracy:F3} (k-means on the codes {baseline:F3})");
        Assert.True(accuracy > baseline + 0.1, $"embedding + mixture {accuracy:F3} vs k-means on the codes {baseline:F3}");
    }

    [Fact]
    public void BadInputGetsClearErrors()
    {
        Assert.Throws<ArgumentException>(() => KMeans.Fit(Tensor.Zeros(3, 2), 5));
        var nan = Tensor.Zeros(10, 2);
        nan.Span[3] = float.NaN;
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => KMeans.Fit(nan, 2)).Message);
        Assert.Throws<ArgumentException>(() => ClusteringMetrics.Accuracy([1, 2], [1]));
        Dataset digits = Datasets.Load("digits", Split.Train);
        var error = Assert.Throws<ArgumentException>(() => Clusterer.Fit(digits.Features,
            new ClusterOptions { Embedding = null, Model = ClusterModel.KMeans, RefineWithDec = true, Dec = new DecOptions { LearningRate = -1 } }));
        Assert.Contains("learning rate", error.Message);
        Assert.Contains("DEC refines the codes themselves", Assert.Throws<ArgumentException>(() => Clusterer.Fit(digits.Features, new ClusterOptions { RefineWithDec = true })).Message);
        Assert.Contains("neighbours", Assert.Throws<ArgumentException>(() => Clusterer.Fit(digits.Features,
            new ClusterOptions { Embedding = new NeighbourEmbeddingOptions { Neighbours = 0 } })).Message);
    }
}
