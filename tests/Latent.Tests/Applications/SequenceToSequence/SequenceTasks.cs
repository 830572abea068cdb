using Latent.Applications.SequenceToSequence;
using Latent.Engine;

namespace Latent.Tests.Applications.SequenceToSequence;

/// <summary>Small seeded sequence tasks: copy and reverse random token strings.</summary>
internal static class SequenceTasks
{
    /// <summary><paramref name="count"/> pairs of random sequences over <paramref name="symbols"/> tokens, lengths in [minLength, maxLength].</summary>
    public static SequencePair[] Make(int count, int symbols, int minLength, int maxLength, bool reverse, ulong seed)
    {
        var rng = new Rng(seed);
        var pairs = new SequencePair[count];
        for (int i = 0; i < count; i++)
        {
            string[] source = [.. Enumerable.Range(0, minLength + rng.NextInt(maxLength - minLength + 1)).Select(_ => $"t{rng.NextInt(symbols)}")];
            pairs[i] = new SequencePair(source, reverse ? [.. source.Reverse()] : source);
        }
        return pairs;
    }
}
