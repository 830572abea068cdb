namespace Latent.Applications.Search;

/// <summary>How a <see cref="LatentIndex"/> searches.</summary>
public enum SearchMode
{
    /// <summary>Exact below <see cref="LatentIndexOptions.ApproximateFrom"/> items, approximate from there on.</summary>
    Auto,
    /// <summary>Always the exact SIMD scan.</summary>
    Exact,
    /// <summary>Always the HNSW graph.</summary>
    Approximate,
    /// <summary>
    /// A scan of the codes rounded to one byte per value, whose best <see cref="LatentIndexOptions.Candidates"/> per
    /// query are re-ranked on the full codes: no graph to build, and several times faster than the exact scan.
    /// </summary>
    Quantized,
}

/// <summary>Settings of a <see cref="LatentIndex"/>'s in-memory search; none of them is stored with the index.</summary>
public sealed record LatentIndexOptions
{
    /// <summary>How searches run: exact, HNSW, or chosen by the collection's size.</summary>
    public SearchMode Mode { get; init; } = SearchMode.Auto;

    /// <summary>
    /// Collection size from which <see cref="SearchMode.Auto"/> uses the graph. Below it the exact scan answers a
    /// 32-value query in well under a millisecond on two cores, and the graph's build time would not pay off.
    /// </summary>
    public int ApproximateFrom { get; init; } = 200_000;

    /// <summary>The recall/speed knob of approximate search: candidates explored per query (HNSW's ef). On the search
    /// benchmark's million clustered codes, 16 finds 98% of the true 10 nearest and 64 all of them at a third of the speed;
    /// codes of higher intrinsic dimension need more.</summary>
    public int Ef { get; init; } = 64;

    /// <summary>
    /// The recall/speed knob of quantised search: candidates per query re-ranked on the full codes. Chosen on validation
    /// queries of the search-scale benchmark's million codes: 20 found all of the true 10 nearest on the Gaussian set and
    /// 30 on the clustered one; 40 leaves room for codes of other shapes for about a tenth less throughput than 20.
    /// </summary>
    public int Candidates { get; init; } = 40;

    /// <summary>Links per graph node (HNSW's M; twice as many on the bottom layer).</summary>
    public int Links { get; init; } = 16;

    /// <summary>Candidates considered when linking a node into the graph (HNSW's efConstruction).</summary>
    public int EfConstruction { get; init; } = 200;

    /// <summary>Items encoded and written per transaction by <see cref="LatentIndex.Add(IReadOnlyList{string}, Latent.Engine.Tensor, IReadOnlyList{IReadOnlyDictionary{string, string}?}?, IProgress{Latent.Training.TrainingProgress}?, CancellationToken)"/>.</summary>
    public int BatchSize { get; init; } = 4096;

    internal void Validate()
    {
        if (ApproximateFrom < 1 || Ef < 1 || Candidates < 1 || Links < 2 || EfConstruction < 1 || BatchSize < 1)
            throw new ArgumentException("ApproximateFrom, Ef, Candidates, EfConstruction and BatchSize must be at least 1, and Links at least 2.");
    }
}
