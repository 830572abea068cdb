using Latent.Applications.Imputation;
using Latent.Data;
using Latent.Engine;

namespace Latent.Tests.Applications;

public class ImputerTests
{
    private static readonly ImputerOptions Quick = new() { Hidden = [64, 64], Epochs = 200 };

    /// <summary>Rows driven by two hidden factors (linear and non-linear mixes plus a little noise), so that a row's known cells tell its missing ones.</summary>
    private static Tensor Correlated(int rows, ulong seed)
    {
        var rng = new Rng(seed);
        var x = Tensor.Zeros(rows, 6);
        Span<float> v = x.Span;
        for (int r = 0; r < rows; r++)
        {
            float a = rng.NextNormal(), b = rng.NextNormal();
            float[] row = [a, b, a + b, a - 0.5f * b, MathF.Tanh(2 * a), a * b];
            for (int c = 0; c < 6; c++) v[r * 6 + c] = row[c] + 0.05f * rng.NextNormal();
        }
        return x;
    }

    private static Tensor WithHoles(Tensor data, double rate, ulong seed)
    {
        var rng = new Rng(seed);
        Tensor holed = data.Detach();
        Span<float> v = holed.Span;
        for (int i = 0; i < v.Length; i++)
            if (rng.NextFloat() < rate) v[i] = float.NaN;
        return holed;
    }

    [Fact]
    public void KnownCellsNeverChangeAndEveryHoleIsFilled()
    {
        Tensor holed = WithHoles(Correlated(300, 1), 0.3, 2);
        float[] before = holed.ToArray();
        Imputer imputer = Imputer.Fit(holed, Quick with { Epochs = 5 });
        float[] after = imputer.Transform(holed).ToArray();
        Assert.Equal(before, holed.ToArray());   // the caller's data is not touched
        for (int i = 0; i < before.Length; i++)
        {
            if (float.IsNaN(before[i])) Assert.True(float.IsFinite(after[i]), $"cell {i} was not filled");
            else Assert.Equal(BitConverter.SingleToInt32Bits(before[i]), BitConverter.SingleToInt32Bits(after[i]));
        }
    }

    [Fact]
    public void BeatsTheColumnMeanOnCorrelatedData()
    {
        using Tensor data = Correlated(1000, 3);
        ImputationEvaluationResult result = ImputationEvaluation.Run(data, missingRate: 0.2, seeds: 1, options: Quick);
        Assert.True(result.Ours.Rmse < 0.6 * result.Mean.Rmse, $"ours {result.Ours.Rmse:F4} vs mean {result.Mean.Rmse:F4}");
        Assert.True(result.Knn.Rmse < result.Mean.Rmse, $"knn {result.Knn.Rmse:F4} vs mean {result.Mean.Rmse:F4}");
        Assert.Equal(result.Ours.Rmse, result.OursGainRounded.Rmse);   // continuous columns: GAIN's rounding leaves them alone
    }

    [Fact]
    public void GainRoundingRoundsTheFilledCellsOfColumnsWithFewDistinctValuesInOriginalUnits()
    {
        // Column 0 holds the whole numbers 0..4 (5 distinct values: rounded), column 1 has 24 distinct values (left alone).
        const int rows = 25;
        double[] min = [0, 0], range = [4 + 1e-6, 24 * 0.5 + 1e-6];
        var holed = new float[rows * 2];
        for (int r = 0; r < rows; r++)
        {
            holed[2 * r] = (float)(r % 5 / range[0]);
            holed[2 * r + 1] = (float)(r * 0.5 / range[1]);
        }
        holed[0] = holed[2] = holed[1] = float.NaN;   // two holes in column 0, one in column 1 (24 known values left)
        float[] filled = (float[])holed.Clone();
        filled[0] = (float)(2.4 / range[0]);
        filled[2] = (float)(2.5 / range[0]);          // halves go to the even neighbour, as numpy's round
        filled[1] = (float)(3.3 / range[1]);
        using Tensor filledTensor = Tensor.FromArray(filled, rows, 2), holedTensor = Tensor.FromArray(holed, rows, 2);
        ImputationEvaluation.GainRounding(filledTensor, holedTensor, min, range);
        Assert.Equal(2 / range[0], filledTensor.Span[0], 6);
        Assert.Equal(2 / range[0], filledTensor.Span[2], 6);
        Assert.Equal(filled[1], filledTensor.Span[1]);
        Assert.Equal(filled[4], filledTensor.Span[4]);   // a known cell is never touched
    }

