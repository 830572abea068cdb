using System.Numerics;
using System.Runtime.CompilerServices;

namespace Latent.Applications.Search;

/// <summary>
/// The nodes one graph search has visited, in a small open-addressing hash table. A query visits a few hundred to a
/// few thousand nodes of a graph that may hold millions: a mark per node (hnswlib's way) spreads those few marks over
/// megabytes, and each check is a cache miss; this table stays in the first-level cache and is cleared per search.
/// </summary>
internal sealed class VisitedSet
{
    private const int InitialCapacity = 4096;
    private int[] _slots = new int[InitialCapacity];   // node + 1; 0 = empty
    private const int SmallSearchesBeforeShrinking = 64;
    private int _count, _shift = 32 - 12, _smallSearches;

    /// <summary>
    /// Forgets every node. A table that a large search grew shrinks back once many searches in a row have needed far
    /// less (a graph's build alternates small upper-layer searches with large layer-0 ones; it must not shrink between).
    /// </summary>
    public void Clear()
    {
        int fits = Math.Max(InitialCapacity, (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, _count) * 4));
        _smallSearches = fits < _slots.Length ? _smallSearches + 1 : 0;
        if (_smallSearches >= SmallSearchesBeforeShrinking)
        {
            _slots = new int[fits];
            _shift = 32 - BitOperations.Log2((uint)fits);
            _smallSearches = 0;
        }
        else Array.Clear(_slots);
        _count = 0;
    }

    /// <summary>Marks <paramref name="node"/> (≥ 0) visited; false when it was already.</summary>
    // Compiled optimised at once, like the searches that call it (see HnswGraph.SearchLayer).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Add(int node)
    {
        int[] slots = _slots;
        int mask = slots.Length - 1, key = node + 1;
        for (int i = Slot(node); ; i = (i + 1) & mask)
        {
            int held = slots[i];
            if (held == key) return false;
            if (held != 0) continue;
            slots[i] = key;
            if (++_count * 2 > slots.Length) Grow();
            return true;
        }
    }

    /// <summary>Fibonacci hashing: consecutive nodes land far apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Slot(int node) => (int)(((uint)node * 2654435769u) >> _shift);

    private void Grow()
    {
        int[] old = _slots;
        _slots = new int[old.Length * 2];
        _shift--;
        int mask = _slots.Length - 1;
        foreach (int key in old)
        {
            if (key == 0) continue;
            int i = Slot(key - 1);
            while (_slots[i] != 0) i = (i + 1) & mask;
            _slots[i] = key;
        }
    }
}
