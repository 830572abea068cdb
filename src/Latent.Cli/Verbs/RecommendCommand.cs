using System.CommandLine;
using System.Globalization;
using Latent.Applications.Recommendation;
using Latent.Cli.Terminal;
using Latent.Data;
using Latent.Reporting;

namespace Latent.Cli.Verbs;

/// <summary>
/// `latent recommend fit|top|evaluate`: learn from a ratings file (MovieLens u.data / ratings.dat or CSV), list a user's
/// top items from a saved recommender, and measure rating error and top-10 ranking on a train/test pair of files.
/// </summary>
internal static class RecommendCommand
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Command Create() => new("recommend", "Recommendation from ratings or interactions: fit a recommender, list a user's top items, evaluate on a train/test pair.")
    {
        CreateFit(),
        CreateTop(),
        CreateEvaluate(),
    };

    private static Option<string> Ratings(string name, string alias, string description) => new(name, alias) { Description = description, Required = true };

    private static Option<bool> Implicit() => new("--implicit")
    {
        Description = "Treat every row as an interaction (a view, a click) and rank items with a collaborative denoising autoencoder, instead of predicting ratings with AutoRec.",
    };

    private static Option<int?> Epochs() => new("--epochs") { Description = "Training epochs of every network (default: the recipe's, chosen on validation data)." };

    private static Option<ulong> Seed() => new("--seed") { Description = "Random seed (same seed, same result).", DefaultValueFactory = _ => 0 };

    /// <summary>The library's default options with the command line's changes.</summary>
    private static RecommenderOptions Read(ParseResult parse, Option<bool>? implicitFeedback, Option<int?> epochs, Option<ulong> seed)
    {
        var options = new RecommenderOptions { Seed = parse.GetValue(seed) };
        if (implicitFeedback is not null && parse.GetValue(implicitFeedback)) options = options with { Feedback = Feedback.Implicit };
        if (parse.GetValue(epochs) is not { } e) return options;
        if (e < 1) throw new UsageException($"--epochs must be at least 1, not {e}.");
        return options with { AutoRec = [.. options.AutoRec.Select(a => a with { Epochs = e })], Cdae = options.Cdae with { Epochs = e } };
    }

    private static Command CreateFit()
    {
        var data = Ratings("--data", "--ratings", "The ratings: MovieLens u.data or ratings.dat, or a CSV of user, item, rating[, time] (two columns: interactions).");
        var output = CommonOptions.Out("Where to save the recommender (.safetensors).");
        var implicitFeedback = Implicit();
        var epochs = Epochs();
        var seed = Seed();
        var json = CommonOptions.Json();
        var force = CommonOptions.Force();
        var command = new Command("fit", "Learn from a ratings file and save the recommender.") { data, output, implicitFeedback, epochs, seed, json, force };
        command.SetAction((parse, cancel) =>
        {
            string dataPath = parse.GetValue(data)!, outPath = parse.GetValue(output)!;
            RecommenderOptions options = Read(parse, implicitFeedback, epochs, seed);
            OutputFile file = OutputFile.File(outPath, output.Name, parse.GetValue(force), (data.Name, dataPath));
            Ratings ratings = RatingsFile.Read(dataPath);
            string what = options.Feedback == Feedback.Explicit ? "AutoRec" : "a collaborative denoising autoencoder";
            Recommender recommender = parse.GetValue(json)
                ? Recommender.Fit(ratings, options, cancel: cancel)
                : TrainingProgressView.Run($"Fitting {what} on {Counted.Of(ratings.Count, "rating")}", progress => Recommender.Fit(ratings, options, progress, cancel));
            recommender.Save(file.Staging);
            OutputFile.CommitAll(cancel);
            double seconds = recommender.Histories.Sum(h => h.TotalSeconds);
            if (parse.GetValue(json))
                JsonOutput.Print(new
                {
                    model = outPath, feedback = options.Feedback.ToString().ToLowerInvariant(), ratings = recommender.RatingCount, users = recommender.Users,
                    items = recommender.Items, networks = recommender.Histories.Count, train_seconds = seconds,
                });
            else
                Console.WriteLine(string.Create(Inv,
                    $"Learned {Counted.Of(recommender.RatingCount, "rating")} of {Counted.Of(recommender.Users, "user")} × {Counted.Of(recommender.Items, "item")} in {seconds:F1} s; saved {outPath}."));
            return Task.FromResult(0);
        });
        return command;
    }

    private static Command CreateTop()
    {
        var model = new Option<string>("--model") { Description = "A recommender file written by 'latent recommend fit'.", Required = true };
        var user = new Option<string>("--user") { Description = "The user's id, as in the ratings file.", Required = true };
        var count = new Option<int>("-n") { Description = "How many items to recommend.", DefaultValueFactory = _ => 10 };
        var includeSeen = new Option<bool>("--include-seen") { Description = "Also list items the user rated in the training data (left out by default)." };
        var json = CommonOptions.Json();
        var command = new Command("top", "List a user's top items from a saved recommender.") { model, user, count, includeSeen, json };
        command.SetAction((parse, cancel) =>
        {
            int n = parse.GetValue(count);
            if (n < 1) throw new UsageException($"-n must be at least 1, not {n}.");
            string id = parse.GetValue(user)!;
            Recommender recommender = Recommender.Open(parse.GetValue(model)!);
            IReadOnlyList<RecommendedItem> top = recommender.TopN(id, n, excludeSeen: !parse.GetValue(includeSeen));
            bool known = recommender.KnowsUser(id);
            if (parse.GetValue(json))
            {
                JsonOutput.Print(new { user = id, known_user = known, items = top.Select((r, i) => new { rank = i + 1, item = r.Item, score = r.Score }) });
                return Task.FromResult(0);
            }
            if (!known)
                Console.WriteLine(recommender.Options.Feedback == Feedback.Explicit
                    ? $"User {id} has no ratings in the training data: these are the items with the best baseline rating."
                    : $"User {id} has no interactions in the training data: these are the most popular items.");
            string score = recommender.Options.Feedback == Feedback.Explicit ? "predicted rating" : "score";
            Console.WriteLine($"rank  item  {score}");
            for (int i = 0; i < top.Count; i++) Console.WriteLine(string.Create(Inv, $"{i + 1,4}  {top[i].Item}  {top[i].Score:F3}"));
            return Task.FromResult(0);
        });
        return command;
    }

    private static Command CreateEvaluate()
    {
        var data = Ratings("--data", "--train", "The training ratings (MovieLens u1.base, ratings.dat or CSV).");
        var test = new Option<string>("--test") { Description = "The test ratings, in the same format (MovieLens u1.test).", Required = true };
        var epochs = Epochs();
        var seed = Seed();
        var json = CommonOptions.Json();
        var command = new Command("evaluate", "Train on one file, test on another: RMSE of predicted ratings beside biased matrix factorisation and baselines; top-10 ranking for CDAE, MF and popularity.")
        {
            data, test, epochs, seed, json,
        };
        command.SetAction((parse, cancel) =>
        {
            RecommenderOptions options = Read(parse, null, epochs, seed);
            Ratings train = RatingsFile.Read(parse.GetValue(data)!), tested = RatingsFile.Read(parse.GetValue(test)!);
            bool quiet = parse.GetValue(json);
            RecommenderEvaluationResult r = quiet
                ? RecommenderEvaluation.Run(train, tested, options, cancel: cancel)
                : TrainingProgressView.Run($"Training on {Counted.Of(train.Count, "rating")}", progress => RecommenderEvaluation.Run(train, tested, options, progress: progress, cancel: cancel));
            if (quiet)
            {
                object Ranking(RankingMetrics? m) => m is null ? null! : new { precision = m.Precision, recall = m.Recall, ndcg = m.Ndcg, hit_rate = m.HitRate, users = m.Users };
                JsonOutput.Print(new
                {
                    rmse = r.Rmse, mae = r.Mae, fallback_ratings = r.FallbackRatings, mf_rmse = r.MatrixFactorizationRmse, baseline_rmse = r.BaselineRmse,
                    global_mean_rmse = r.GlobalMeanRmse, k = RecommenderEvaluation.DefaultK, relevant_from = RecommenderEvaluation.DefaultRelevantFrom,
                    cdae = Ranking(r.Cdae), autorec_ranking = Ranking(r.AutoRecRanking), mf_ranking = Ranking(r.MatrixFactorizationRanking),
                    popularity = Ranking(r.Popularity), train_samples_per_s = r.TrainingSamplesPerSecond, fit_seconds = r.Seconds,
                });
                return Task.FromResult(0);
            }
            Console.WriteLine(string.Create(Inv, $"Trained on {Counted.Of(train.Count, "rating")}, tested on {Counted.Of(tested.Count, "rating")} ({r.FallbackRatings} with a user or item unknown to training)."));
            Console.WriteLine(string.Create(Inv,
                $"RMSE: AutoRec {r.Rmse:F4} (MAE {r.Mae:F4}), biased MF {r.MatrixFactorizationRmse:F4}, baseline μ + b_u + b_i {r.BaselineRmse:F4}, global mean {r.GlobalMeanRmse:F4}"));
            Console.WriteLine(string.Create(Inv,
                $"Top {RecommenderEvaluation.DefaultK} (test ratings ≥ {RecommenderEvaluation.DefaultRelevantFrom} relevant, {Counted.Of(r.Popularity.Users, "user")}): precision  recall  NDCG  hit rate"));
            foreach (var (name, m) in new[] { ("CDAE", r.Cdae), ("AutoRec", r.AutoRecRanking), ("biased MF", r.MatrixFactorizationRanking), ("popularity", r.Popularity) })
                if (m is not null) Console.WriteLine(string.Create(Inv, $"  {name,-10}  {m.Precision:F4}  {m.Recall:F4}  {m.Ndcg:F4}  {m.HitRate:F4}"));
            return Task.FromResult(0);
        });
        return command;
    }
}
