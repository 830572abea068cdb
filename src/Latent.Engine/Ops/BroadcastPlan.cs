using System.Runtime.CompilerServices;

namespace Latent.Engine;

/// <summary>
/// How two shapes broadcast (NumPy rules: align on the right; a dimension of 1 stretches): the output
/// shape, and the iteration folded into as few dimensions as possible so that the innermost loop is one
/// long contiguous run in which each operand is either contiguous (stride 1) or a single repeated value
/// (stride 0). [N, D] with [D] becomes N runs of D; [N, D] with [N, 1] becomes N runs with a scalar.
/// </summary>
internal struct BroadcastPlan
{
    private const int MaxRank = 8;

    [InlineArray(MaxRank)] private struct Dims { private int _e; }

    private Dims _size, _strideA, _strideB;

    /// <summary>Number of folded outer dimensions (the innermost run is separate).</summary>
    public int OuterRank { get; private set; }
    public int RunLength { get; private set; }
    public int RunStrideA { get; private set; }
    public int RunStrideB { get; private set; }
    public int[] OutputShape { get; private set; }

    public static BroadcastPlan Create(int[] a, int[] b, string operation)
    {
        int rank = Math.Max(a.Length, b.Length);
        if (rank > MaxRank) throw new ArgumentException($"{operation}: tensors of rank above {MaxRank} are not supported.");
        var output = new int[rank];
        Span<int> size = stackalloc int[rank], sa = stackalloc int[rank], sb = stackalloc int[rank];
        int strideA = 1, strideB = 1;
        for (int i = rank - 1; i >= 0; i--)
        {
            int da = Dim(a, i - rank + a.Length), db = Dim(b, i - rank + b.Length);
            if (da != db && da != 1 && db != 1) throw Shapes.Mismatch(operation, a, b);
            output[i] = size[i] = Math.Max(da, db);
            sa[i] = da == 1 ? 0 : strideA;
            sb[i] = db == 1 ? 0 : strideB;
            strideA *= da;
            strideB *= db;
        }

        var plan = new BroadcastPlan { OutputShape = output };
        // Fold from the innermost dimension outwards: merge a dimension into the one inside it when both
        // operands continue contiguously (or both repeat); drop dimensions of size 1.
        int folded = 0;
        for (int i = rank - 1; i >= 0; i--)
        {
            if (size[i] == 1) continue;
            if (folded > 0)
            {
                int j = folded - 1;
                if (sa[i] == plan._strideA[j] * plan._size[j] && sb[i] == plan._strideB[j] * plan._size[j])
                {
                    plan._size[j] *= size[i];
                    continue;
                }
            }
            plan._size[folded] = size[i];
            plan._strideA[folded] = sa[i];
            plan._strideB[folded] = sb[i];
            folded++;
        }
        if (folded == 0)
        {
            plan.RunLength = 1;
            plan.RunStrideA = plan.RunStrideB = 1;
            return plan;
        }
        plan.RunLength = plan._size[0];
        plan.RunStrideA = plan._strideA[0];
        plan.RunStrideB = plan._strideB[0];
        // Outer dimensions, stored innermost first at indices 1..folded-1.
        plan.OuterRank = folded - 1;
        return plan;
    }

    /// <summary>Number of innermost runs (product of the outer dimensions).</summary>
    public readonly int RunCount
    {
        get
        {
            int n = 1;
            for (int i = 1; i <= OuterRank; i++) n *= _size[i];
            return n;
        }
    }

    /// <summary>The element offsets in A and B at which run <paramref name="run"/> starts (output offset is run·RunLength).</summary>
    public readonly (int A, int B) RunOffsets(int run)
    {
        int offA = 0, offB = 0;
        for (int i = 1; i <= OuterRank; i++)
        {
            int idx = run % _size[i];
            run /= _size[i];
            offA += idx * _strideA[i];
            offB += idx * _strideB[i];
        }
        return (offA, offB);
    }

    private static int Dim(int[] shape, int i) => i >= 0 ? shape[i] : 1;
}
