using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using Latent.Engine;
using Latent.Storage;

namespace Latent.Applications.Search;

/// <summary>
/// Hierarchical navigable small-world graph (Malkov &amp; Yashunin, 2018) for approximate nearest neighbours:
/// every node lives on layer 0 and, with probability falling geometrically, on layers above; a search descends
/// greedily from the top layer's entry point and then explores layer 0 best-first, keeping the <c>ef</c> nearest
/// nodes seen. Larger <c>ef</c> finds more of the true neighbours and costs more time. Neighbour lists are chosen
/// by the paper's heuristic (a candidate is kept only if it is nearer to the node than to every neighbour kept so
/// far), which keeps long links between clusters. Nodes are numbered 0, 1, 2, ... in insertion order. Inserts may
/// run in parallel with each other (each neighbour list has a spin lock) but not with searches. A deleted node stays
/// in the graph as a waypoint (as in hnswlib) but is never returned. <see cref="Write"/> and <see cref="Read"/> keep a
/// graph in a <see cref="SearchFile"/>, so that a process can search without building it again.
/// </summary>
internal sealed class HnswGraph
{
    private readonly int _dim, _m, _m0, _efConstruction;
    private readonly double _levelScale;
    private readonly ulong _seed;
    private readonly DistanceMetric _metric;
    private readonly object _entryLock = new();
    private readonly ThreadLocal<SearchScratch> _scratch;
    private float[] _vectors = [];
    private int[] _layer0 = [];          // per node, m0 + 1 ints: [count, neighbour 1 .. neighbour m0]
    private int[][][] _upper = [];       // per node, per layer ≥ 1: [count, neighbour 1 .. neighbour m]
    private int[] _locks = [];
    private bool[] _deleted = [];
    private int _count, _entry = -1, _maxLevel = -1;

    /// <param name="dimension">Values per vector.</param>
    /// <param name="metric">Euclidean, or cosine (vectors are normalised on insertion).</param>
    /// <param name="m">Links per node above layer 0 (twice as many on layer 0).</param>
    /// <param name="efConstruction">Candidates considered when linking a new node.</param>
    /// <param name="seed">Drives the choice of each node's top layer.</param>
    public HnswGraph(int dimension, DistanceMetric metric, int m = 16, int efConstruction = 200, ulong seed = 0)
    {
        _dim = dimension;
        _metric = metric;
        _m = m;
        _m0 = 2 * m;
        _efConstruction = efConstruction;
        _levelScale = 1 / Math.Log(m);
        _seed = seed;
        _scratch = new ThreadLocal<SearchScratch>(() => new SearchScratch());
    }

    /// <summary>Nodes, deleted ones included.</summary>
    public int Count => _count;

    /// <summary>Nodes marked deleted.</summary>
    public int Deleted { get; private set; }

    public DistanceMetric Metric => _metric;

    /// <summary>Memory held by the vectors and links.</summary>
    public long Bytes
    {
        get
        {
            const long arrayHeader = 24;
            long bytes = (long)(_vectors.Length + _layer0.Length + _locks.Length) * sizeof(float) + _deleted.Length + (long)_upper.Length * IntPtr.Size;
            for (int n = 0; n < _count; n++)
                foreach (int[] layer in _upper[n]) bytes += arrayHeader + (long)layer.Length * sizeof(int);
            return bytes;
        }
    }

    /// <summary>Adds vectors [count, dimension] as nodes Count, Count + 1, ..., linking them in parallel.</summary>
    public void AddRange(ReadOnlySpan<float> vectors, int count)
    {
        int first = _count;
        EnsureCapacity(first + count);
        for (int i = 0; i < count; i++) Store(first + i, vectors.Slice(i * _dim, _dim));
        _count = first + count;
        int start = first;
        if (_entry < 0 && count > 0) Link(start++);
        int threads = Math.Min(Parallelism.Threads, Math.Max(1, (first + count - start) / 256));
        if (threads <= 1)
            for (int node = start; node < first + count; node++) Link(node);
        else
            Parallel.For(start, first + count, new ParallelOptions { MaxDegreeOfParallelism = threads }, Link);
    }

    /// <summary>The k nearest nodes to <paramref name="query"/> (score, node) that are not deleted, best first, exploring <paramref name="ef"/> candidates.</summary>
    public (float Score, int Node)[] Search(ReadOnlySpan<float> query, int k, int ef)
    {
        if (_entry < 0) return [];
        float[] q = Prepare(query);
        SearchScratch scratch = _scratch.Value!;
        int entry = _entry;
        float best = Distance(q, entry);
        for (int layer = _maxLevel; layer > 0; layer--) (entry, best) = Greedy(q, entry, best, layer, locked: false);
        SearchLayer(q, entry, best, Math.Max(ef, k), 0, scratch, locked: false, liveOnly: true);
        var top = new TopK(k);
        foreach (var (score, node) in scratch.Found) top.Offer(score, node);
        return top.Sorted();
    }

