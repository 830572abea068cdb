using Latent.Applications.Search;
using Latent.Engine;
using Latent.Models;
using Latent.Training;

namespace Latent.Tests.Applications.Search;

public sealed class IndexModelTests
{
    /// <summary>Two well-separated labelled clusters in [0, 1].</summary>
    private static (Tensor Rows, int[] Labels) Clusters(int rows, int width)
    {
        var rng = new Rng(3);
        var values = new float[rows * width];
        int[] labels = [.. Enumerable.Range(0, rows).Select(r => r % 2)];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < width; c++) values[r * width + c] = Math.Clamp((labels[r] == 0 ? 0.2f : 0.8f) + 0.1f * rng.NextNormal(), 0f, 1f);
        return (Tensor.FromArray(values, rows, width), labels);
    }

    [Fact]
    public void AGivenCodeSizeTrainsOneModelShapedForTheData()
    {
        var (rows, _) = Clusters(80, 8);
        var reports = new List<TrainingProgress>();
        IndexModelResult result = IndexModel.Train(rows, null, new IndexModelOptions { Hidden = [6], Epochs = 2, CodeSize = 3 }, new InlineProgress<TrainingProgress>(reports.Add));
        Assert.Equal(3, result.Model.CodeSize);
        Assert.Equal(ReconstructionLoss.BinaryCrossEntropy, result.Model.Config.Loss);   // unit-range rows: DenseAutoencoderConfig.For's rule
        Assert.Empty(result.Trials);
        Assert.Contains(reports, r => r.EpochEnded is not null);
    }

    [Fact]
    public void AnAutomaticCodeSizeTriesDoublingSizesAndKeepsOneOfThem()
    {
        var (rows, labels) = Clusters(120, 8);
        var options = new IndexModelOptions { Hidden = [6], Epochs = 2, Seed = 4 };
        var stages = new HashSet<string?>();
        IndexModelResult result = IndexModel.Train(rows, labels, options, new InlineProgress<TrainingProgress>(p => stages.Add(p.Stage)));
        Assert.Equal(2, result.Trials[0].CodeSize);
        Assert.Contains(result.Trials, t => t.CodeSize == result.Model.CodeSize);
        Assert.Equal("precision@10 by label", result.QualityMeasure);
        Assert.Contains("code size 2", stages);
        Assert.Equal(result.Trials, IndexModel.Train(rows, labels, options).Trials);
    }

    [Fact]
    public void AnAutomaticCodeSizeSaysWhetherQualityLevelledOffOrTheSizesRanOut()
    {
        var (rows, labels) = Clusters(120, 8);
        // No doubling can gain a whole 1 in precision: the search levels off at the second size and keeps the first.
        IndexModelResult levelled = IndexModel.Train(rows, labels, new IndexModelOptions { Hidden = [6], Epochs = 1, MinimumGain = 1 });
        Assert.Equal([2, 4], levelled.Trials.Select(t => t.CodeSize));
        Assert.Equal(2, levelled.Model.CodeSize);
        Assert.False(levelled.StillImproving);
        // Only one size fits under the limit: the size kept is simply the largest tried.
        IndexModelResult ranOut = IndexModel.Train(rows, labels, new IndexModelOptions { Hidden = [6], Epochs = 1, MaxCodeSize = 2 });
        Assert.Equal(2, Assert.Single(ranOut.Trials).CodeSize);
        Assert.True(ranOut.StillImproving);
    }

    [Fact]
    public void BadOptionsAndTooFewRowsAreRefused()
    {
        var (rows, labels) = Clusters(20, 4);
        Assert.Contains("code size", Assert.Throws<ArgumentException>(() => IndexModel.Train(rows, null, new IndexModelOptions { CodeSize = 0 })).Message);
        Assert.Contains("more rows", Assert.Throws<ArgumentException>(() => IndexModel.Train(rows, labels)).Message);
        Assert.Contains("labels", Assert.Throws<ArgumentException>(() => IndexModel.Train(rows, [1, 2])).Message);
    }
}
