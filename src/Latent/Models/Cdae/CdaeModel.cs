using Latent.Data;
using Latent.Engine;
using Latent.Engine.Losses;
using Latent.Engine.Nn;
using Latent.Training;

namespace Latent.Models.Cdae;

/// <summary>
/// CDAE: a user's interactions y ([items], 1 where the user interacted) are corrupted by dropout into ỹ, encoded with the
/// user's own embedding, h = σ(ỹ·W + V_u + b), and decoded to a logit per item, ŷ_i = h·W'_i + b'_i. The logistic loss
/// counts every interaction and <see cref="CdaeOptions.NegativeSamples"/> random other items per interaction, so a step
/// costs what the user's interactions cost, never the whole catalogue. A batch is a list of user numbers ([n, 1]).
/// </summary>
internal sealed class CdaeModel : ITrainable
{
    private readonly RatingMatrix _byUser;
    private readonly CdaeOptions _options;
    private readonly CdaeNetwork _net;
    private Tensor? _codes;

    public CdaeModel(RatingMatrix byUser, CdaeOptions options, Rng rng)
    {
        _byUser = byUser;
        _options = options;
        _net = new CdaeNetwork(byUser.Columns, byUser.Rows, options.Hidden, rng);
    }

    public Module Network => _net;

    public Tensor Loss(Tensor batch, Rng rng)
    {
        int[] users = new int[batch.Length];
        for (int i = 0; i < users.Length; i++) users[i] = (int)batch.Span[i];
        Tensor h = _net.Encode(_byUser.Batch(users, _options.Corruption, rng, Interaction), users);

        var rows = new List<int>();
        var items = new List<int>();
        var labels = new List<float>();
        for (int i = 0; i < users.Length; i++)
        {
            ReadOnlySpan<int> seen = _byUser.ColumnsOf(users[i]);
            foreach (int item in seen)
            {
                rows.Add(i);
                items.Add(item);
                labels.Add(1f);
            }
            int negatives = Math.Min(seen.Length * _options.NegativeSamples, _byUser.Columns - seen.Length);
            for (int n = 0; n < negatives; n++)
            {
                int item = rng.NextInt(_byUser.Columns);
                for (int tries = 0; tries < 8 && seen.BinarySearch(item) >= 0; tries++) item = rng.NextInt(_byUser.Columns);
                rows.Add(i);
                items.Add(item);
                labels.Add(seen.BinarySearch(item) >= 0 ? 1f : 0f);
            }
        }
        Tensor logits = Ops.SampledLinear(h, _net.DecoderWeight, _net.DecoderBias, rows.ToArray(), items.ToArray());
        Tensor loss = Engine.Losses.Loss.BinaryCrossEntropyWithLogits(logits, Tensor.FromArray(labels.ToArray(), labels.Count), reduction: Reduction.Sum);
        if (_options.L2 > 0)
        {
            float share = (float)users.Length / _byUser.Rows;
            loss = loss + (Ops.Sum(_net.EncoderWeight * _net.EncoderWeight) + Ops.Sum(_net.DecoderWeight * _net.DecoderWeight)
                + Ops.Sum(_net.UserEmbedding * _net.UserEmbedding)) * (_options.L2 / 2 * share);
        }
        return loss * (1f / Math.Max(1, labels.Count));
    }

    private static float Interaction(float rating) => 1f;

    public History Fit(IProgress<TrainingProgress>? progress, CancellationToken cancel, ulong seed)
    {
        using Tensor users = Tensor.FromArray([.. Enumerable.Range(0, _byUser.Rows).Select(r => (float)r)], _byUser.Rows, 1);
        var fit = new FitOptions
        {
            Epochs = _options.Epochs,
            BatchSize = _options.BatchSize,
            LearningRate = _options.LearningRate,
            ValidationFraction = 0,
            RestoreBestWeights = false,
            Seed = seed,
        };
        History history = Trainer.Fit(this, users, fit, progress, cancel);
        _codes = null;
        return history;
    }

    /// <summary>Every user's code from all their interactions, uncorrupted [users, hidden], computed once.</summary>
    public Tensor Codes
    {
        get
        {
            if (_codes is { } codes) return codes;
            lock (_byUser)
            {
                if (_codes is not null) return _codes;
                using var _ = Tensor.NoGrad();
                int[] all = [.. Enumerable.Range(0, _byUser.Rows)];
                return _codes = _net.Encode(_byUser.Batch(all, map: Interaction), all);
            }
        }
    }

    /// <summary>The logit that <paramref name="user"/> interacts with <paramref name="item"/>.</summary>
    public float Score(int user, int item)
    {
        int k = _options.Hidden;
        return System.Numerics.Tensors.TensorPrimitives.Dot(Codes.Span.Slice(user * k, k), _net.DecoderWeight.Span.Slice(item * k, k)) + _net.DecoderBias.Span[item];
    }
}
