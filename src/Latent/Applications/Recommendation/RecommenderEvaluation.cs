using System.Diagnostics;
using Latent.Data;
using Latent.Training;

namespace Latent.Applications.Recommendation;

/// <summary>What <see cref="RecommenderEvaluation.Run"/> measured on a test file.</summary>
/// <param name="Rmse">RMSE of the explicit recommender's predicted ratings (fall-backs included).</param>
/// <param name="Mae">Its mean absolute error.</param>
/// <param name="FallbackRatings">Test ratings whose user or item had no training rows (predicted by the fall-back).</param>
/// <param name="MatrixFactorizationRmse">RMSE of the built-in biased matrix factorisation (Surprise's SVD rule).</param>
/// <param name="BaselineRmse">RMSE of the damped baseline μ + b_u + b_i.</param>
/// <param name="GlobalMeanRmse">RMSE of predicting the training mean everywhere.</param>
/// <param name="Cdae">Top-k ranking by the implicit recommender (CDAE).</param>
/// <param name="AutoRecRanking">Top-k ranking by the explicit recommender's predicted ratings.</param>
/// <param name="MatrixFactorizationRanking">Top-k ranking by the matrix factorisation's predicted ratings.</param>
/// <param name="Popularity">Top-k ranking by the number of training ratings (the popularity baseline).</param>
/// <param name="TrainingSamplesPerSecond">Rows (items or users) the explicit recommender's networks trained on per second, over all epochs.</param>
/// <param name="Seconds">Time to fit the explicit recommender.</param>
public sealed record RecommenderEvaluationResult(double Rmse, double Mae, int FallbackRatings, double MatrixFactorizationRmse, double BaselineRmse,
    double GlobalMeanRmse, RankingMetrics? Cdae, RankingMetrics AutoRecRanking, RankingMetrics MatrixFactorizationRanking, RankingMetrics Popularity,
    double TrainingSamplesPerSecond, double Seconds);

/// <summary>
/// Trains on one file and scores on another (MovieLens' u1.base / u1.test): rating error for the explicit recommender
/// against the built-in biased matrix factorisation and simple baselines, and top-k ranking (test ratings of at least
/// <c>relevantFrom</c> are relevant; each user's candidates are all items they did not rate in training) for CDAE,
/// the matrix factorisation and popularity.
/// </summary>
public static class RecommenderEvaluation
{
    /// <summary>Test ratings from this value up are relevant for ranking (MovieLens: 4 and 5 stars).</summary>
    public const float DefaultRelevantFrom = 4f;

    /// <summary>The default cut-off of the ranking measures.</summary>
    public const int DefaultK = 10;

    /// <param name="train">The ratings to learn from.</param>
    /// <param name="test">The ratings to score on.</param>
    /// <param name="options">The recommender's options; its <see cref="RecommenderOptions.Feedback"/> is set to each mode in turn.</param>
    /// <param name="withCdae">Also fit the implicit recommender and rank by it.</param>
    /// <param name="progress">Told of every network's training, with <see cref="TrainingProgress.Stage"/> naming the model.</param>
    /// <param name="cancel">Stops between epochs.</param>
    /// <param name="k">The cut-off of the ranking measures.</param>
    /// <param name="relevantFrom">Test ratings from this value up are relevant.</param>
    /// <exception cref="ArgumentException">A file has no ratings, or a setting is impossible.</exception>
    public static RecommenderEvaluationResult Run(Ratings train, Ratings test, RecommenderOptions? options = null, bool withCdae = true,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default, int k = DefaultK, float relevantFrom = DefaultRelevantFrom)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        if (test.Count == 0) throw new ArgumentException("The test file has no ratings.");
        if (k < 1) throw new ArgumentException($"k must be at least 1, not {k}.");
        options ??= new RecommenderOptions();

        var clock = Stopwatch.StartNew();
        Recommender explicitModel = Recommender.Fit(train, options with { Feedback = Feedback.Explicit }, Named(progress, "AutoRec"), cancel);
        double seconds = clock.Elapsed.TotalSeconds;
        RatingIndex index = explicitModel.Index;
        float[] predicted = [.. Enumerable.Range(0, test.Count).Select(r => explicitModel.Predict(test.Users[r], test.Items[r]))];
        float[] actual = [.. test.Values];
        int fallbacks = Enumerable.Range(0, test.Count).Count(r => !explicitModel.KnowsUser(test.Users[r]) || !explicitModel.KnowsItem(test.Items[r]));

