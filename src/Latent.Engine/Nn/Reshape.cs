namespace Latent.Engine.Nn;

/// <summary>
/// Reshapes each sample, keeping the batch axis: [batch, ...] → [batch, shape...]. Free (a view). Joins convolutional
/// and dense layers: <c>new Reshape(16 * 4 * 4)</c> flattens [batch, 16, 4, 4] to [batch, 256], <c>new Reshape(16, 4, 4)</c>
/// undoes it.
/// </summary>
public sealed class Reshape : Module
{
    private readonly int[] _shape;

    /// <summary>A reshape of each sample to <paramref name="sampleShape"/> (positive sizes).</summary>
    public Reshape(params int[] sampleShape)
    {
        ArgumentNullException.ThrowIfNull(sampleShape);
        foreach (int d in sampleShape)
            if (d <= 0) throw new ArgumentException($"Reshape needs positive sizes; got [{string.Join(", ", sampleShape)}].");
        _shape = [-1, .. sampleShape];
    }

    /// <summary>The shape of one sample after the layer.</summary>
    public IReadOnlyList<int> SampleShape => _shape[1..];

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        int size = Shapes.Product(_shape.AsSpan(1));
        if (input.Rank == 0 || input.Length != input.Dim(0) * size)
            throw new ArgumentException($"Reshape to [batch, {string.Join(", ", SampleShape)}] cannot take input {Shapes.Format(input.ShapeArray)}.");
        int[] shape = (int[])_shape.Clone();
        shape[0] = input.Dim(0);
        return Ops.Reshape(input, shape);
    }
}
