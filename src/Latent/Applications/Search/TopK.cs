using System.Runtime.CompilerServices;

namespace Latent.Applications.Search;

/// <summary>
/// The k smallest (score, slot) pairs seen so far, as a binary max-heap: <see cref="Threshold"/> is the score a
/// candidate must beat once the heap is full. Ties order by slot, so results do not depend on scan order.
/// </summary>
internal sealed class TopK
{
    private readonly float[] _scores;
    private readonly int[] _slots;

    public TopK(int k)
    {
        _scores = new float[k];
        _slots = new int[k];
    }

    public int Count { get; private set; }

    public int Capacity => _scores.Length;

    /// <summary>+∞ until k pairs are held, then the largest held score.</summary>
    public float Threshold => Count < _scores.Length ? float.PositiveInfinity : _scores[0];

    public void Clear() => Count = 0;

    /// <summary>Keeps (score, slot) if it is among the k best; NaN scores are never kept.</summary>
    // Compiled optimised at once, as every method of a query's path is (see HnswGraph.Search).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Offer(float score, int slot)
    {
        if (!(score <= Threshold)) return;
        if (Count < _scores.Length)
        {
            int i = Count++;
            while (i > 0)
            {
                int parent = (i - 1) >> 1;
                if (!Worse(score, slot, _scores[parent], _slots[parent])) break;
                _scores[i] = _scores[parent];
                _slots[i] = _slots[parent];
                i = parent;
            }
            _scores[i] = score;
            _slots[i] = slot;
            return;
        }
        if (!Worse(_scores[0], _slots[0], score, slot)) return;
        SiftDown(score, slot);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SiftDown(float score, int slot)
    {
        int i = 0, n = Count;
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= n) break;
            if (child + 1 < n && Worse(_scores[child + 1], _slots[child + 1], _scores[child], _slots[child])) child++;
            if (!Worse(_scores[child], _slots[child], score, slot)) break;
            _scores[i] = _scores[child];
            _slots[i] = _slots[child];
            i = child;
        }
        _scores[i] = score;
        _slots[i] = slot;
    }

    private static bool Worse(float a, int slotA, float b, int slotB) => a > b || (a == b && slotA > slotB);

    /// <summary>Adds every pair of <paramref name="other"/>.</summary>
    public void Merge(TopK other)
    {
        for (int i = 0; i < other.Count; i++) Offer(other._scores[i], other._slots[i]);
    }

    /// <summary>The slots held, in no particular order.</summary>
    public ReadOnlySpan<int> Slots => _slots.AsSpan(0, Count);

    /// <summary>The held pairs, best first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (float Score, int Slot)[] Sorted()
    {
        int n = Count;
        var result = new (float Score, int Slot)[n];
        for (int i = 0; i < n; i++) result[i] = (_scores[i], _slots[i]);   // still a heap, worst on top
        // Heapsort: the worst pair left goes to the back, n − 1 times (no comparer to call through per comparison).
        for (int end = n - 1; end > 0; end--)
        {
            var moved = result[end];
            result[end] = result[0];
            int i = 0;
            while (true)
            {
                int child = 2 * i + 1;
                if (child >= end) break;
                if (child + 1 < end && Worse(result[child + 1].Score, result[child + 1].Slot, result[child].Score, result[child].Slot)) child++;
                if (!Worse(result[child].Score, result[child].Slot, moved.Score, moved.Slot)) break;
                result[i] = result[child];
                i = child;
            }
            result[i] = moved;
        }
        return result;
    }
}
