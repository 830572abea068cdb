using System.Collections;
using System.Text.Json;

namespace Latent.Applications.Search;

/// <summary>An item's metadata as stored (a JSON object of strings), parsed on first use: a search that only needs ids and distances pays nothing for it.</summary>
internal sealed class StoredMetadata(string json, string id, string location) : IReadOnlyDictionary<string, string>
{
    private static readonly Dictionary<string, string> Empty = [];
    private Dictionary<string, string>? _values;

    private Dictionary<string, string> Values => _values ??= Parse();

    private Dictionary<string, string> Parse()
    {
        if (json == "{}") return Empty;
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? Empty;
        }
        catch (JsonException)
        {
            throw new InvalidDataException($"The index '{location}' is damaged: item '{id}' has metadata that is not a JSON object of strings.");
        }
    }

    public string this[string key] => Values[key];
    public IEnumerable<string> Keys => Values.Keys;
    IEnumerable<string> IReadOnlyDictionary<string, string>.Values => Values.Values;
    public int Count => Values.Count;
    public bool ContainsKey(string key) => Values.ContainsKey(key);
    public bool TryGetValue(string key, out string value) => Values.TryGetValue(key, out value!);
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => Values.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