    /// <summary>Keeps <paramref name="node"/> as a waypoint but leaves it out of every answer from now on.</summary>
    public void MarkDeleted(int node)
    {
        if (_deleted[node]) return;
        _deleted[node] = true;
        Deleted++;
    }

    // ------------------------------------------------------------------ building

    private void Link(int node)
    {
        float[] q = _vectors.AsSpan(node * _dim, _dim).ToArray();
        int level = _upper[node].Length;
        int entry, top;
        lock (_entryLock)
        {
            if (_entry < 0)
            {
                _entry = node;
                _maxLevel = level;
                return;
            }
            (entry, top) = (_entry, _maxLevel);
        }
        SearchScratch scratch = _scratch.Value!;
        float best = Distance(q, entry);
        for (int layer = top; layer > level; layer--) (entry, best) = Greedy(q, entry, best, layer, locked: true);
        for (int layer = Math.Min(level, top); layer >= 0; layer--)
        {
            SearchLayer(q, entry, best, _efConstruction, layer, scratch, locked: true, liveOnly: false);
            scratch.Found.Sort((a, b) => a.Score.CompareTo(b.Score));
            (best, entry) = scratch.Found[0];
            List<int> chosen = SelectNeighbours(scratch.Found, _m);
            int max = layer == 0 ? _m0 : _m;
            Lock(node);
            Span<int> mine = List(node, layer);
            mine[0] = chosen.Count;
            for (int i = 0; i < chosen.Count; i++) mine[i + 1] = chosen[i];
            Unlock(node);
            foreach (int other in chosen) Connect(other, node, layer, max);
        }
        if (level > top)
            lock (_entryLock)
                if (level > _maxLevel) (_entry, _maxLevel) = (node, level);
    }

    /// <summary>Adds the link other → node; a full list is re-chosen by the heuristic from its members and node.</summary>
    private void Connect(int other, int node, int layer, int max)
    {
        Lock(other);
        try
        {
            Span<int> list = List(other, layer);
            int count = list[0];
            for (int i = 1; i <= count; i++)
                if (list[i] == node) return;
            if (count < max)
            {
                list[count + 1] = node;
                list[0] = count + 1;
                return;
            }
            ReadOnlySpan<float> v = _vectors.AsSpan(other * _dim, _dim);
            var candidates = new List<(float Score, int Node)>(count + 1) { (Distance(v, node), node) };
            for (int i = 1; i <= count; i++) candidates.Add((Distance(v, list[i]), list[i]));
            candidates.Sort((a, b) => a.Score.CompareTo(b.Score));
            List<int> kept = SelectNeighbours(candidates, max);
            list[0] = kept.Count;
            for (int i = 0; i < kept.Count; i++) list[i + 1] = kept[i];
        }
        finally
        {
            Unlock(other);
        }
    }

    /// <summary>The paper's heuristic: take candidates nearest first, keeping one only if no kept neighbour is nearer to it.</summary>
    private List<int> SelectNeighbours(List<(float Score, int Node)> sortedCandidates, int max)
    {
        var kept = new List<int>(max);
        foreach (var (score, candidate) in sortedCandidates)
        {
            if (kept.Count == max) break;
            ReadOnlySpan<float> c = _vectors.AsSpan(candidate * _dim, _dim);
            bool diverse = true;
            foreach (int k in kept)
                if (Distance(c, k) < score)
                {
                    diverse = false;
                    break;
                }
            if (diverse) kept.Add(candidate);
        }
        return kept;
    }

    // ------------------------------------------------------------------ searching

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (int Node, float Score) Greedy(ReadOnlySpan<float> q, int entry, float best, int layer, bool locked)
    {
        Span<int> buffer = stackalloc int[_m + 1];
        for (bool moved = true; moved;)
        {
            moved = false;
            ReadOnlySpan<int> links = Links(entry, layer, buffer, locked);
            foreach (int n in links)
            {
                float d = Distance(q, n);
                if (d < best)
                {
                    (best, entry) = (d, n);
                    moved = true;
                }
            }
        }
        return (entry, best);
    }