    [Fact]
    public void ColumnWithoutAnyValueIsRefusedByName()
    {
        var table = new CsvTable([
            TableColumn.Numeric("a", [1, 2, 3, 4]),
            TableColumn.Numeric("empty", [double.NaN, double.NaN, double.NaN, double.NaN]),
        ]);
        var e = Assert.Throws<ArgumentException>(() => Imputer.Fit(table, Quick));
        Assert.Contains("'empty'", e.Message);
        Assert.Throws<ArgumentException>(() => ImputationBaselines.ColumnMean(table));
    }

    [Fact]
    public void CategoricalCellsGetValidAndMostlyRightCategories()
    {
        var rng = new Rng(4);
        int rows = 600;
        var x = new double[rows];
        var kind = new string?[rows];
        var truth = new string[rows];
        for (int r = 0; r < rows; r++)
        {
            x[r] = rng.NextNormal();
            truth[r] = x[r] < -0.5 ? "low" : x[r] < 0.5 ? "mid" : "high";
            kind[r] = r % 5 == 0 ? null : truth[r];
        }
        var table = new CsvTable([TableColumn.Numeric("x", x), TableColumn.Numeric("y", x.Select(v => 2 * v + 1)), TableColumn.Categorical("kind", kind)]);
        CsvTable filled = Imputer.Fit(table, Quick with { Epochs = 1000 }).Transform(table);
        TableColumn result = filled.Column("kind");
        int right = 0, holes = 0;
        for (int r = 0; r < rows; r++)
        {
            Assert.Contains(result.Text(r), new[] { "low", "mid", "high" });
            if (kind[r] is not null) continue;
            holes++;
            if (result.Text(r) == truth[r]) right++;
        }
        Assert.True(right > 0.8 * holes, $"{right} of {holes} imputed categories right");
    }

