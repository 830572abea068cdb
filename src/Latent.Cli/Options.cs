using System.Globalization;

namespace Latent.Cli;

/// <summary>
/// The <c>--name value</c> options of one verb. Every option must be read by the verb; <see cref="EnsureAllUsed"/>
/// then refuses anything left over, so a typo never passes silently.
/// </summary>
internal sealed class Options
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);
    private readonly string _verb;

    public Options(string[] args, string verb)
    {
        _verb = verb;
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
                throw new UsageException($"{verb}: unexpected argument '{arg}'.");
            if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                throw new UsageException($"{verb}: option {arg} needs a value.");
            if (!_values.TryAdd(arg, args[++i])) throw new UsageException($"{verb}: option {arg} is given twice.");
        }
    }

    public int Int(string name, int fallback, int min = int.MinValue, int max = int.MaxValue)
    {
        if (!Take(name, out string text)) return fallback;
        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
            throw new UsageException($"{_verb}: {name} must be an integer from {min} to {max}, not '{text}'.");
        return value;
    }

    public ulong ULong(string name, ulong fallback)
    {
        if (!Take(name, out string text)) return fallback;
        return ulong.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out ulong value)
            ? value
            : throw new UsageException($"{_verb}: {name} must be a non-negative integer, not '{text}'.");
    }

    public void EnsureAllUsed()
    {
        foreach (string name in _values.Keys)
            if (!_used.Contains(name)) throw new UsageException($"{_verb}: unknown option {name}.");
    }

    private bool Take(string name, out string text)
    {
        _used.Add(name);
        return _values.TryGetValue(name, out text!);
    }
}
