using System.Text.Json;
using Latent.Data;
using Latent.Engine;
using Latent.Models;
using Latent.Models.AutoRec;
using Latent.Models.Cdae;
using Latent.Training;

namespace Latent.Applications.Recommendation;

/// <summary>
/// Predicts ratings and recommends items from (user, item, rating) rows. Explicit feedback: AutoRec networks and a
/// biased matrix factorisation whose predictions, with the damped baseline's, are blended linearly (weights learned on
/// held-out ratings, see <see cref="RecommenderOptions.BlendHoldout"/>) and clipped to the ratings' range.
/// Implicit feedback: a collaborative denoising autoencoder ranks the items by the chance of an interaction. A user or
/// item without training rows falls back to the damped baseline μ + b_u + b_i without the unknown side's bias
/// (explicit), or to the items' popularity (implicit). The training rows are kept with the model: they are its input
/// at prediction time and tell which items a user has seen.
/// </summary>
/// <example>
/// <code>
/// Recommender recommender = Recommender.Fit(RatingsFile.Read("u.data"));
/// float stars = recommender.Predict(user: "42", item: "50");
/// IReadOnlyList&lt;RecommendedItem&gt; top = recommender.TopN("42", n: 10);
/// recommender.Save("rec.safetensors");
/// </code>
/// </example>
[ModelKind("recommender", "a recommender")]
public sealed class Recommender : ISavedModel
{
    private const string IdsKey = "latent.recommender";
    private const int MaxIds = 1 << 24;   // ids are stored as float32 numbers, exact up to 2^24

    private readonly RatingIndex _ratings;
    private readonly RatingMatrix _byUser;
    private readonly BaselineBiases _baseline;
    private readonly int[] _popularity;
    private readonly int _mostPopular;
    private readonly List<AutoRecModel> _autoRec;
    private readonly BiasedMatrixFactorization? _factorization;
    private readonly CdaeModel? _cdae;
    private readonly float[] _blend;
    private readonly float _lowest, _highest;

    private Recommender(RatingIndex ratings, BaselineBiases baseline, RecommenderOptions options, List<AutoRecModel> autoRec, BiasedMatrixFactorization? factorization,
        float[] blend, CdaeModel? cdae, IReadOnlyList<History> histories)
    {
        _ratings = ratings;
        _byUser = ratings.ByUser();
        _baseline = baseline;
        _popularity = new int[ratings.Items];
        foreach (int item in ratings.Item) _popularity[item]++;
        _mostPopular = _popularity.Max();
        _autoRec = autoRec;
        _factorization = factorization;
        _blend = blend;
        _cdae = cdae;
        _lowest = ratings.Value.Min();
        _highest = ratings.Value.Max();
        Options = options;
        Histories = histories;
    }

    /// <summary>The options it was fitted with.</summary>
    public RecommenderOptions Options { get; }

    /// <summary>Each network's training run, in the order they were trained (empty after <see cref="Open"/>).</summary>
    public IReadOnlyList<History> Histories { get; }

    /// <summary>How many users have training rows.</summary>
    public int Users => _ratings.Users;

    /// <summary>How many items have training rows.</summary>
    public int Items => _ratings.Items;

    /// <summary>How many (user, item) ratings it learned from (a pair rated twice counts once, with its later rating).</summary>
    public int RatingCount => _ratings.Count;

    /// <summary>Whether the user has training rows (otherwise predictions fall back to the baseline or popularity).</summary>
    public bool KnowsUser(string user) => _ratings.UserOf(user) >= 0;

    /// <summary>Whether the item has training rows.</summary>
    public bool KnowsItem(string item) => _ratings.ItemOf(item) >= 0;

