using Latent.Engine;

namespace Latent.Models;

/// <summary>
/// The conditional part of a <see cref="VariationalAutoencoder"/> (a CVAE): checks class labels and turns them into
/// the one-hot columns that enter the encoder (dense models) and the decoder. With 0 classes the model is
/// unconditional and takes no labels.
/// </summary>
internal sealed class ConditionalLabels(int classes)
{
    public int Classes { get; } = classes;

    public bool IsConditional => Classes > 0;

    /// <summary>Refuses labels for an unconditional model, and missing, miscounted or out-of-range labels for a conditional one.</summary>
    public void Check(int[]? labels, int rows)
    {
        if (!IsConditional)
        {
            if (labels is not null) throw new ArgumentException("This VAE is not conditional; it takes no labels.");
            return;
        }
        if (labels is null) throw new ArgumentException($"This conditional VAE needs a label (0 to {Classes - 1}) for every row.");
        if (labels.Length != rows) throw new ArgumentException($"{labels.Length} labels for {rows} rows.");
        for (int i = 0; i < labels.Length; i++)
            if (labels[i] < 0 || labels[i] >= Classes)
                throw new ArgumentException($"Label {labels[i]} of row {i} is outside 0 to {Classes - 1}.");
    }

    /// <summary>One-hot rows [count, Classes] for labels[start..start + count], or null without labels.</summary>
    public Tensor? OneHot(int[]? labels, int start, int count)
    {
        if (labels is null) return null;
        var y = Tensor.Zeros(count, Classes);
        for (int i = 0; i < count; i++) y.Span[i * Classes + labels[start + i]] = 1f;
        return y;
    }

    /// <summary>[x | one-hot label] per row: the training rows of a conditional model, so that shuffling keeps each label with its row.</summary>
    public Tensor Append(Tensor x, int[] labels)
    {
        using Tensor y = OneHot(labels, 0, labels.Length)!;
        using (Tensor.NoGrad()) return Ops.Concat([x, y], 1);
    }

    /// <summary>A training batch split back into its rows and their one-hot labels (null for an unconditional model).</summary>
    public (Tensor X, Tensor? Label) Split(Tensor batch, int inputs) => IsConditional
        ? (Ops.Slice(batch, 1, 0, inputs), Ops.Slice(batch, 1, inputs, Classes))
        : (batch, null);

    /// <summary>The same label for <paramref name="count"/> rows, or null.</summary>
    public static int[]? Repeat(int? label, int count) => label is { } l ? Enumerable.Repeat(l, count).ToArray() : null;
}
