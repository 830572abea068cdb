namespace Latent.Engine;

/// <summary>Shape arithmetic and the error messages that name shapes.</summary>
internal static class Shapes
{
    public static int Product(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int d in shape) n *= d;
        return n <= int.MaxValue ? (int)n : throw new ArgumentException($"Shape {Format(shape)} has more than {int.MaxValue} elements.");
    }

    public static int[] Validate(int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        foreach (int d in shape)
            if (d < 0) throw new ArgumentException($"Shape {Format(shape)} has a negative dimension.");
        Product(shape);
        return shape;
    }

    public static string Format(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";

    public static bool Equal(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);

    public static int NormalizeAxis(int axis, int rank)
    {
        int a = axis < 0 ? axis + rank : axis;
        return a >= 0 && a < rank ? a : throw new ArgumentException($"Axis {axis} is out of range for a tensor of rank {rank}.");
    }

    public static int Offset(int[] shape, int[] index)
    {
        if (index.Length != shape.Length)
            throw new ArgumentException($"Index of rank {index.Length} for a tensor of shape {Format(shape)}.");
        int offset = 0;
        for (int i = 0; i < shape.Length; i++)
        {
            if ((uint)index[i] >= (uint)shape[i])
                throw new IndexOutOfRangeException($"Index {Format(index)} is outside shape {Format(shape)}.");
            offset = offset * shape[i] + index[i];
        }
        return offset;
    }

    /// <summary>Splits a shape around <paramref name="axis"/> into (outer, size of axis, inner) element counts.</summary>
    public static (int Outer, int Size, int Inner) AroundAxis(ReadOnlySpan<int> shape, int axis) =>
        (Product(shape[..axis]), shape[axis], Product(shape[(axis + 1)..]));

    /// <summary>Throws the standard mismatch error naming both shapes.</summary>
    public static ArgumentException Mismatch(string operation, ReadOnlySpan<int> a, ReadOnlySpan<int> b) =>
        new($"{operation}: shapes {Format(a)} and {Format(b)} do not match.");
}