    /// <summary>
    /// Best-first search of one layer; leaves the ef nearest nodes found in scratch.Found (unordered). With
    /// <paramref name="liveOnly"/>, deleted nodes are walked through but not kept, and the search goes on until it has ef others.
    /// Each expansion first marks the unvisited neighbours and asks the memory for their vectors, then scores them: the
    /// vectors of a large graph are rarely in cache, and fetched together they arrive in the time of one.
    /// </summary>
    // Compiled optimised at once: a query takes microseconds, so tiered compilation would run the first thousands of
    // them (a user's first seconds, a benchmark's whole timed run) in unoptimised code, at a third of the speed.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void SearchLayer(ReadOnlySpan<float> q, int entry, float entryScore, int ef, int layer, SearchScratch scratch, bool locked, bool liveOnly)
    {
        int stamp = scratch.Begin(_count);
        int[] visited = scratch.Visited;
        NodeHeap candidates = scratch.Candidates, results = scratch.Results;   // results: negated scores, so its top is the worst
        candidates.Push(entryScore, entry);
        bool keepEntry = !liveOnly || !_deleted[entry];
        if (keepEntry) results.Push(-entryScore, entry);
        visited[entry] = stamp;
        Span<int> buffer = stackalloc int[_m0 + 1], fresh = stackalloc int[_m0];
        float worst = keepEntry ? entryScore : float.PositiveInfinity;
        fixed (float* vectors = _vectors)
        fixed (int* layer0 = _layer0)
            while (candidates.Count > 0)
            {
                float score = candidates.TopScore;
                int current = candidates.TopNode;
                candidates.Pop();
                if (score > worst && results.Count >= ef) break;
                if (Sse.IsSupported && layer == 0 && candidates.Count > 0)
                {
                    // The next node to expand is probably the next candidate: ask for its links now.
                    int* next = layer0 + (long)candidates.TopNode * (_m0 + 1);
                    for (int line = 0; line <= _m0; line += 16) Sse.Prefetch0(next + line);
                }
                int count = 0;
                foreach (int n in Links(current, layer, buffer, locked))
                {
                    if (visited[n] == stamp) continue;
                    visited[n] = stamp;
                    fresh[count++] = n;
                    if (Sse.IsSupported) Sse.Prefetch0(vectors + (long)n * _dim);
                }
                for (int i = 0; i < count; i++)
                {
                    int n = fresh[i];
                    float d = Distance(q, n);
                    if (results.Count < ef || d < worst)
                    {
                        candidates.Push(d, n);
                        if (liveOnly && _deleted[n]) continue;
                        results.Push(-d, n);
                        if (results.Count > ef) results.Pop();
                        worst = -results.TopScore;
                    }
                }
            }
        scratch.Found.Clear();
        for (int i = 0; i < results.Count; i++) scratch.Found.Add((-results.Scores[i], results.Nodes[i]));
        results.Clear();
        candidates.Clear();
    }

    private ReadOnlySpan<int> Links(int node, int layer, Span<int> buffer, bool locked)
    {
        Span<int> list = List(node, layer);
        if (!locked) return list.Slice(1, list[0]);
        Lock(node);
        int count = list[0];
        list.Slice(1, count).CopyTo(buffer);
        Unlock(node);
        return buffer[..count];
    }

    // ------------------------------------------------------------------ saving

    /// <summary>Writes the graph (settings, vectors, links, deletion marks) for <see cref="Read"/>.</summary>
    public void Write(ChecksummedWriter file)
    {
        file.Write((int)_metric);
        file.Write(_m);
        file.Write(_efConstruction);
        file.Write((long)_seed);
        file.Write(_count);
        file.Write(_entry);
        file.Write(_maxLevel);
        file.Write<float>(_vectors.AsSpan(0, _count * _dim));
        file.Write<int>(_layer0.AsSpan(0, _count * (_m0 + 1)));
        var levels = new byte[_count];
        var upper = new List<int>();
        for (int n = 0; n < _count; n++)
        {
            levels[n] = (byte)_upper[n].Length;
            foreach (int[] list in _upper[n]) upper.AddRange(list);
        }
        file.Write<byte>(levels);
        file.Write<bool>(_deleted.AsSpan(0, _count));
        file.Write(upper.Count);
        file.Write<int>(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(upper));
    }

