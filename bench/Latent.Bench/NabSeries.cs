using System.Globalization;
using System.Text.Json;

namespace Latent.Bench;

/// <summary>
/// One NAB series (`$LATENT_DATA/nab/{name}.csv`: timestamp, value) with its labelled anomaly windows from
/// combined_windows.json, and the scoring rules of shared/reference/lstm_ae_nab.py: the training part is the first 40 %
/// of the points; a labelled window is hit when a flagged point lies inside it; the false-positive rate is the share of
/// scored points outside every window that are flagged.
/// </summary>
internal sealed record NabSeries(string Name, DateTime[] Times, float[] Values, (DateTime Start, DateTime End)[] Windows)
{
    public const double TrainFraction = 0.4;

    public int TrainPoints => (int)(Values.Length * TrainFraction);

    public static NabSeries Read(string folder, string name)
    {
        string[] lines = File.ReadAllLines(Path.Combine(folder, name + ".csv"));
        var times = new DateTime[lines.Length - 1];
        var values = new float[lines.Length - 1];
        for (int i = 1; i < lines.Length; i++)
        {
            string[] fields = lines[i].Split(',');
            times[i - 1] = DateTime.ParseExact(fields[0], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            values[i - 1] = float.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        using JsonDocument json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "combined_windows.json")));
        var windows = json.RootElement.GetProperty($"realKnownCause/{name}.csv").EnumerateArray()
            .Select(w => (Parse(w[0].GetString()!), Parse(w[1].GetString()!))).ToArray();
        return new NabSeries(name, times, values, windows);
    }

    private static DateTime Parse(string text) => DateTime.ParseExact(text, "yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture);

    /// <summary>
    /// How flags fare against the labelled windows: windows with a flagged point, and flagged / scored points outside
    /// every window. <paramref name="scores"/> has one score per point, NaN where a point has none.
    /// </summary>
    public (int Hit, double FalsePositiveRate) Judge(float[] scores, double threshold)
    {
        bool[] inside = new bool[Values.Length];
        int hit = 0;
        foreach (var (start, end) in Windows)
        {
            bool any = false;
            for (int i = 0; i < Times.Length; i++)
                if (Times[i] >= start && Times[i] <= end)
                {
                    inside[i] = true;
                    any |= scores[i] > threshold;
                }
            if (any) hit++;
        }
        int outside = 0, flagged = 0;
        for (int i = 0; i < scores.Length; i++)
            if (!float.IsNaN(scores[i]) && !inside[i])
            {
                outside++;
                if (scores[i] > threshold) flagged++;
            }
        return (hit, (double)flagged / outside);
    }

    /// <summary>numpy's default percentile (linear interpolation between closest ranks) of the non-NaN values.</summary>
    public static double Percentile(IEnumerable<float> values, double percent)
    {
        double[] sorted = [.. values.Where(v => !float.IsNaN(v)).Select(v => (double)v).Order()];
        double rank = percent / 100 * (sorted.Length - 1);
        int low = (int)Math.Floor(rank), high = Math.Min(sorted.Length - 1, low + 1);
        return sorted[low] + (rank - low) * (sorted[high] - sorted[low]);
    }
}
