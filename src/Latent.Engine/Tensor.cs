using System.Globalization;
using System.Text;
using Latent.Engine.Autograd;

namespace Latent.Engine;

/// <summary>
/// A float32 tensor: contiguous, row-major, with a shape. Storage comes from <see cref="TensorPool"/>;
/// <see cref="Reshape"/> is a free view of the same storage. A tensor that <see cref="RequiresGrad"/>
/// takes part in reverse-mode autograd: operations on it record how to propagate gradients, and
/// <see cref="Backward"/> on a scalar result fills <see cref="Grad"/> of every leaf that requires it.
/// </summary>
/// <remarks>
/// After <see cref="Backward"/>, the storage of the graph's intermediate tensors (the results of
/// operations, other than scalars and the loss itself) returns to the pool; reading one then throws.
/// Read what you need before calling Backward, or use <see cref="Detach"/> to keep a copy.
/// </remarks>
public sealed partial class Tensor : IDisposable
{
    private float[]? _storage;      // owned pooled storage; null for a view or after release
    private readonly Tensor? _base; // the tensor whose storage a view shares
    private readonly int[] _shape;
    private Tensor? _grad;
    private bool _gradValid;
    internal GradFn? GradFn;
    internal int VisitStamp;

    private Tensor(int[] shape, float[] storage)
    {
        _shape = shape;
        _storage = storage;
        Length = Shapes.Product(shape);
    }

    private Tensor(int[] shape, Tensor viewOf)
    {
        _shape = shape;
        _base = viewOf._base ?? viewOf;
        Length = viewOf.Length;
    }

    /// <summary>The size of each dimension. Do not modify the returned array.</summary>
    public IReadOnlyList<int> Shape => _shape;

    internal int[] ShapeArray => _shape;

    /// <summary>Number of dimensions (0 for a scalar).</summary>
    public int Rank => _shape.Length;

    /// <summary>Number of elements.</summary>
    public int Length { get; }

    /// <summary>Size of dimension <paramref name="axis"/>; negative axes count from the end.</summary>
    public int Dim(int axis) => _shape[Shapes.NormalizeAxis(axis, Rank)];

    /// <summary>The elements in row-major order. Writing to a tensor that is part of a graph corrupts its gradients.</summary>
    public Span<float> Span => new(Storage, 0, Length);

    internal float[] Storage => _base?.Storage ?? _storage ?? throw new InvalidOperationException(
        "This tensor's storage has been released (by Dispose, or by Backward for an intermediate result); " +
        "read the values you need before calling Backward, or keep a copy with Detach().");

    /// <summary>Whether gradients flow to this tensor. Set it on leaves (parameters, inputs).</summary>
    public bool RequiresGrad { get; set; }

    /// <summary>Whether this tensor was made by an operation that records a gradient function.</summary>
    public bool IsLeaf => GradFn is null;

    /// <summary>The accumulated gradient of a leaf after <see cref="Backward"/>, or null when none has flowed since <see cref="ZeroGrad"/>.</summary>
    public Tensor? Grad => _gradValid ? _grad : null;

    /// <summary>Forgets the gradient but keeps its storage for the next backward pass.</summary>
    public void ZeroGrad() => _gradValid = false;

    /// <summary>
    /// Where the gradient of this tensor goes: the existing gradient (accumulate) or, when none is valid,
    /// a buffer whose old contents must be overwritten.
    /// </summary>
    internal Span<float> GradTarget(out bool accumulate)
    {
        accumulate = _gradValid;
        if (_grad is null || _grad._storage is null) _grad = Uninitialized(_shape);
        _gradValid = true;
        return _grad.Span;
    }

    /// <summary>Releases a non-leaf gradient buffer to the pool (used during backward).</summary>
    internal void ReleaseGrad()
    {
        _gradValid = false;
        _grad?.Dispose();
        _grad = null;
    }

    /// <summary>Whether this tensor takes part in the graph being recorded.</summary>
    internal bool TracksGrad => RequiresGrad || GradFn is not null;

    /// <summary>Computes the gradient of this scalar with respect to every leaf that requires it; see <see cref="Autograd.Backprop"/>.</summary>
    public void Backward() => Backprop.Run(this);

    /// <summary>Scope in which no graph is recorded: <c>using (Tensor.NoGrad()) { ... }</c>.</summary>
    public static NoGradScope NoGrad() => GradMode.Disable();

    /// <summary>The single value of a one-element tensor.</summary>
    public float Item() => Length == 1
        ? Storage[0]
        : throw new InvalidOperationException($"Item() needs a tensor with one element; this one has shape {Shapes.Format(_shape)}.");

    /// <summary>A copy of the elements.</summary>
    public float[] ToArray() => Span.ToArray();

    /// <summary>The element at a full index, for tests and debugging.</summary>
    public float At(params int[] index) => Storage[Shapes.Offset(_shape, index)];

    /// <summary>A copy outside any graph; it survives <see cref="Backward"/> and <see cref="Dispose"/> of this one.</summary>
    public Tensor Detach()
    {
        var copy = Uninitialized(_shape);
        Span.CopyTo(copy.Span);
        return copy;
    }

    /// <summary>Whether the two are the same storage (one is a view of the other, or both view the same tensor).</summary>
    public bool SharesStorageWith(Tensor other) => (_base ?? this) == (other._base ?? other);

    /// <summary>Returns the storage to the pool now instead of leaving it to the GC. Views do not own storage.</summary>
    public void Dispose()
    {
        if (_storage is { } s)
        {
            _storage = null;
            TensorPool.Return(s);
        }
        GradFn = null;
    }

    // ---------------------------------------------------------------- creation

