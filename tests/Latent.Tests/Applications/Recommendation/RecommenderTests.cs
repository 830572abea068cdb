using Latent.Applications.Recommendation;
using Latent.Data;
using Latent.Engine;
using Latent.Engine.Losses;
using Latent.Models.AutoRec;
using Latent.Models.Cdae;

namespace Latent.Tests.Applications.Recommendation;

public class RecommenderTests
{
    private static readonly (Ratings Observed, Ratings Hidden) Planted = PlantedRatings.Make(users: 60, items: 40, observed: 0.5, seed: 3);

    [Fact]
    public void TheMaskedLossCountsObservedRatingsOnly()
    {
        // Three items by four users; unobserved cells hold values that must not matter.
        var ratings = new Ratings(["a", "b", "c", "a", "d", "b"], ["x", "x", "x", "y", "y", "z"], [5f, 3f, 4f, 1f, 2f, 4f]);
        var index = RatingIndexFor(ratings, out RatingMatrix byItem);
        var options = new AutoRecOptions { Hidden = [3], L2 = 0.5f };
        var model = new AutoRecModel(byItem, options, new Rng(1));
        model.Network.Eval();   // no dropout either way; the same rows in both forms

        Tensor batch = Tensor.FromArray([0f, 1f, 2f], 3, 1);
        Tensor sparseLoss = model.Loss(batch, new Rng(2));
        float sparse = sparseLoss.Item();
        sparseLoss.Backward();
        float[] sparseGradient = model.Net.DecoderWeight.Grad!.ToArray();

        model.Network.ZeroGrad();
        using Tensor dense = byItem.Batch([0, 1, 2]).ToDense();
        Tensor mask = Tensor.FromArray([.. dense.ToArray().Select(v => v != 0 ? 1f : 0f)], 3, index.Users);
        Tensor garbage = Tensor.FromArray([.. dense.ToArray().Select(v => v != 0 ? v : 99f)], 3, index.Users);   // targets where nothing was observed
        Tensor squared = Loss.Mse(model.Net.Forward(dense), garbage, mask, Reduction.Sum);
        Tensor penalty = model.Net.Weights.Select(w => Ops.Sum(w * w)).Aggregate((x, y) => x + y) * (options.L2 / 2);
        Tensor denseLoss = (squared + penalty) * (1f / ratings.Count);
        Assert.Equal(denseLoss.Item(), sparse, 4);
        denseLoss.Backward();
        float[] denseGradient = model.Net.DecoderWeight.Grad!.ToArray();
        for (int i = 0; i < denseGradient.Length; i++) Assert.Equal(denseGradient[i], sparseGradient[i], 4);
    }

    private static RatingIndex RatingIndexFor(Ratings ratings, out RatingMatrix byItem)
    {
        RatingIndex index = RatingIndex.Of(ratings);
        byItem = index.ByItem();
        return index;
    }

    [Fact]
    public void APlantedLowRankRatingMatrixIsRecovered()
    {
        Recommender recommender = Recommender.Fit(Planted.Observed, new RecommenderOptions { AutoRec = [Recovering], MatrixFactorization = null });
        float mean = Planted.Observed.Values.Average();
        double rmse = HiddenRmse(recommender);
        double meanRmse = RecommendationMetrics.Rmse([.. Planted.Hidden.Values.Select(_ => mean)], [.. Planted.Hidden.Values]);
        Assert.True(rmse < 0.5 * meanRmse, $"held-out RMSE {rmse:F3} against {meanRmse:F3} for the mean");
    }

    /// <summary>A network that recovers the planted matrix.</summary>
    private static readonly AutoRecOptions Recovering = new() { Hidden = [16], L2 = 1f, Epochs = 300, InputDropout = 0 };

    private static double HiddenRmse(Recommender recommender)
    {
        Ratings hidden = Planted.Hidden;
        return RecommendationMetrics.Rmse([.. Enumerable.Range(0, hidden.Count).Select(r => recommender.Predict(hidden.Users[r], hidden.Items[r]))], [.. hidden.Values]);
    }

    [Fact]
    public void TheBlendWeighsMembersByHowWellTheyPredictHeldOutRatings()
    {
        // A network that recovers the planted matrix and one that has barely trained: averaged, the untrained one drags
        // the predictions far off; blended, its weight goes to almost nothing and the good network's accuracy is kept.
        AutoRecOptions untrained = new() { Hidden = [2], Epochs = 1, InputDropout = 0 };
        var members = new RecommenderOptions { AutoRec = [Recovering, untrained], MatrixFactorization = null, BlendHoldout = 0.25f };
        double alone = HiddenRmse(Recommender.Fit(Planted.Observed, members with { AutoRec = [Recovering], BlendHoldout = 0 }));
        double averaged = HiddenRmse(Recommender.Fit(Planted.Observed, members with { BlendHoldout = 0 }));
        double blended = HiddenRmse(Recommender.Fit(Planted.Observed, members));
        Assert.True(averaged > 1.5 * alone, $"averaged {averaged:F3} against {alone:F3} for the good network alone");
        Assert.True(blended < 1.25 * alone, $"blended {blended:F3} against {alone:F3} for the good network alone (averaged {averaged:F3})");
    }

