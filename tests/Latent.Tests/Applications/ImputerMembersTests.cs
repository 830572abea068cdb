using Latent.Applications.Imputation;
using Latent.Engine;

namespace Latent.Tests.Applications;

/// <summary>The imputer's cheap members (nearest neighbours, chained regressions) and the per-column blend of all three.</summary>
public class ImputerMembersTests
{
    private static readonly ImputerOptions Small = new() { Hidden = [32, 32], Epochs = 20 };

    /// <summary>
    /// Columns 0–3 are linear in two hidden factors (a regression recovers them); columns 4–6 are two coin flips and their
    /// exclusive or, blurred a little (no line fits the exclusive or, but the nearest rows share it). Values lie in [0, 1].
    /// </summary>
    private static Tensor Planted(int rows, ulong seed)
    {
        var rng = new Rng(seed);
        var x = Tensor.Zeros(rows, 7);
        Span<float> v = x.Span;
        for (int r = 0; r < rows; r++)
        {
            float a = rng.NextFloat(), b = rng.NextFloat();
            int u = rng.NextInt(2), w = rng.NextInt(2);
            float[] row = [a, b, 0.5f * (a + b), 0.5f + 0.5f * (a - b), u, w, u ^ w];
            for (int c = 0; c < 7; c++) v[r * 7 + c] = row[c] + (c >= 4 ? 0.05f * rng.NextNormal() : 0.01f * rng.NextNormal());
        }
        return x;
    }

    private static (Tensor Holed, int[] Hidden) Hide(Tensor data, double rate, ulong seed)
    {
        var rng = new Rng(seed);
        Tensor holed = data.Detach();
        Span<float> v = holed.Span;
        var hidden = new List<int>();
        for (int i = 0; i < v.Length; i++)
        {
            if (rng.NextFloat() >= rate) continue;
            v[i] = float.NaN;
            hidden.Add(i);
        }
        return (holed, [.. hidden]);
    }

    private static double Rmse(Tensor filled, Tensor truth, int[] hidden, Func<int, bool>? cells = null)
    {
        int[] scored = [.. hidden.Where(i => cells?.Invoke(i) ?? true)];
        return Math.Sqrt(scored.Average(i => Math.Pow(filled.Span[i] - truth.Span[i], 2)));
    }

    [Fact]
    public void TheBlendBeatsEachMemberAndLeansOnTheRightOneForEachKindOfColumn()
    {
        using Tensor truth = Planted(800, 1);
        var (holed, hidden) = Hide(truth, 0.2, 2);
        using (holed)
        {
            Imputer blended = Imputer.Fit(holed, Small);
            double blend = Rmse(blended.Transform(holed), truth, hidden);
            double network = Rmse(Imputer.Fit(holed, Small with { Neighbours = 0, RegressionRounds = 0 }).Transform(holed), truth, hidden);
            double neighbours = Rmse(ImputationBaselines.NearestNeighbours(holed), truth, hidden);
            using Tensor regressed = RegressionMember.Fit(holed, Imputer.ColumnMeans(holed), 10).Impute(holed);
            double regression = Rmse(regressed, truth, hidden);
            Assert.True(blend < Math.Min(network, Math.Min(neighbours, regression)),
                $"blend {blend:F4} vs network {network:F4}, neighbours {neighbours:F4}, regression {regression:F4}");

            // Members in order network, neighbours, regression; each column's weights are convex.
            IReadOnlyList<float> w = blended.Blend!.Weights;
            for (int c = 0; c < 7; c++)
            {
                Assert.All(w.Skip(3 * c).Take(3), v => Assert.InRange(v, 0f, 1f));
                Assert.Equal(1f, w[3 * c] + w[3 * c + 1] + w[3 * c + 2], 4);
            }
            Assert.True(w[3 * 2 + 2] > w[3 * 2 + 1], $"the linear column 2 leans on the neighbours ({w[7]:F2}) more than on the regressions ({w[8]:F2})");
            Assert.True(w[3 * 6 + 1] > w[3 * 6 + 2], $"the exclusive-or column 6 leans on the regressions ({w[20]:F2}) more than on the neighbours ({w[19]:F2})");
        }
    }