    /// <summary>A tensor of the given shape filled with zeros.</summary>
    public static Tensor Zeros(params int[] shape)
    {
        var t = Uninitialized(shape);
        t.Span.Clear();
        return t;
    }

    /// <summary>A tensor of the given shape filled with <paramref name="value"/>.</summary>
    public static Tensor Full(float value, params int[] shape)
    {
        var t = Uninitialized(shape);
        t.Span.Fill(value);
        return t;
    }

    /// <summary>A tensor of ones with the given shape.</summary>
    public static Tensor Ones(params int[] shape) => Full(1f, shape);

    /// <summary>A scalar (rank 0) tensor.</summary>
    public static Tensor Scalar(float value) => Full(value, []);

    /// <summary>A tensor with a copy of <paramref name="values"/>, whose length must match the shape.</summary>
    public static Tensor FromArray(ReadOnlySpan<float> values, params int[] shape)
    {
        int n = Shapes.Product(Shapes.Validate(shape));
        if (values.Length != n)
            throw new ArgumentException($"{values.Length} values cannot fill a tensor of shape {Shapes.Format(shape)} ({n} elements).");
        var t = Uninitialized(shape);
        values.CopyTo(t.Span);
        return t;
    }

    /// <summary>A tensor of uniform random values in [low, high).</summary>
    public static Tensor Uniform(Rng rng, float low, float high, params int[] shape)
    {
        var t = Uninitialized(shape);
        rng.FillUniform(t.Span, low, high);
        return t;
    }

    /// <summary>A tensor of normal random values.</summary>
    public static Tensor Normal(Rng rng, float mean, float std, params int[] shape)
    {
        var t = Uninitialized(shape);
        rng.FillNormal(t.Span, mean, std);
        return t;
    }

    /// <summary>Storage from the pool with unspecified contents; every caller overwrites all of it.</summary>
    internal static Tensor Uninitialized(int[] shape)
    {
        Shapes.Validate(shape);
        return new Tensor((int[])shape.Clone(), TensorPool.Rent(Shapes.Product(shape)));
    }

    internal static Tensor UninitializedLike(Tensor t) => new(t._shape, TensorPool.Rent(t.Length));

    internal static Tensor ViewOf(Tensor t, int[] shape) => new(shape, t);

    // ---------------------------------------------------------------- operators

    /// <summary>Element-wise a + b, broadcasting (<see cref="Ops.Add"/>).</summary>
    public static Tensor operator +(Tensor a, Tensor b) => Ops.Add(a, b);
    /// <summary>Element-wise a − b, broadcasting.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => Ops.Subtract(a, b);
    /// <summary>Element-wise a · b, broadcasting.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => Ops.Multiply(a, b);
    /// <summary>Element-wise a / b, broadcasting.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => Ops.Divide(a, b);
    /// <summary>Adds a number to every element.</summary>
    public static Tensor operator +(Tensor a, float b) => Ops.AddScalar(a, b);
    /// <summary>Adds a number to every element.</summary>
    public static Tensor operator +(float a, Tensor b) => Ops.AddScalar(b, a);
    /// <summary>Subtracts a number from every element.</summary>
    public static Tensor operator -(Tensor a, float b) => Ops.AddScalar(a, -b);
    /// <summary>A number minus every element.</summary>
    public static Tensor operator -(float a, Tensor b) => Ops.AddScalar(Ops.Scale(b, -1f), a);
    /// <summary>Multiplies every element by a number.</summary>
    public static Tensor operator *(Tensor a, float b) => Ops.Scale(a, b);
    /// <summary>Multiplies every element by a number.</summary>
    public static Tensor operator *(float a, Tensor b) => Ops.Scale(b, a);
    /// <summary>Divides every element by a number.</summary>
    public static Tensor operator /(Tensor a, float b) => Ops.Scale(a, 1f / b);
    /// <summary>Negates every element.</summary>
    public static Tensor operator -(Tensor a) => Ops.Scale(a, -1f);

    // ---------------------------------------------------------------- fluent forms of common ops

    /// <summary>The same values with a new shape (a view; one size may be −1); see <see cref="Ops.Reshape"/>.</summary>
    public Tensor Reshape(params int[] shape) => Ops.Reshape(this, shape);
    /// <summary>The matrix product with <paramref name="other"/>, either side optionally transposed; see <see cref="Ops.MatMul"/>.</summary>
    public Tensor MatMul(Tensor other, bool transposeThis = false, bool transposeOther = false) =>
        Ops.MatMul(this, other, transposeThis, transposeOther);
    /// <summary>The sum of all elements (a scalar tensor).</summary>
    public Tensor Sum() => Ops.Sum(this);
    /// <summary>Sums along <paramref name="axis"/>, keeping it as size 1 when <paramref name="keepDim"/>.</summary>
    public Tensor Sum(int axis, bool keepDim = false) => Ops.Sum(this, axis, keepDim);
    /// <summary>The mean of all elements (a scalar tensor).</summary>
    public Tensor Mean() => Ops.Mean(this);
    /// <summary>Means along <paramref name="axis"/>, keeping it as size 1 when <paramref name="keepDim"/>.</summary>
    public Tensor Mean(int axis, bool keepDim = false) => Ops.Mean(this, axis, keepDim);

    /// <summary>The shape and the first few values, for debugging.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder("Tensor").Append(Shapes.Format(_shape));
        if (_storage is null && _base is null) return sb.Append(" (released)").ToString();
        sb.Append(" [");
        int shown = Math.Min(Length, 8);
        for (int i = 0; i < shown; i++)
            sb.Append(i == 0 ? "" : ", ").Append(Storage[i].ToString("G5", CultureInfo.InvariantCulture));
        return sb.Append(Length > shown ? ", ...]" : "]").ToString();
    }
}