    /// <summary>Learns from the rows of <paramref name="ratings"/>.</summary>
    /// <param name="ratings">The (user, item, rating) rows.</param>
    /// <param name="options">How to learn; null for the defaults.</param>
    /// <param name="cancel">Stops training between batches.</param>
    /// <param name="progress">Told of every network's epochs, with <see cref="TrainingProgress.Stage"/> "network 2 of 3" when there are several
    /// ("blend, network 2 of 3" while the members are trained to learn the blend).</param>
    /// <exception cref="ArgumentException">There are no ratings, too many users or items, or a setting is impossible.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> was triggered.</exception>
    public static Recommender Fit(Ratings ratings, RecommenderOptions? options = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(ratings);
        options ??= new RecommenderOptions();
        options.Validate();
        if (ratings.Count == 0) throw new ArgumentException("There are no ratings to learn from.");
        RatingIndex index = RatingIndex.Of(ratings);
        if (index.Users >= MaxIds || index.Items >= MaxIds) throw new ArgumentException($"A recommender handles up to {MaxIds - 1} users and items; these ratings have {index.Users} users and {index.Items} items.");

        var baseline = BaselineBiases.Fit(index);
        if (options.Feedback == Feedback.Implicit)
        {
            var cdae = new CdaeModel(index.ByUser(), options.Cdae, new Rng(options.Seed));
            History history = cdae.Fit(progress, cancel, options.Seed);
            cancel.ThrowIfCancellationRequested();
            return new Recommender(index, baseline, options, [], null, [], cdae, [history]);
        }
        float[] blend = LearnBlend(index, options, progress, cancel) ?? Average(options);
        var histories = new List<History>();
        var matrices = new Matrices(index, baseline);
        var autoRec = new List<AutoRecModel>();
        int networks = options.AutoRec.Count;
        for (int m = 0; m < networks; m++)
        {
            AutoRecOptions member = options.AutoRec[m];
            ulong seed = options.Seed + (ulong)m;
            var model = new AutoRecModel(matrices.For(member), member, new Rng(seed));
            string stage = $"network {m + 1} of {networks}";
            histories.Add(model.Fit(networks == 1 ? progress : StagedProgress.Named(progress, stage), cancel, seed));
            cancel.ThrowIfCancellationRequested();
            autoRec.Add(model);
        }
        BiasedMatrixFactorization? factorization = options.MatrixFactorization is { } mf ? BiasedMatrixFactorization.Fit(index, mf, options.Seed + (ulong)networks, cancel) : null;
        return new Recommender(index, baseline, options, autoRec, factorization, blend, null, histories);
    }

    /// <summary>Fewer held-out ratings than this per blend weight and the members are averaged instead (too few to weigh them by).</summary>
    private const int HeldOutPerWeight = 20;

    /// <summary>The members and the baseline: what the blend weighs before <see cref="RecommenderOptions.BlendBySupport"/>.</summary>
    private static int Predictors(RecommenderOptions options) => options.AutoRec.Count + (options.MatrixFactorization is null ? 0 : 1) + 1;

    /// <summary>
    /// The blend's inputs: every predictor's prediction, and with <see cref="RecommenderOptions.BlendBySupport"/> each
    /// of them times s_u = ln(1 + the user's ratings) and times s_i = ln(1 + the item's ratings), then s_u and s_i.
    /// </summary>
    private static int BlendInputCount(RecommenderOptions options) => options.BlendBySupport ? 3 * Predictors(options) + 2 : Predictors(options);

    /// <summary>The blend that averages the members: no intercept, equal weights, nothing for the baseline or the support.</summary>
    private static float[] Average(RecommenderOptions options)
    {
        var weights = new float[BlendInputCount(options) + 1];
        int members = Predictors(options) - 1;
        weights.AsSpan(1, members).Fill(1f / members);
        return weights;
    }

    /// <summary>
    /// Stacking: the members are trained on all but <see cref="RecommenderOptions.BlendHoldout"/> of the ratings, and the
    /// blend weights fitted to the held-out ones; null when there is no holdout or it would be too small.
    /// </summary>
    private static float[]? LearnBlend(RatingIndex index, RecommenderOptions options, IProgress<TrainingProgress>? progress, CancellationToken cancel)
    {
        int inputs = BlendInputCount(options);
        if (options.BlendHoldout == 0 || options.BlendHoldout * index.Count < HeldOutPerWeight * (inputs + 1)) return null;
        var rng = new Rng(options.Seed ^ 0xB1E4D);
        bool[] held = [.. Enumerable.Range(0, index.Count).Select(_ => rng.NextFloat() < options.BlendHoldout)];
        var all = new Ratings([.. index.User.Select(u => index.UserIds[u])], [.. index.Item.Select(i => index.ItemIds[i])], index.Value);
        Ratings heldOut = all.Select(Enumerable.Range(0, index.Count).Where(j => held[j]));
        Recommender part = Fit(all.Select(Enumerable.Range(0, index.Count).Where(j => !held[j])), options with { BlendHoldout = 0 }, Prefixed(progress, "blend"), cancel);
        // Ratings of users or items the part did not see are left out: the fall-back, not the blend, predicts those.
        var predictions = new List<float[]>();
        var targets = new List<float>();
        for (int r = 0; r < heldOut.Count; r++)
        {
            int user = part._ratings.UserOf(heldOut.Users[r]), item = part._ratings.ItemOf(heldOut.Items[r]);
            if (user < 0 || item < 0) continue;
            var row = new float[inputs];
            part.BlendInputs(user, item, row);
            predictions.Add(row);
            targets.Add(heldOut.Values[r]);
        }
        return LinearBlend.Fit([.. predictions], [.. targets]);
    }

