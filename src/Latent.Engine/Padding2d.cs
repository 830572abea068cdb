namespace Latent.Engine;

/// <summary>
/// Zero padding around an image for convolutions and pooling: rows added on top and bottom, columns on the left
/// and right. An integer converts to the same padding on every side; <see cref="Same"/> pads so that the output
/// has ⌈input / stride⌉ positions (Keras' and TensorFlow's "same": the odd extra row or column goes to the
/// bottom or right; with stride 1 this is PyTorch's "same" as well).
/// <code>
/// Ops.Conv2d(x, w, padding: 1);                  // 1 on every side
/// Ops.Conv2d(x, w, padding: Padding2d.Same);     // 28×28 stays 28×28 with a 3×3 kernel
/// Ops.MaxPool2d(x, 2, padding: Padding2d.Same);  // 7×7 becomes 4×4
/// </code>
/// </summary>
public readonly record struct Padding2d(int Top, int Bottom, int Left, int Right)
{
    /// <summary>No padding ("valid").</summary>
    public static Padding2d Valid => default;

    /// <summary>Whatever padding keeps ⌈input / stride⌉ output positions; resolved per input size.</summary>
    public static Padding2d Same { get; } = new() { IsSame = true };

    /// <summary>Whether this is <see cref="Same"/> (the four sides are then resolved from the input size).</summary>
    public bool IsSame { get; private init; }

    /// <summary><paramref name="rows"/> on top and bottom, <paramref name="columns"/> left and right.</summary>
    public static Padding2d Symmetric(int rows, int columns) => new(rows, rows, columns, columns);

    /// <summary>The same padding on all four sides.</summary>
    public static implicit operator Padding2d(int padding) => new(padding, padding, padding, padding);

    /// <summary>"same" or the four sides, for messages.</summary>
    public override string ToString() => IsSame ? "same" : $"(top {Top}, bottom {Bottom}, left {Left}, right {Right})";

    /// <summary>
    /// The explicit padding of one axis for an input of <paramref name="size"/> positions under a window of
    /// <paramref name="span"/> positions (dilation·(kernel − 1) + 1) moved by <paramref name="stride"/>.
    /// </summary>
    internal static (int Before, int After) SameAlong(int size, int span, int stride)
    {
        int outputs = (size + stride - 1) / stride;
        int total = Math.Max((outputs - 1) * stride + span - size, 0);
        return (total / 2, total - total / 2);
    }

    /// <summary>This padding with <see cref="Same"/> resolved for the given input, window and stride.</summary>
    internal Padding2d Resolve(string operation, Size2d input, Size2d span, Size2d stride)
    {
        if (!IsSame)
        {
            if (Top < 0 || Bottom < 0 || Left < 0 || Right < 0)
                throw new ArgumentException($"{operation}: padding must not be negative; got {this}.");
            return this;
        }
        var (top, bottom) = SameAlong(input.Height, span.Height, stride.Height);
        var (left, right) = SameAlong(input.Width, span.Width, stride.Width);
        return new Padding2d(top, bottom, left, right);
    }
}
