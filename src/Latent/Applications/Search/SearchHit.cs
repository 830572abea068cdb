namespace Latent.Applications.Search;

/// <summary>One neighbour of a query: the item's id, its distance under the search's metric, and the metadata stored with it.</summary>
public sealed record SearchHit(string Id, float Distance, IReadOnlyDictionary<string, string> Metadata);
