namespace Latent.Applications.SequenceToSequence;

/// <summary>
/// The tokens of one side of a sequence-to-sequence model, numbered: the reserved tokens first, then the tokens seen in
/// training in ordinal order (so the numbering does not depend on the order of the rows).
/// </summary>
internal sealed class TokenVocabulary
{
    private readonly Dictionary<string, int> _ids;

    public TokenVocabulary(IReadOnlyList<string> tokens)
    {
        Tokens = tokens;
        _ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < tokens.Count; i++)
            if (!_ids.TryAdd(tokens[i], i)) throw new ArgumentException($"The token '{tokens[i]}' appears twice in a vocabulary.");
    }

    /// <summary>Every token, by id.</summary>
    public IReadOnlyList<string> Tokens { get; }

    public int Count => Tokens.Count;

    /// <summary>A vocabulary of the <paramref name="reserved"/> tokens followed by every distinct token of <paramref name="sequences"/>.</summary>
    public static TokenVocabulary Of(IEnumerable<IReadOnlyList<string>> sequences, params string[] reserved)
    {
        var seen = new SortedSet<string>(sequences.SelectMany(s => s), StringComparer.Ordinal);
        foreach (string r in reserved) seen.Remove(r);
        return new TokenVocabulary([.. reserved, .. seen]);
    }

    /// <summary>The id of <paramref name="token"/>, or <paramref name="unknown"/> when the vocabulary lacks it.</summary>
    public int IdOf(string token, int unknown) => _ids.TryGetValue(token, out int id) ? id : unknown;
}