    /// <summary>The rating matrices the AutoRec networks train on, each built once: by item or by user, of ratings or of residuals.</summary>
    private sealed class Matrices(RatingIndex index, BaselineBiases baseline)
    {
        private readonly Dictionary<(bool ItemBased, bool Residual), RatingMatrix> _built = [];

        public RatingMatrix For(AutoRecOptions member)
        {
            var key = (member.ItemBased, member.Residual);
            if (_built.TryGetValue(key, out RatingMatrix? matrix)) return matrix;
            float[]? values = member.Residual ? [.. Enumerable.Range(0, index.Count).Select(j => index.Value[j] - baseline.Predict(index.User[j], index.Item[j]))] : null;
            return _built[key] = member.ItemBased ? index.ByItem(values) : index.ByUser(values);
        }
    }

    private static IProgress<TrainingProgress>? Prefixed(IProgress<TrainingProgress>? progress, string prefix) =>
        progress is null ? null : new InlineProgress<TrainingProgress>(p => progress.Report(p with { Stage = p.Stage is null ? prefix : $"{prefix}, {p.Stage}" }));

    // ------------------------------------------------------------------ use

    /// <summary>
    /// The predicted rating of <paramref name="item"/> by <paramref name="user"/> (explicit feedback), or the chance
    /// that the user interacts with it (implicit). An unknown user or item gets the fall-back (see the class summary).
    /// </summary>
    public float Predict(string user, string item)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(item);
        return Predict(_ratings.UserOf(user), _ratings.ItemOf(item));
    }

    private float Predict(int user, int item)
    {
        if (Options.Feedback == Feedback.Implicit)
        {
            if (item < 0) return 0f;
            if (user < 0) return (float)_popularity[item] / _mostPopular;
            return 1f / (1f + MathF.Exp(-_cdae!.Score(user, item)));
        }
        if (user < 0 || item < 0) return Math.Clamp(_baseline.Predict(user, item), _lowest, _highest);
        Span<float> inputs = stackalloc float[_blend.Length - 1];   // a few dozen at most
        BlendInputs(user, item, inputs);
        return Math.Clamp(LinearBlend.Apply(_blend, inputs), _lowest, _highest);
    }

    /// <summary>
    /// What the blend weighs for a known user and item (<see cref="BlendInputCount"/>): every AutoRec network's
    /// prediction, the matrix factorisation's and the damped baseline's, each clipped to the ratings' range, and with
    /// <see cref="RecommenderOptions.BlendBySupport"/> their products with the user's and the item's support.
    /// </summary>
    private void BlendInputs(int user, int item, Span<float> inputs)
    {
        for (int m = 0; m < _autoRec.Count; m++)
        {
            AutoRecOptions member = Options.AutoRec[m];
            float predicted = (member.ItemBased ? _autoRec[m].Predict(item, user) : _autoRec[m].Predict(user, item)) + (member.Residual ? _baseline.Predict(user, item) : 0f);
            inputs[m] = Math.Clamp(predicted, _lowest, _highest);
        }
        if (_factorization is not null) inputs[_autoRec.Count] = Math.Clamp(_factorization.Predict(user, item), _lowest, _highest);
        int k = Predictors(Options);
        inputs[k - 1] = Math.Clamp(_baseline.Predict(user, item), _lowest, _highest);
        if (!Options.BlendBySupport) return;
        float userSupport = MathF.Log(1 + _byUser.ColumnsOf(user).Length), itemSupport = MathF.Log(1 + _popularity[item]);
        for (int p = 0; p < k; p++)
        {
            inputs[k + p] = inputs[p] * userSupport;
            inputs[2 * k + p] = inputs[p] * itemSupport;
        }
        inputs[3 * k] = userSupport;
        inputs[3 * k + 1] = itemSupport;
    }

    /// <summary>
    /// The <paramref name="n"/> items with the highest scores for <paramref name="user"/> (<see cref="Predict(string, string)"/>),
    /// best first (ties by the order items first appeared in the training rows); with <paramref name="excludeSeen"/>
    /// the items the user rated in training are left out. An unknown user gets the items with the best baseline
    /// (explicit) or the most popular ones (implicit).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="n"/> is less than 1.</exception>
    public IReadOnlyList<RecommendedItem> TopN(string user, int n = 10, bool excludeSeen = true)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (n < 1) throw new ArgumentException($"The number of recommendations must be at least 1, not {n}.");
        int u = _ratings.UserOf(user);
        float[] scores = Scores(u);
        ReadOnlySpan<int> seen = u >= 0 && excludeSeen ? _byUser.ColumnsOf(u) : [];
        return [.. Ranking.Top(scores, n, seen).Select(i => new RecommendedItem(_ratings.ItemIds[i], scores[i]))];
    }

    /// <summary>Every item's score for user number <paramref name="user"/> (−1: unknown).</summary>
    internal float[] Scores(int user)
    {
        var scores = new float[_ratings.Items];
        for (int i = 0; i < scores.Length; i++) scores[i] = Predict(user, i);
        return scores;
    }

    /// <summary>The numbers of users and items, for evaluations that score many pairs.</summary>
    internal RatingIndex Index => _ratings;

    /// <summary>The items user number <paramref name="user"/> rated in training, ascending.</summary>
    internal ReadOnlySpan<int> Seen(int user) => _byUser.ColumnsOf(user);

    // ------------------------------------------------------------------ files

    /// <summary>Saves the recommender (networks, training rows, ids, options) as one safetensors file, atomically.</summary>
    public void Save(string path) => ModelFile.Save(path, ((ISavedModel)this).Content());

    ModelContent ISavedModel.Content()
    {
        var tensors = new List<(string, Tensor)>
        {
            ("ratings.user", Numbers(_ratings.User)),
            ("ratings.item", Numbers(_ratings.Item)),
            ("ratings.value", Tensor.FromArray(_ratings.Value, _ratings.Count)),
        };
        for (int m = 0; m < _autoRec.Count; m++) tensors.AddRange(_autoRec[m].Network.NamedTensors().Select(t => ($"autorec.{m}.{t.Name}", t.Tensor)));
        if (_factorization is { } mf)
        {
            tensors.Add(("mf.mean", Tensor.FromArray([mf.Mean], 1)));
            tensors.Add(("mf.user_bias", Tensor.FromArray(mf.UserBias, mf.UserBias.Length)));
            tensors.Add(("mf.item_bias", Tensor.FromArray(mf.ItemBias, mf.ItemBias.Length)));
            tensors.Add(("mf.user_factors", Tensor.FromArray(mf.UserFactors, _ratings.Users, mf.Factors)));
            tensors.Add(("mf.item_factors", Tensor.FromArray(mf.ItemFactors, _ratings.Items, mf.Factors)));
        }
        if (_cdae is not null) tensors.AddRange(_cdae.Network.NamedTensors().Select(t => ($"cdae.{t.Name}", t.Tensor)));
        else tensors.Add(("blend.weights", Tensor.FromArray(_blend, _blend.Length)));
        var ids = new StoredIds(_ratings.UserIds, _ratings.ItemIds);
        return ModelFile.Content(this, Options, tensors, null, null, null, new Dictionary<string, string> { [IdsKey] = JsonSerializer.Serialize(ids, ModelFile.Json) });
    }

    private sealed record StoredIds(string[] Users, string[] Items);

    private static Tensor Numbers(int[] values) => Tensor.FromArray([.. values.Select(v => (float)v)], values.Length);

    /// <summary>Reads a recommender saved by <see cref="Save"/>; refuses other files with a clear message.</summary>
    /// <exception cref="InvalidDataException">The file is not a recommender, or is damaged.</exception>
    public static Recommender Open(string path)
    {
        var (content, options) = ModelFile.Read<Recommender, RecommenderOptions>(path, o => o.Validate());
        StoredIds ids;
        try
        {
            ids = JsonSerializer.Deserialize<StoredIds>(content.Metadata.GetValueOrDefault(IdsKey) ?? "", ModelFile.Json) ?? throw new JsonException();
            if (ids.Users is null || ids.Items is null) throw new JsonException();
        }
        catch (JsonException)
        {
            throw new InvalidDataException($"'{path}' lacks the recommender's user and item ids.");
        }
        IReadOnlyDictionary<string, Tensor> tensors = content.Tensors;
        var used = new HashSet<string> { "ratings.user", "ratings.item", "ratings.value" };
        Tensor Get(string name) => tensors.TryGetValue(name, out Tensor? t) ? t : throw new InvalidDataException($"'{path}' lacks the tensor '{name}' that this recommender needs.");
        float[] Part(string name, int length)
        {
            used.Add(name);
            Tensor t = Get(name);
            return t.Length == length ? t.ToArray() : throw new InvalidDataException($"'{path}': tensor '{name}' has {t.Length} values, not {length}.");
        }
        float[] values = Get("ratings.value").ToArray();
        int[] users = Indices(Get("ratings.user"), ids.Users.Length, values.Length, path), items = Indices(Get("ratings.item"), ids.Items.Length, values.Length, path);
        RatingIndex index = RatingIndex.Of(ids.Users, ids.Items, users, items, values);
        var baseline = BaselineBiases.Fit(index);
        var matrices = new Matrices(index, baseline);

        var autoRec = new List<AutoRecModel>();
        CdaeModel? cdae = null;
        BiasedMatrixFactorization? factorization = null;
        float[] blend = [];
        if (options.Feedback == Feedback.Explicit)
        {
            for (int m = 0; m < options.AutoRec.Count; m++)
            {
                AutoRecOptions member = options.AutoRec[m];
                var model = new AutoRecModel(matrices.For(member), member, new Rng(0));
                Assign(path, model.Network, $"autorec.{m}.", tensors, used);
                autoRec.Add(model);
            }
            if (options.MatrixFactorization is { } mf)
                factorization = new BiasedMatrixFactorization(Part("mf.mean", 1)[0], Part("mf.user_bias", index.Users), Part("mf.item_bias", index.Items),
                    Part("mf.user_factors", index.Users * mf.Factors), Part("mf.item_factors", index.Items * mf.Factors), mf.Factors);
            blend = Part("blend.weights", BlendInputCount(options) + 1);
        }
        else
        {
            cdae = new CdaeModel(index.ByUser(), options.Cdae, new Rng(0));
            Assign(path, cdae.Network, "cdae.", tensors, used);
        }
        if (tensors.Keys.FirstOrDefault(k => !used.Contains(k)) is { } unexpected) throw new InvalidDataException($"'{path}' has an unexpected tensor '{unexpected}'.");
        return new Recommender(index, baseline, options, autoRec, factorization, blend, cdae, []);
    }

    /// <summary>Copies the tensors named <paramref name="prefix"/>… into the network (names and shapes must match).</summary>
    private static void Assign(string path, Engine.Nn.Module network, string prefix, IReadOnlyDictionary<string, Tensor> tensors, HashSet<string> used)
    {
        var own = tensors.Where(t => t.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(t => t.Key[prefix.Length..], t => t.Value);
        ModelFile.AssignTensors(path, network, own);
        foreach (string name in own.Keys) used.Add(prefix + name);
    }

    private static int[] Indices(Tensor stored, int limit, int count, string path)
    {
        if (stored.Length != count) throw new InvalidDataException($"'{path}' has {stored.Length} user or item numbers for {count} ratings.");
        var numbers = new int[count];
        ReadOnlySpan<float> s = stored.Span;
        for (int i = 0; i < count; i++)
        {
            numbers[i] = (int)s[i];
            if (numbers[i] != s[i] || (uint)numbers[i] >= (uint)limit) throw new InvalidDataException($"'{path}' has a rating whose user or item number {s[i]} is not one of its ids.");
        }
        return numbers;
    }
}
