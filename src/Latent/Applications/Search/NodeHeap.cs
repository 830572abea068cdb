using System.Runtime.CompilerServices;

namespace Latent.Applications.Search;

/// <summary>
/// A binary min-heap of (score, node) pairs for graph search, in two plain arrays (the generic PriorityQueue compares
/// through an interface and keeps the pair in separate slots of a tuple array; this is the hot loop of every query).
/// A max-heap is one of negated scores.
/// </summary>
internal sealed class NodeHeap
{
    private float[] _scores = new float[64];
    private int[] _nodes = new int[64];

    public int Count { get; private set; }

    /// <summary>The smallest score held (the heap must not be empty).</summary>
    public float TopScore => _scores[0];

    /// <summary>The node of <see cref="TopScore"/>.</summary>
    public int TopNode => _nodes[0];

    public void Clear() => Count = 0;

    // Compiled optimised at once, like the searches that call it (see HnswGraph.SearchLayer).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Push(float score, int node)
    {
        if (Count == _scores.Length)
        {
            Array.Resize(ref _scores, Count * 2);
            Array.Resize(ref _nodes, Count * 2);
        }
        int i = Count++;
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (_scores[parent] <= score) break;
            _scores[i] = _scores[parent];
            _nodes[i] = _nodes[parent];
            i = parent;
        }
        _scores[i] = score;
        _nodes[i] = node;
    }

    /// <summary>Removes the top pair.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Pop()
    {
        int last = --Count;
        if (last == 0) return;
        float score = _scores[last];
        int node = _nodes[last], i = 0;
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= last) break;
            if (child + 1 < last && _scores[child + 1] < _scores[child]) child++;
            if (_scores[child] >= score) break;
            _scores[i] = _scores[child];
            _nodes[i] = _nodes[child];
            i = child;
        }
        _scores[i] = score;
        _nodes[i] = node;
    }

    /// <summary>The pairs held, in no particular order.</summary>
    public ReadOnlySpan<float> Scores => _scores.AsSpan(0, Count);

    /// <summary>The nodes of <see cref="Scores"/>, in the same order.</summary>
    public ReadOnlySpan<int> Nodes => _nodes.AsSpan(0, Count);
}