    [Fact]
    public void CsvWithQuotesAndMissingMarkersRoundTrips()
    {
        using var folder = new TempFolder();
        string input = folder.File("in.csv"), output = folder.File("out.csv");
        var lines = new List<string> { "id,size,colour,weight,note" };
        for (int r = 0; r < 60; r++)
        {
            string size = r % 7 == 0 ? "" : r % 11 == 0 ? "NaN" : (r % 10).ToString(System.Globalization.CultureInfo.InvariantCulture) + ".50";
            string colour = r % 9 == 0 ? "?" : r % 2 == 0 ? "\"dark, red\"" : "blue";
            string weight = r % 13 == 0 ? "NA" : (2 * (r % 10) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            lines.Add($"{r},{size},{colour},{weight},\"note \"\"{r}\"\"\"");
        }
        File.WriteAllLines(input, lines);
        CsvTable table = CsvTable.Read(input);
        CsvOutput.Write(output, Imputer.Fit(table, Quick with { Epochs = 3 }).Transform(table));

        CsvTable written = CsvTable.Read(output);
        Assert.Equal(table.ColumnNames, written.ColumnNames);
        Assert.Equal(File.ReadLines(input).First(), File.ReadLines(output).First());
        foreach (TableColumn column in table.Columns)
        {
            TableColumn after = written.Column(column.Name);
            for (int r = 0; r < table.Rows; r++)
            {
                Assert.False(after.IsMissing(r), $"{column.Name} row {r} still missing");
                if (!column.IsMissing(r)) Assert.Equal(column.Text(r), after.Text(r));   // "4.50" stays "4.50", quotes and commas survive
            }
        }
        Assert.All(Enumerable.Range(0, table.Rows), r => Assert.Contains(written.Column("colour").Text(r), new[] { "dark, red", "blue" }));
        Assert.Contains("\"dark, red\"", File.ReadAllText(output));
    }

    [Fact]
    public void FreeTextColumnsPassThrough()
    {
        string?[] notes = [.. Enumerable.Range(0, 40).Select(i => i == 3 ? null : $"note {i}")];
        var table = new CsvTable([TableColumn.Numeric("a", Enumerable.Range(0, 40).Select(i => i % 4 == 1 ? double.NaN : i)), TableColumn.Categorical("note", notes)]);
        CsvTable filled = Imputer.Fit(table, Quick with { Epochs = 2 }).Transform(table);
        Assert.True(filled.Column("note").IsMissing(3));
        Assert.False(filled.Column("a").IsMissing(1));
    }

    [Fact]
    public void SavedImputerGivesIdenticalResultsAndTheSameSeedTheSameModel()
    {
        using var folder = new TempFolder();
        Tensor holed = WithHoles(Correlated(200, 5), 0.2, 6);
        Imputer first = Imputer.Fit(holed, Quick with { Epochs = 3, Seed = 7 });
        Imputer second = Imputer.Fit(holed, Quick with { Epochs = 3, Seed = 7 });
        float[] expected = first.Transform(holed).ToArray();
        Assert.Equal(expected, second.Transform(holed).ToArray());

        string path = folder.File("imputer.safetensors");
        first.Save(path);
        Assert.Equal(expected, Imputer.Open(path).Transform(holed).ToArray());
        File.WriteAllBytes(folder.File("junk.safetensors"), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
        Assert.Throws<InvalidDataException>(() => Imputer.Open(folder.File("junk.safetensors")));
    }

    [Fact]
    public void BadInputGetsClearErrors()
    {
        Assert.Throws<ArgumentException>(() => Imputer.Fit(Tensor.Zeros(3), Quick));
        var infinite = Tensor.Zeros(4, 2);
        infinite.Span[5] = float.PositiveInfinity;
        Assert.Contains("Row 2, column 1", Assert.Throws<ArgumentException>(() => Imputer.Fit(infinite, Quick)).Message);
        Imputer imputer = Imputer.Fit(WithHoles(Correlated(50, 8), 0.1, 9), Quick with { Epochs = 1 });
        Assert.Contains("[rows, 6]", Assert.Throws<ArgumentException>(() => imputer.Transform(Tensor.Zeros(2, 5))).Message);
        Assert.Throws<ArgumentException>(() => Imputer.Fit(Tensor.Zeros(4, 2), Quick with { HideFraction = 1.5f }));
    }

    [Fact]
    public void NearestNeighboursAveragesTheClosestRowsThatKnowTheColumn()
    {
        float n = float.NaN;
        using var data = Tensor.FromArray([
            0f, 0f, 10f,
            0.1f, 0f, 12f,
            5f, 5f, 50f,
            0.05f, 0f, n,
            5f, 5.1f, n,
            0f, 0.1f, n,   // its own neighbours are unknown here: only rows that know column 3 count
        ], 6, 3);
        float[] filled = ImputationBaselines.NearestNeighbours(data, k: 2).ToArray();
        Assert.Equal(11f, filled[11], 3);   // rows 0 and 1
        Assert.Equal(31f, filled[14], 3);   // row 2 (nearest), then row 1
        Assert.Equal(11f, filled[17], 3);
        Assert.Equal((10f + 12f + 50f) / 3, ImputationBaselines.ColumnMean(data).ToArray()[11], 3);
    }

    /// <summary>60 rows: an id with holes, a count (whole numbers), a category under a header with a trailing space, and a ratio.</summary>
    private static CsvTable CountsAndRatios(TempFolder folder)
    {
        var text = new System.Text.StringBuilder("id,count,Cat 2 ,ratio\n");
        for (int r = 0; r < 60; r++)
            text.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"{(r % 9 == 4 ? "" : $"r{r}")},{(r % 7 == 3 ? "" : (r % 10).ToString())},{(r % 11 == 5 ? "" : r % 2 == 0 ? "a" : "b")},{(r % 5 == 0 ? "" : (r * 0.25 + 0.1).ToString())}\n");
        string path = folder.File("counts.csv");
        File.WriteAllText(path, text.ToString());
        return CsvTable.Read(path);
    }

    [Fact]
    public void FilledCellsAreValidValuesOfTheirColumnsAndTheHeaderIsKept()
    {
        using var folder = new TempFolder();
        CsvTable table = CountsAndRatios(folder);
        CsvTable[] results =
        [
            ImputationBaselines.ColumnMean(table, exclude: ["id"]),
            ImputationBaselines.NearestNeighbours(table, exclude: ["id"]),
            Imputer.Fit(table, Quick with { Epochs = 3, ExcludeColumns = ["id"] }).Transform(table),
        ];
        foreach (CsvTable filled in results)
        {
            Assert.Equal(["id", "count", "Cat 2 ", "ratio"], filled.ColumnNames);
            for (int r = 0; r < table.Rows; r++)
            {
                Assert.Equal(table.Column("id").Text(r), filled.Column("id").Text(r));   // excluded: left as it was, holes included
                Assert.InRange(int.Parse(filled.Column("count").Text(r)!, System.Globalization.CultureInfo.InvariantCulture), 0, 9);   // whole, within the known range
                Assert.Contains(filled.Column("Cat 2").Text(r), new[] { "a", "b" });
                Assert.False(filled.Column("ratio").IsMissing(r));
            }
        }
        Assert.Contains("The table has no column 'nope'", Assert.Throws<ArgumentException>(() => ImputationBaselines.ColumnMean(table, exclude: ["nope"])).Message);
    }
}
