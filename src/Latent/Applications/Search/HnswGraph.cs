using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
/// graph in a <see cref="SearchFile"/>, so that a process can search without building it again. Layer 0 lives in native
/// memory (<see cref="NodeRecords"/>): dispose the graph to free it.
/// </summary>
internal sealed unsafe class HnswGraph : IDisposable
{
    private readonly int _dim, _m, _m0, _efConstruction;
    private readonly double _levelScale;
    private readonly ulong _seed;
    private readonly DistanceMetric _metric;
    private readonly object _entryLock = new();
    private readonly ThreadLocal<SearchScratch> _scratch;
    private readonly NodeRecords _records;   // layer 0: each node's vector and its m0 neighbours
    private byte[] _levels = [];             // per node, its top layer
    private int[] _upperStart = [];          // per node, where its lists of layers 1 .. level start in _upper
    private int[] _upper = [];               // m neighbours per list, a list not full ending at the first −1
    private int _upperUsed;
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
        _records = new NodeRecords(dimension, _m0);
    }

    /// <summary>Nodes, deleted ones included.</summary>
    public int Count => _count;

    /// <summary>Nodes marked deleted.</summary>
    public int Deleted { get; private set; }

    public DistanceMetric Metric => _metric;

    /// <summary>Memory held by the vectors and links.</summary>
    public long Bytes => _records.Bytes + (long)(_upperStart.Length + _upper.Length + _locks.Length) * sizeof(int) + _levels.Length + _deleted.Length;

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
    // Every method a query runs is compiled optimised at once: a query takes microseconds, so tiered compilation would
    // run a user's first seconds of queries (a benchmark's whole timed run) through unoptimised code at half the speed.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (float Score, int Node)[] Search(ReadOnlySpan<float> query, int k, int ef)
    {
        if (_entry < 0) return [];
        SearchScratch scratch = _scratch.Value!;
        Span<float> q = scratch.Query(_dim);
        Debug.Assert(query.Length == _dim, "LatentIndex checks the query's width");
        query.CopyTo(q);
        if (_metric == DistanceMetric.Cosine) Normalise(q);
        int entry = _entry;
        float best = Distance(q, entry);
        for (int layer = _maxLevel; layer > 0; layer--) (entry, best) = Greedy(q, entry, best, layer, locked: false);
        SearchLayer(q, entry, best, Math.Max(ef, k), 0, scratch, locked: false, liveOnly: true);
        TopK top = scratch.Top(k);
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
        float[] q = VectorOf(node).ToArray();
        int level = _levels[node];
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
            SetList(List(node, layer), chosen);
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
            int count = Used(list);
            if (list[..count].Contains(node)) return;
            if (count < max)
            {
                list[count] = node;
                return;
            }
            ReadOnlySpan<float> v = VectorOf(other);
            var candidates = new List<(float Score, int Node)>(count + 1) { (Distance(v, node), node) };
            foreach (int n in list) candidates.Add((Distance(v, n), n));
            candidates.Sort((a, b) => a.Score.CompareTo(b.Score));
            SetList(list, SelectNeighbours(candidates, max));
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
            ReadOnlySpan<float> c = VectorOf(candidate);
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
        Span<int> buffer = stackalloc int[_m];
        for (bool moved = true; moved;)
        {
            moved = false;
            ReadOnlySpan<int> links = Links(entry, layer, buffer, locked);
            foreach (int n in links) Prefetch(n);
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
    // Compiled optimised at once (see Search).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SearchLayer(ReadOnlySpan<float> q, int entry, float entryScore, int ef, int layer, SearchScratch scratch, bool locked, bool liveOnly)
    {
        VisitedSet visited = scratch.Visited;
        visited.Clear();
        bool skipDeleted = liveOnly && Deleted > 0;
        NodeHeap candidates = scratch.Candidates, results = scratch.Results;   // results: negated scores, so its top is the worst
        candidates.Push(entryScore, entry);
        bool keepEntry = !skipDeleted || !_deleted[entry];
        if (keepEntry) results.Push(-entryScore, entry);
        visited.Add(entry);
        Span<int> buffer = stackalloc int[_m0], fresh = stackalloc int[_m0];
        float worst = keepEntry ? entryScore : float.PositiveInfinity;
        while (candidates.Count > 0)
        {
            float score = candidates.TopScore;
            int current = candidates.TopNode;
            candidates.Pop();
            if (score > worst && results.Count >= ef) break;
            if (Sse.IsSupported && layer == 0 && candidates.Count > 0)
            {
                // The next node to expand is probably the next candidate: ask for its links now.
                byte* next = (byte*)_records.List(candidates.TopNode);
                for (int line = 0; line < _m0 * sizeof(int); line += 64) Sse.Prefetch0(next + line);
            }
            int count = 0;
            foreach (int n in Links(current, layer, buffer, locked))
            {
                if (!visited.Add(n)) continue;
                fresh[count++] = n;
                Prefetch(n);
            }
            for (int i = 0; i < count; i++)
            {
                int n = fresh[i];
                float d = Distance(q, n);
                if (results.Count < ef || d < worst)
                {
                    candidates.Push(d, n);
                    if (skipDeleted && _deleted[n]) continue;
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

    /// <summary>The neighbours of <paramref name="node"/> on <paramref name="layer"/>; while inserts run (<paramref name="locked"/>), a copy taken under the node's lock.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<int> Links(int node, int layer, Span<int> buffer, bool locked)
    {
        Span<int> list = List(node, layer);
        if (!locked) return list[..Used(list)];
        Lock(node);
        int count = Used(list);
        list[..count].CopyTo(buffer);
        Unlock(node);
        return buffer[..count];
    }

    /// <summary>Asks the memory for every cache line of the vector of <paramref name="node"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Prefetch(int node)
    {
        if (!Sse.IsSupported) return;
        byte* vector = (byte*)_records.Vector(node);
        for (int line = 0; line < _dim * sizeof(float); line += 64) Sse.Prefetch0(vector + line);
    }

    // ------------------------------------------------------------------ saving

    /// <summary>Writes the graph (settings, layer-0 records, levels, deletion marks, upper lists) for <see cref="Read"/>.</summary>
    public void Write(ChecksummedWriter file)
    {
        file.Write((int)_metric);
        file.Write(_m);
        file.Write(_efConstruction);
        file.Write((long)_seed);
        file.Write(_count);
        file.Write(_entry);
        file.Write(_maxLevel);
        _records.Write(file, _count);
        file.Write<byte>(_levels.AsSpan(0, _count));
        file.Write<bool>(_deleted.AsSpan(0, _count));
        file.Write(_upperUsed);
        file.Write<int>(_upper.AsSpan(0, _upperUsed));
    }

    /// <summary>A graph as <see cref="Write"/> wrote it, for vectors of <paramref name="dimension"/> values.</summary>
    /// <exception cref="InvalidDataException">The file is damaged.</exception>
    public static HnswGraph Read(ChecksummedReader file, int dimension)
    {
        var metric = (DistanceMetric)file.ReadInt32();
        int m = file.ReadInt32(), efConstruction = file.ReadInt32();
        ulong seed = (ulong)file.ReadInt64();
        int count = file.ReadInt32(), entry = file.ReadInt32(), maxLevel = file.ReadInt32();
        if (!Enum.IsDefined(metric) || m < 2 || m > 1024 || efConstruction < 1 || count < 0 || entry < -1 || entry >= count || maxLevel > MaxLevel)
            throw file.Damaged("its graph settings are out of range");
        var graph = new HnswGraph(dimension, metric, m, efConstruction, seed);
        try
        {
            graph.EnsureCapacity(count);
            graph._records.Read(file, count);
            file.ReadArray<byte>(count).CopyTo(graph._levels, 0);
            file.ReadArray<bool>(count).CopyTo(graph._deleted, 0);
            graph._upper = file.ReadArray<int>(file.ReadInt32());
            for (int n = 0; n < count; n++)
            {
                if (graph._levels[n] > MaxLevel) throw file.Damaged("its graph's levels are out of range");
                graph._upperStart[n] = graph._upperUsed;
                graph._upperUsed += graph._levels[n] * m;
            }
            if (graph._upperUsed != graph._upper.Length) throw file.Damaged("its graph's upper layers do not fit its levels");
            (graph._count, graph._entry, graph._maxLevel) = (count, entry, maxLevel);
            if (!graph.LinksInRange()) throw file.Damaged("its graph links to nodes it does not have");
            graph.Deleted = graph._deleted.AsSpan(0, count).Count(true);
            return graph;
        }
        catch
        {
            graph.Dispose();
            throw;
        }
    }

    /// <summary>Whether every link names a node of the graph (or is −1), so that a search never reads outside the records.</summary>
    private bool LinksInRange()
    {
        static bool InRange(ReadOnlySpan<int> links, int count)
        {
            foreach (int n in links)
                if ((uint)(n + 1) > (uint)count) return false;
            return true;
        }
        for (int node = 0; node < _count; node++)
            if (!InRange(new ReadOnlySpan<int>(_records.List(node), _m0), _count)) return false;
        return InRange(_upper.AsSpan(0, _upperUsed), _count);
    }

    /// <summary>Frees the native memory of the layer-0 records.</summary>
    public void Dispose() => _records.Dispose();

    // ------------------------------------------------------------------ storage

    private const int MaxLevel = 16;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Span<int> List(int node, int layer) =>
        layer == 0 ? new Span<int>(_records.List(node), _m0) : _upper.AsSpan(_upperStart[node] + (layer - 1) * _m, _m);

    /// <summary>Neighbours in <paramref name="list"/>: up to its first −1, else all its slots.</summary>
    // Our own search rather than IndexOf: inlined into the search loops, with no call whose code tiering replaces (with
    // instrumented code, at first) while a user's first queries run.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Used(ReadOnlySpan<int> list)
    {
        ref int first = ref MemoryMarshal.GetReference(list);
        int i = 0;
        // One width for every machine: a list is a few vectors long, so wider ones would save a compare or two.
        if (Vector256.IsHardwareAccelerated)
            for (; i + Vector256<int>.Count <= list.Length; i += Vector256<int>.Count)
            {
                uint ends = Vector256.Equals(Vector256.LoadUnsafe(ref first, (nuint)i), Vector256<int>.AllBitsSet).ExtractMostSignificantBits();
                if (ends != 0) return i + BitOperations.TrailingZeroCount(ends);
            }
        for (; i < list.Length; i++)
            if (list[i] == -1) return i;
        return list.Length;
    }

    private static void SetList(Span<int> list, List<int> neighbours)
    {
        CollectionsMarshal.AsSpan(neighbours).CopyTo(list);
        list[neighbours.Count..].Fill(-1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<float> VectorOf(int node) => new(_records.Vector(node), _dim);

    private void Store(int node, ReadOnlySpan<float> vector)
    {
        var target = new Span<float>(_records.Vector(node), _dim);
        vector.CopyTo(target);
        if (_metric == DistanceMetric.Cosine) Normalise(target);
        new Span<int>(_records.List(node), _m0).Fill(-1);
        int level = RandomLevel(node);
        _levels[node] = (byte)level;
        _upperStart[node] = _upperUsed;
        _upperUsed += level * _m;
        if (_upperUsed > _upper.Length) Array.Resize(ref _upper, Math.Max(_upperUsed, _upper.Length * 2));
        _upper.AsSpan(_upperStart[node], level * _m).Fill(-1);
    }

    private void EnsureCapacity(int nodes)
    {
        if (nodes <= _locks.Length) return;
        int capacity = Math.Max(nodes, _locks.Length * 2);
        _records.EnsureCapacity(capacity, _count);
        Array.Resize(ref _levels, capacity);
        Array.Resize(ref _upperStart, capacity);
        Array.Resize(ref _locks, capacity);
        Array.Resize(ref _deleted, capacity);
    }

    /// <summary>⌊−ln(u)·mL⌋ for u uniform in (0, 1], drawn from a hash of the node number so that levels do not depend on thread timing.</summary>
    private int RandomLevel(int node)
    {
        ulong z = _seed + 0x9E3779B97F4A7C15UL * (ulong)(node + 1);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        double u = ((z >> 11) + 1) * (1.0 / (1UL << 53));
        return Math.Min(MaxLevel, (int)(-Math.Log(u) * _levelScale));
    }

    internal static void Normalise(Span<float> v)
    {
        float norm = MathF.Sqrt(PairDistance.Dot(v, v));
        if (norm > 0)
            for (int i = 0; i < v.Length; i++) v[i] /= norm;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private float Distance(ReadOnlySpan<float> q, int node) => PairDistance.Score(_metric, q, VectorOf(node));

    private void Lock(int node)
    {
        var spin = new SpinWait();
        while (Interlocked.CompareExchange(ref _locks[node], 1, 0) != 0) spin.SpinOnce();
    }

    private void Unlock(int node) => Volatile.Write(ref _locks[node], 0);

    /// <summary>A thread's reusable search state: the query's copy, the visited nodes, the heaps and the k best.</summary>
    private sealed class SearchScratch
    {
        private float[] _query = [];
        private TopK _top = new(1);

        /// <summary>Room for a query of <paramref name="dimension"/> values.</summary>
        public Span<float> Query(int dimension)
        {
            if (_query.Length != dimension) _query = new float[dimension];
            return _query;
        }

        /// <summary>An empty k-best heap.</summary>
        public TopK Top(int k)
        {
            if (_top.Capacity != k) _top = new TopK(k);
            _top.Clear();
            return _top;
        }

        public VisitedSet Visited { get; } = new();
        public NodeHeap Candidates { get; } = new();
        public NodeHeap Results { get; } = new();
        public List<(float Score, int Node)> Found { get; } = [];
    }
}
