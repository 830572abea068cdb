using System.Text.Json;
using Latent.Engine;

namespace Latent.Bench;

/// <summary>One split of PyOD's protocol: the rows a detector is fitted on (labels hidden) and the rows it scores.</summary>
internal sealed record RowSplit(int Seed, int[] Fit, int[] Scored);

/// <summary>
/// The rows of PyOD's benchmark splits as shared/reference/sklearn_baselines.py draws them
/// (<c>train_test_split(test_size=0.4, random_state=seed)</c>), read from bench/reference/pyod_splits.py, so that
/// our detector and the scikit-learn baselines fit and score identical rows.
/// </summary>
internal static class PyodSplits
{
    private const string Script = "pyod_splits.py";

    /// <summary>Splits 0..seeds−1 of <paramref name="rows"/> rows, or why they could not be read.</summary>
    public static (IReadOnlyList<RowSplit>? Splits, string? Failure) Of(int rows, int seeds)
    {
        string? script = ScriptPath();
        if (script is null) return (null, $"bench/reference/{Script} not found above {Directory.GetCurrentDirectory()}");
        ReferenceResult result = ReferenceScript.Run(script, [$"--rows={rows}", $"--seeds={seeds}"], echoPrefix: "  [splits] ");
        if (result.Json is not { } json) return (null, result.Failure);
        return ([.. json.GetProperty("splits").EnumerateArray().Select(s => new RowSplit(s.GetProperty("seed").GetInt32(), Rows(s, "fit"), Rows(s, "scored")))], null);
    }

    /// <summary>Our own seeded splits of the same sizes (scikit-learn scores ⌈0.4·n⌉ rows), for when the script cannot run: other rows than the peers'.</summary>
    public static IReadOnlyList<RowSplit> Fallback(int rows, int seeds)
    {
        int scored = (int)Math.Ceiling(0.4 * rows);
        return [.. Enumerable.Range(0, seeds).Select(seed =>
        {
            int[] order = new Rng((ulong)seed).Permutation(rows);
            return new RowSplit(seed, order[scored..], order[..scored]);
        })];
    }

    private static int[] Rows(JsonElement split, string key) => [.. split.GetProperty(key).EnumerateArray().Select(e => e.GetInt32())];

    /// <summary>bench/reference/pyod_splits.py in the repository, or null outside one.</summary>
    private static string? ScriptPath() =>
        RepositoryRoot.Find() is { } root && Path.Combine(root, "bench", "reference", Script) is var path && File.Exists(path) ? path : null;
}