    [Fact]
    public void TheBlendRecoversPlantedWeights()
    {
        var rng = new Rng(4);
        float[][] predictions = [.. Enumerable.Range(0, 400).Select(_ => new[] { 1 + 4 * rng.NextFloat(), 1 + 4 * rng.NextFloat(), 1 + 4 * rng.NextFloat() })];
        float[] ratings = [.. predictions.Select(p => 0.5f + 0.7f * p[0] + 0.3f * p[1] - 0.1f * p[2] + 0.05f * rng.NextNormal())];
        float[] weights = LinearBlend.Fit(predictions, ratings);
        float[] planted = [0.5f, 0.7f, 0.3f, -0.1f];
        for (int w = 0; w < planted.Length; w++) Assert.Equal(planted[w], weights[w], 0.03f);
        Assert.Equal(0.5f + 0.7f * 2 + 0.3f * 3 - 0.1f * 4, LinearBlend.Apply(weights, [2f, 3f, 4f]), 0.05f);
    }

    [Fact]
    public void SeenItemsAreLeftOutOfTheTopWhenAskedAndOnlyThen()
    {
        Recommender recommender = Recommender.Fit(Planted.Observed, new RecommenderOptions { AutoRec = [new AutoRecOptions { Hidden = [8], Epochs = 20 }] });
        HashSet<string> seen = [.. Enumerable.Range(0, Planted.Observed.Count).Where(r => Planted.Observed.Users[r] == "u0").Select(r => Planted.Observed.Items[r])];
        IReadOnlyList<RecommendedItem> unseen = recommender.TopN("u0", n: 40, excludeSeen: true);
        Assert.Equal(40 - seen.Count, unseen.Count);
        Assert.DoesNotContain(unseen, r => seen.Contains(r.Item));
        IReadOnlyList<RecommendedItem> all = recommender.TopN("u0", n: 40, excludeSeen: false);
        Assert.Equal(40, all.Count);
        Assert.True(all.Zip(all.Skip(1)).All(p => p.First.Score >= p.Second.Score), "best first");
        Assert.Equal(recommender.Predict("u0", all[0].Item), all[0].Score);
    }

    [Fact]
    public void UnknownUsersAndItemsFallBackToTheBaseline()
    {
        var ratings = new Ratings(["a", "a", "b", "b", "c"], ["good", "bad", "good", "bad", "good"], [5f, 1f, 5f, 2f, 4f]);
        Recommender recommender = Recommender.Fit(ratings, new RecommenderOptions { AutoRec = [new AutoRecOptions { Hidden = [2], Epochs = 3 }] });
        float mean = ratings.Values.Average();
        Assert.False(recommender.KnowsUser("stranger"));
        Assert.Equal(mean, recommender.Predict("stranger", "new item"), 5);
        Assert.True(recommender.Predict("stranger", "good") > mean && recommender.Predict("stranger", "bad") < mean, "an unknown user gets the item's bias");
        Assert.True(recommender.Predict("a", "new item") != mean, "an unknown item gets the user's bias");
        Assert.Equal("good", recommender.TopN("stranger", n: 1)[0].Item);

        Recommender implicitFeedback = Recommender.Fit(new Ratings(["a", "b", "c", "c"], ["x", "x", "x", "y"], [1f, 1f, 1f, 1f]),
            new RecommenderOptions { Feedback = Feedback.Implicit, Cdae = new CdaeOptions { Hidden = 2, Epochs = 2 } });
        Assert.Equal(["x", "y"], implicitFeedback.TopN("stranger", n: 5).Select(r => r.Item));   // the most popular first
        Assert.Equal(0f, implicitFeedback.Predict("a", "new item"));
    }

    [Fact]
    public void CdaeLearnsPlantedTastes()
    {
        // Two groups of users: each interacts with most of its own half of the items (even or odd) and a few others.
        var rng = new Rng(5);
        var users = new List<string>();
        var items = new List<string>();
        for (int u = 0; u < 80; u++)
            for (int i = 0; i < 30; i++)
            {
                if (!(rng.NextFloat() < (i % 2 == u % 2 ? 0.6f : 0.05f))) continue;
                users.Add($"u{u}");
                items.Add($"i{i}");
            }
        var train = new Ratings([.. users], [.. items], [.. users.Select(_ => 1f)]);
        Recommender cdae = Recommender.Fit(train, new RecommenderOptions { Feedback = Feedback.Implicit, Cdae = new CdaeOptions { Hidden = 8, Epochs = 60, BatchSize = 16 } });
        // Each user's top 5 among the items they have not seen: from their own half, not merely the most popular.
        var top = Enumerable.Range(0, 80).SelectMany(u => cdae.TopN($"u{u}", n: 5).Select(r => int.Parse(r.Item[1..]) % 2 == u % 2)).ToList();
        Assert.True(top.Count(own => own) > 0.9 * top.Count, $"{top.Count(own => own)} of {top.Count} recommendations from the user's own half");
    }

    [Fact]
    public void RankingMeasuresMatchAHandCount()
    {
        var (precision, recall, ndcg, hit) = RecommendationMetrics.AtK(["a", "b", "c", "d"], new HashSet<string> { "b", "d", "z" }, k: 4);
        Assert.Equal(0.5, precision, 10);
        Assert.Equal(2.0 / 3, recall, 10);
        double dcg = 1 / Math.Log2(3) + 1 / Math.Log2(5), ideal = 1 + 1 / Math.Log2(3) + 1 / Math.Log2(4);
        Assert.Equal(dcg / ideal, ndcg, 10);
        Assert.True(hit);
        Assert.Equal(Math.Sqrt(2.5), RecommendationMetrics.Rmse([1f, 4f], [2f, 2f]), 6);
        Assert.Equal(1.5, RecommendationMetrics.Mae([1f, 4f], [2f, 2f]), 6);
    }
}
