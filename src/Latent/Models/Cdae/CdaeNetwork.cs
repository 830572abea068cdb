using Latent.Engine;
using Latent.Engine.Nn;

namespace Latent.Models.Cdae;

/// <summary>
/// CDAE's parameters: the encoder W [items, hidden] (stored so that a sparse row multiplies it at the cost of its
/// entries), its bias, one embedding per user V [users, hidden], and the decoder W' [items, hidden] with its bias.
/// </summary>
internal sealed class CdaeNetwork : Module
{
    public CdaeNetwork(int items, int users, int hidden, Rng rng)
    {
        float a = 1f / MathF.Sqrt(items), c = 1f / MathF.Sqrt(hidden);
        EncoderWeight = AddParameter("encoder.weight", Tensor.Uniform(rng, -a, a, items, hidden));
        EncoderBias = AddParameter("encoder.bias", Tensor.Zeros(hidden));
        UserEmbedding = AddParameter("users.embedding", Tensor.Uniform(rng, -a, a, users, hidden));
        DecoderWeight = AddParameter("decoder.weight", Tensor.Uniform(rng, -c, c, items, hidden));
        DecoderBias = AddParameter("decoder.bias", Tensor.Zeros(items));
    }

    public Tensor EncoderWeight { get; }
    public Tensor EncoderBias { get; }
    public Tensor UserEmbedding { get; }
    public Tensor DecoderWeight { get; }
    public Tensor DecoderBias { get; }

    /// <summary>h = σ(ỹ·W + V_u + b) for sparse interaction rows [n, items] of the users <paramref name="users"/>.</summary>
    public Tensor Encode(SparseMatrix interactions, ReadOnlySpan<int> users) =>
        Ops.Sigmoid(Ops.SparseMatMul(interactions, EncoderWeight) + Ops.SelectRows(UserEmbedding, users) + EncoderBias);

    /// <summary>The logits of dense interaction rows [n, items] of users 0..n−1 → [n, items]: the plain form of the network.</summary>
    public override Tensor Forward(Tensor input)
    {
        int[] users = [.. Enumerable.Range(0, input.Dim(0))];
        Tensor h = Ops.Sigmoid(Ops.MatMul(input, EncoderWeight) + Ops.SelectRows(UserEmbedding, users) + EncoderBias);
        return Ops.Linear(h, DecoderWeight, DecoderBias);
    }
}
