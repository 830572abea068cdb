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
    private int _count, _shift = 32 - 12;

    /// <summary>Forgets every node; a table that a large search grew shrinks back to what the last search needed.</summary>
    public void Clear()
    {
        int fits = Math.Max(InitialCapacity, (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, _count) * 4));
        if (fits < _slots.Length)
        {
            _slots = new int[fits];
            _shift = 32 - BitOperations.Log2((uint)fits);
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
