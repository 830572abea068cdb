using Latent.Data;
using Latent.Engine;

namespace Latent.Tests.Applications.Recommendation;

/// <summary>
/// A planted rank-2 rating matrix: r(u, i) = 3 + 1.5·(a_u·b_i) clipped to [1, 5], with a_u and b_i unit-ish random
/// vectors; a share of the cells is observed (the training rows), the rest can be held out to test recovery.
/// </summary>
internal static class PlantedRatings
{
    public static (Ratings Observed, Ratings Hidden) Make(int users, int items, double observed, ulong seed)
    {
        var rng = new Rng(seed);
        float[] a = [.. Enumerable.Range(0, users * 2).Select(_ => rng.NextNormal() * 0.9f)];
        float[] b = [.. Enumerable.Range(0, items * 2).Select(_ => rng.NextNormal() * 0.9f)];
        var seen = (Users: new List<string>(), Items: new List<string>(), Values: new List<float>());
        var held = (Users: new List<string>(), Items: new List<string>(), Values: new List<float>());
        for (int u = 0; u < users; u++)
            for (int i = 0; i < items; i++)
            {
                float r = Math.Clamp(3f + 1.5f * (a[2 * u] * b[2 * i] + a[2 * u + 1] * b[2 * i + 1]), 1f, 5f);
                var into = rng.NextFloat() < observed ? seen : held;
                into.Users.Add($"u{u}");
                into.Items.Add($"i{i}");
                into.Values.Add(r);
            }
        return (new Ratings([.. seen.Users], [.. seen.Items], [.. seen.Values]), new Ratings([.. held.Users], [.. held.Items], [.. held.Values]));
    }
}