    /// <summary>A graph as <see cref="Write"/> wrote it, for vectors of <paramref name="dimension"/> values.</summary>
    /// <exception cref="InvalidDataException">The file is damaged.</exception>
    public static HnswGraph Read(ChecksummedReader file, int dimension)
    {
        var metric = (DistanceMetric)file.ReadInt32();
        int m = file.ReadInt32(), efConstruction = file.ReadInt32();
        ulong seed = (ulong)file.ReadInt64();
        int count = file.ReadInt32(), entry = file.ReadInt32(), maxLevel = file.ReadInt32();
        if (!Enum.IsDefined(metric) || m < 2 || m > 1024 || efConstruction < 1 || count < 0 || entry < -1 || entry >= count || maxLevel > 16)
            throw file.Damaged("its graph settings are out of range");
        var graph = new HnswGraph(dimension, metric, m, efConstruction, seed)
        {
            _vectors = file.ReadArray<float>((long)count * dimension),
            _layer0 = file.ReadArray<int>((long)count * (2 * m + 1)),
        };
        byte[] levels = file.ReadArray<byte>(count);
        graph._deleted = file.ReadArray<bool>(count);
        int[] upper = file.ReadArray<int>(file.ReadInt32());
        graph._upper = new int[count][][];
        int offset = 0;
        for (int n = 0; n < count; n++)
        {
            if (offset + levels[n] * (m + 1L) > upper.Length) throw file.Damaged("its graph's upper layers are cut short");
            int[][] lists = graph._upper[n] = levels[n] == 0 ? [] : new int[levels[n]][];
            for (int l = 0; l < lists.Length; l++, offset += m + 1) lists[l] = upper[offset..(offset + m + 1)];
        }
        graph._locks = new int[count];
        (graph._count, graph._entry, graph._maxLevel) = (count, entry, maxLevel);
        graph.Deleted = graph._deleted.AsSpan().Count(true);
        return graph;
    }

    // ------------------------------------------------------------------ storage

    private Span<int> List(int node, int layer) => layer == 0 ? _layer0.AsSpan(node * (_m0 + 1), _m0 + 1) : _upper[node][layer - 1];

    private void Store(int node, ReadOnlySpan<float> vector)
    {
        Span<float> target = _vectors.AsSpan(node * _dim, _dim);
        vector.CopyTo(target);
        if (_metric == DistanceMetric.Cosine) Normalise(target);
        _upper[node] = UpperLists(RandomLevel(node));
    }

    private void EnsureCapacity(int nodes)
    {
        if (nodes <= _locks.Length) return;
        int capacity = Math.Max(nodes, _locks.Length * 2);
        Array.Resize(ref _vectors, capacity * _dim);
        Array.Resize(ref _layer0, capacity * (_m0 + 1));
        Array.Resize(ref _upper, capacity);
        Array.Resize(ref _locks, capacity);
        Array.Resize(ref _deleted, capacity);
    }

    /// <summary>Empty neighbour lists for layers 1 .. <paramref name="level"/> (most nodes have none, and share one empty array).</summary>
    private int[][] UpperLists(int level)
    {
        if (level == 0) return [];
        var lists = new int[level][];
        for (int l = 0; l < level; l++) lists[l] = new int[_m + 1];
        return lists;
    }

    /// <summary>⌊−ln(u)·mL⌋ for u uniform in (0, 1], drawn from a hash of the node number so that levels do not depend on thread timing.</summary>
    private int RandomLevel(int node)
    {
        ulong z = _seed + 0x9E3779B97F4A7C15UL * (ulong)(node + 1);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        double u = ((z >> 11) + 1) * (1.0 / (1UL << 53));
        return Math.Min(16, (int)(-Math.Log(u) * _levelScale));
    }

    private float[] Prepare(ReadOnlySpan<float> query)
    {
        float[] q = query.ToArray();
        if (_metric == DistanceMetric.Cosine) Normalise(q);
        return q;
    }

    internal static void Normalise(Span<float> v)
    {
        float norm = MathF.Sqrt(PairDistance.Dot(v, v));
        if (norm > 0)
            for (int i = 0; i < v.Length; i++) v[i] /= norm;
    }

    private float Distance(ReadOnlySpan<float> q, int node) => PairDistance.Score(_metric, q, _vectors.AsSpan(node * _dim, _dim));

    private void Lock(int node)
    {
        var spin = new SpinWait();
        while (Interlocked.CompareExchange(ref _locks[node], 1, 0) != 0) spin.SpinOnce();
    }

    private void Unlock(int node) => Volatile.Write(ref _locks[node], 0);

    /// <summary>A thread's reusable search state: visited marks by generation stamp, and the two heaps.</summary>
    private sealed class SearchScratch
    {
        public int[] Visited = [];
        private int _stamp;
        public NodeHeap Candidates { get; } = new();
        public NodeHeap Results { get; } = new();
        public List<(float Score, int Node)> Found { get; } = [];

        public int Begin(int nodes)
        {
            if (Visited.Length < nodes) Visited = new int[Math.Max(nodes, Visited.Length * 2)];
            if (++_stamp == int.MaxValue)
            {
                Array.Clear(Visited);
                _stamp = 1;
            }
            return _stamp;
        }
    }
}
