namespace Latent.Engine.Nn;

/// <summary>
/// A table of learned vectors, one per token id: ids → [ids, dimension] (a row lookup whose gradient adds into the
/// rows used). <see cref="Module.Forward"/> takes the ids as a tensor of whole numbers.
/// </summary>
public sealed class Embedding : Module
{
    /// <summary>A table of <paramref name="tokens"/> vectors of <paramref name="dimension"/> values, drawn from N(0, 1) as PyTorch does.</summary>
    public Embedding(int tokens, int dimension, Rng? rng = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tokens);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        Weight = AddParameter("weight", Tensor.Zeros(tokens, dimension));
        (rng ?? Rng.Default).FillNormal(Weight.Span, 0f, 1f);
    }

    /// <summary>The vectors: [tokens, dimension].</summary>
    public Tensor Weight { get; }

    /// <summary>The vectors of <paramref name="ids"/>, in order: [ids, dimension].</summary>
    public Tensor Lookup(ReadOnlySpan<int> ids) => Ops.SelectRows(Weight, ids);

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        ReadOnlySpan<float> values = input.Span;
        var ids = new int[values.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            float v = values[i];
            if (v != MathF.Floor(v) || v < 0 || v >= Weight.Dim(0))
                throw new ArgumentException($"Embedding: {v} is not a token id in 0..{Weight.Dim(0) - 1}.");
            ids[i] = (int)v;
        }
        return Lookup(ids).Reshape([.. input.Shape, Weight.Dim(1)]);
    }
}
