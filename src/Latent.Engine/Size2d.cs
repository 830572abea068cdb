namespace Latent.Engine;

/// <summary>
/// A height and a width: a kernel size, a stride, a dilation or an image size. An integer converts to a square
/// size, so <c>stride: 2</c> means 2×2 and <c>stride: new Size2d(2, 1)</c> strides rows only.
/// </summary>
public readonly record struct Size2d(int Height, int Width)
{
    /// <summary>A square size.</summary>
    public static implicit operator Size2d(int size) => new(size, size);

    /// <summary>Whether both sides are at least 1.</summary>
    public bool IsPositive => Height >= 1 && Width >= 1;

    /// <summary>"3" for a square size, "3×5" otherwise.</summary>
    public override string ToString() => Height == Width ? $"{Height}" : $"{Height}×{Width}";

    /// <summary>Throws unless both sides are at least 1, naming the operation and the argument.</summary>
    internal Size2d RequirePositive(string operation, string name) => IsPositive
        ? this
        : throw new ArgumentException($"{operation}: {name} must be at least 1 in both directions; got {Height}×{Width}.");
}
