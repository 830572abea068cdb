namespace Latent.Applications.SequenceToSequence;

/// <summary>A source sequence of tokens and the target sequence a model should write for it.</summary>
public sealed record SequencePair(IReadOnlyList<string> Source, IReadOnlyList<string> Target)
{
    /// <summary>A pair from two space-separated token strings ("4 12 7", "7 12").</summary>
    public static SequencePair Parse(string source, string target) => new(Split(source), Split(target));

    /// <summary>The tokens of a space-separated string.</summary>
    public static string[] Split(string tokens) => tokens.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
