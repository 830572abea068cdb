namespace Latent.Engine.Kernels.Gemm;

/// <summary>
/// One C = op(A)·op(B) (+ C) product as the blocked driver sees it: the operands as pointers with their
/// strides and storage orders, and <see cref="Column"/>, the index of C's first column in the caller's
/// product (the bias of the epilogue is indexed by it when the product is split across threads).
/// </summary>
internal readonly unsafe struct GemmProblem
{
    public int M { get; init; }
    public int N { get; init; }
    public int K { get; init; }
    public float* A { get; init; }
    public nint Lda { get; init; }
    public bool TransA { get; init; }
    public float* B { get; init; }
    public nint Ldb { get; init; }
    public bool TransB { get; init; }
    public float* C { get; init; }
    public nint Ldc { get; init; }
    public bool Accumulate { get; init; }
    public GemmEpilogue Epilogue { get; init; }
    public int Column { get; init; }

    /// <summary>Address of op(A)[i, p].</summary>
    public float* AAt(int i, int p) => TransA ? A + p * Lda + i : A + i * Lda + p;

    /// <summary>Address of op(B)[p, j].</summary>
    public float* BAt(int p, int j) => TransB ? B + j * Ldb + p : B + p * Ldb + j;

    /// <summary>The same product restricted to columns [j0, j1) of C.</summary>
    public GemmProblem Columns(int j0, int j1) =>
        this with { N = j1 - j0, B = BAt(0, j0), C = C + j0, Column = Column + j0 };

    /// <summary>The same product restricted to rows [i0, i1) of C.</summary>
    public GemmProblem Rows(int i0, int i1) =>
        this with { M = i1 - i0, A = AAt(i0, 0), C = C + i0 * Ldc };

    /// <summary>Applies the epilogue to rows [i0, i1) and columns [j0, j1) of C.</summary>
    public void ApplyEpilogue(int i0, int i1, int j0, int j1)
    {
        if (Epilogue.IsEmpty) return;
        for (int i = i0; i < i1; i++) Epilogue.Apply(new Span<float>(C + i * Ldc + j0, j1 - j0), Column + j0);
    }
}