    /// <summary>
    /// 200 rows give a single 5% hold-out about 8 cells per column, too few to weigh the members of each column by (the
    /// linear columns leaned 0.59–0.83 on the regressions, a coin column 0.05 on the neighbours): the blend is
    /// cross-fitted there, so each column leans on the member that suits it.
    /// </summary>
    [Fact]
    public void OnASmallTableEachColumnStillLeansOnTheMemberThatSuitsIt()
    {
        using Tensor truth = Planted(200, 3);
        var (holed, _) = Hide(truth, 0.2, 4);
        using (holed)
        {
            IReadOnlyList<float> w = Imputer.Fit(holed, Small).Blend!.Weights;   // network, neighbours, regression per column
            for (int c = 0; c < 4; c++)
                Assert.True(w[3 * c + 2] > 0.9f, $"the linear column {c} leans on the regressions: {w[3 * c + 2]:F2}");
            for (int c = 4; c < 7; c++)
                Assert.True(w[3 * c + 1] > w[3 * c + 2], $"the coin column {c} leans on the neighbours ({w[3 * c + 1]:F2}) more than on the regressions ({w[3 * c + 2]:F2})");
        }
    }

    [Theory]
    [InlineData(200, 10)]   // 160 known cells a column: 8 at 5%, so every known cell in one of 10 folds
    [InlineData(2000, 1)]   // 1,600 known cells a column: 80 at 5%, one hold-out
    public void HeldOutCellsAreKnownHeldOnceAndNeverARowsOrColumnsLast(int rows, int folds)
    {
        using Tensor truth = Planted(rows, 8);
        var (holed, _) = Hide(truth, 0.2, 9);
        using (holed)
        {
            int[][] held = Imputer.HeldOutFolds(holed, 0.05f, new Rng(10));
            Assert.Equal(folds, held.Length);
            float[] x = holed.ToArray();
            int known = x.Count(v => !float.IsNaN(v));
            int[] all = [.. held.SelectMany(f => f)];
            Assert.Equal(all.Length, all.Distinct().Count());
            Assert.All(all, i => Assert.False(float.IsNaN(x[i])));
            Assert.InRange(all.Length, folds == 1 ? 0.04 * known : 0.95 * known, folds == 1 ? 0.06 * known : known);
            foreach (int[] fold in held)
            {
                var taken = fold.ToHashSet();
                for (int r = 0; r < rows; r++)
                    if (Enumerable.Range(r * 7, 7).Any(i => !float.IsNaN(x[i]))) Assert.Contains(Enumerable.Range(r * 7, 7), i => !float.IsNaN(x[i]) && !taken.Contains(i));
                for (int c = 0; c < 7; c++)
                    Assert.Contains(Enumerable.Range(0, rows).Select(r => r * 7 + c), i => !float.IsNaN(x[i]) && !taken.Contains(i));
            }
        }
    }

    [Fact]
    public void TheNeighbourMemberTakesAPlantedNeighboursValue()
    {
        float n = float.NaN;
        using var donors = Tensor.FromArray([
            0.0f, 0.0f, 0.9f,
            0.5f, 0.5f, 0.1f,
            0.8f, 0.2f, 0.7f,
            0.52f, 0.49f, n,   // knows nothing of column 2: never a donor for it
        ], 4, 3);
        using var query = Tensor.FromArray([0.51f, n, n], 1, 3);
        var member = new NeighbourMember(donors, 1, [0.5f, 0.5f, 0.5f]);
        float[] filled = member.Impute(query).ToArray();
        Assert.Equal(0.51f, filled[0]);   // known: copied
        Assert.Equal(0.49f, filled[1]);   // the nearest row that knows column 1
        Assert.Equal(0.1f, filled[2]);    // the nearest row that knows column 2
    }

    [Fact]
    public void TheRegressionMemberRecoversALinearColumnAndReplaysOnNewRows()
    {
        var rng = new Rng(3);
        var data = Tensor.Zeros(400, 3);
        Span<float> v = data.Span;
        for (int r = 0; r < 400; r++)
        {
            float a = rng.NextFloat(), b = rng.NextFloat();
            (v[r * 3], v[r * 3 + 1], v[r * 3 + 2]) = (a, b, 0.2f + 0.5f * a - 0.2f * b);
        }
        var (holed, hidden) = Hide(data, 0.2, 4);
        RegressionMember member = RegressionMember.Fit(holed, Imputer.ColumnMeans(holed), 10);
        using Tensor filled = member.Impute(holed);
        float[] known = holed.ToArray();
        double error = Rmse(filled, data, hidden, i => i % 3 == 2 && !float.IsNaN(known[i - 1]) && !float.IsNaN(known[i - 2]));
        Assert.True(error < 0.01, $"column 2 follows from columns 0 and 1 where the row knows them: rmse {error:F4}");

        using var fresh = Tensor.FromArray([0.4f, 0.6f, float.NaN], 1, 3);
        Assert.InRange(member.Impute(fresh).Span[2], 0.27f, 0.29f);   // 0.2 + 0.5 · 0.4 − 0.2 · 0.6, nearly (ridge)
    }