        var factorization = BiasedMatrixFactorization.Fit(index, new MatrixFactorizationOptions(), options.Seed + 1000, cancel);
        var baseline = BaselineBiases.Fit(index);
        float lowest = index.Value.Min(), highest = index.Value.Max();
        float[] mf = new float[test.Count], biases = new float[test.Count], mean = new float[test.Count];
        for (int r = 0; r < test.Count; r++)
        {
            int u = index.UserOf(test.Users[r]), i = index.ItemOf(test.Items[r]);
            biases[r] = Math.Clamp(baseline.Predict(u, i), lowest, highest);
            mf[r] = u >= 0 && i >= 0 ? Math.Clamp(factorization.Predict(u, i), lowest, highest) : biases[r];
            mean[r] = baseline.Mean;
        }

        Recommender? implicitModel = withCdae ? Recommender.Fit(train, options with { Feedback = Feedback.Implicit }, Named(progress, "CDAE"), cancel) : null;
        var popularity = new float[index.Items];
        foreach (int item in index.Item) popularity[item]++;
        var ranking = new TestRanking(explicitModel, test, k, relevantFrom);
        double samples = explicitModel.Histories.Sum(h => h.Epochs.Sum(e => e.SamplesPerSecond * e.Seconds));
        double trainSeconds = explicitModel.Histories.Sum(h => h.TotalSeconds);
        return new RecommenderEvaluationResult(
            RecommendationMetrics.Rmse(predicted, actual), RecommendationMetrics.Mae(predicted, actual), fallbacks,
            RecommendationMetrics.Rmse(mf, actual), RecommendationMetrics.Rmse(biases, actual), RecommendationMetrics.Rmse(mean, actual),
            implicitModel is null ? null : ranking.Measure(implicitModel.Scores),
            ranking.Measure(explicitModel.Scores),
            ranking.Measure(u => [.. Enumerable.Range(0, index.Items).Select(i => factorization.Predict(u, i))]),
            ranking.Measure(_ => popularity),
            trainSeconds > 0 ? samples / trainSeconds : 0, seconds);
    }

    private static IProgress<TrainingProgress>? Named(IProgress<TrainingProgress>? progress, string model) =>
        progress is null ? null : new InlineProgress<TrainingProgress>(p => progress.Report(p with { Stage = p.Stage is null ? model : $"{model} {p.Stage}" }));

    /// <summary>Each test user's relevant items and training items, as numbers of the training index.</summary>
    private sealed class TestRanking
    {
        private readonly Recommender _model;
        private readonly Dictionary<int, HashSet<int>> _relevant = [];
        private readonly int _k;

        public TestRanking(Recommender model, Ratings test, int k, float relevantFrom)
        {
            _model = model;
            _k = k;
            var unknownItems = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int r = 0; r < test.Count; r++)
            {
                if (test.Values[r] < relevantFrom) continue;
                int u = model.Index.UserOf(test.Users[r]);
                if (u < 0) continue;
                int i = model.Index.ItemOf(test.Items[r]);
                // An item without training rows cannot be ranked, yet it is a relevant item missed: it gets a number of its own.
                if (i < 0) i = model.Items + (unknownItems.TryGetValue(test.Items[r], out int n) ? n : unknownItems[test.Items[r]] = unknownItems.Count);
                (_relevant.TryGetValue(u, out var set) ? set : _relevant[u] = []).Add(i);
            }
        }

        public RankingMetrics Measure(Func<int, float[]> scoresOf)
        {
            double precision = 0, recall = 0, ndcg = 0, hits = 0;
            foreach (var (user, relevant) in _relevant)
            {
                int[] top = Ranking.Top(scoresOf(user), _k, _model.Seen(user));
                var (p, r, n, hit) = RecommendationMetrics.AtK(top, relevant, _k);
                precision += p;
                recall += r;
                ndcg += n;
                hits += hit ? 1 : 0;
            }
            int users = Math.Max(1, _relevant.Count);
            return new RankingMetrics(_k, precision / users, recall / users, ndcg / users, hits / users, _relevant.Count);
        }
    }
}