    /// <summary>
    /// Like glass's oxide shares: the inputs sit in a narrow band (std 0.02 of a [0, 1] range), and column 3 follows
    /// from them exactly. A ridge fixed in absolute terms (λ = 1e-3 against variances of 4e-4) shrank the weights to a
    /// third and missed most of column 3's spread; a ridge relative to each column's variance keeps the relation.
    /// </summary>
    [Fact]
    public void TheRegressionMemberRecoversALinearColumnWhoseInputsSpreadNarrowly()
    {
        var rng = new Rng(5);
        var data = Tensor.Zeros(400, 4);
        Span<float> v = data.Span;
        for (int r = 0; r < 400; r++)
        {
            float a = 0.5f + 0.02f * rng.NextNormal(), b = 0.3f + 0.02f * rng.NextNormal(), c = 0.2f + 0.02f * rng.NextNormal();
            (v[r * 4], v[r * 4 + 1], v[r * 4 + 2], v[r * 4 + 3]) = (a, b, c, a + b - c);
        }
        var (holed, hidden) = Hide(data, 0.2, 6);
        using Tensor filled = RegressionMember.Fit(holed, Imputer.ColumnMeans(holed), 10).Impute(holed);
        float[] known = holed.ToArray();
        double error = Rmse(filled, data, hidden, i => i % 4 == 3 && !float.IsNaN(known[i - 1]) && !float.IsNaN(known[i - 2]) && !float.IsNaN(known[i - 3]));
        Assert.True(error < 0.003, $"column 3 (std 0.035) follows from the others where the row knows them: rmse {error:F4}");
    }

    [Fact]
    public void ObservedCellsStayAndEachSetOfMembersRoundTripsThroughAFile()
    {
        using var folder = new TempFolder();
        using Tensor truth = Planted(150, 5);
        var (holed, _) = Hide(truth, 0.2, 6);
        float[] before = holed.ToArray();
        ImputerOptions[] variants = [Small, Small with { Neighbours = 0 }, Small with { RegressionRounds = 0 }, Small with { Neighbours = 0, RegressionRounds = 0 }];
        foreach (ImputerOptions options in variants)
        {
            Imputer imputer = Imputer.Fit(holed, options with { Epochs = 2 });
            float[] filled = imputer.Transform(holed).ToArray();
            for (int i = 0; i < before.Length; i++)
                if (!float.IsNaN(before[i])) Assert.Equal(BitConverter.SingleToInt32Bits(before[i]), BitConverter.SingleToInt32Bits(filled[i]));
                else Assert.True(float.IsFinite(filled[i]));
            string path = folder.File($"imputer-{options.Neighbours}-{options.RegressionRounds}.safetensors");
            imputer.Save(path);
            Assert.Equal(filled, Imputer.Open(path).Transform(holed).ToArray());
        }
        Assert.Equal(before, holed.ToArray());
    }

    [Fact]
    public void ImpossibleMemberSettingsAreRefusedByName()
    {
        using Tensor data = Planted(20, 7);
        Assert.Contains("Neighbours", Assert.Throws<ArgumentException>(() => Imputer.Fit(data, Small with { Neighbours = -1 })).Message);
        Assert.Contains("RegressionRounds", Assert.Throws<ArgumentException>(() => Imputer.Fit(data, Small with { RegressionRounds = -1 })).Message);
        Assert.Contains("BlendFraction", Assert.Throws<ArgumentException>(() => Imputer.Fit(data, Small with { BlendFraction = 0 })).Message);
        Assert.Contains("MaxDonors", Assert.Throws<ArgumentException>(() => Imputer.Fit(data, Small with { MaxDonors = 0 })).Message);
    }
}
