using Latent.Applications.Imputation;
using Latent.Data;
using Latent.Engine;
using Latent.Training;

namespace Latent.Tests.Applications.Contract;

/// <summary>The imputer on a table with holes in numeric and categorical columns and an id column that passes through.</summary>
public sealed class ImputerTableContract : ApplicationContract<Imputer>
{
    private static readonly CsvTable Holed = Table(ContractData.Holed(120, 4, seed: 3));

    protected override Imputer Fit(ulong seed, IProgress<TrainingProgress>? progress = null) =>
        Imputer.Fit(Holed, new ImputerOptions { Hidden = [16], Epochs = 3, Seed = seed }, progress);

    /// <summary>The filled numeric cells, and each filled category's index in the column's categories.</summary>
    protected override float[] Use(Imputer app)
    {
        CsvTable filled = app.Transform(Holed);
        return [.. filled.Columns.SelectMany(c => Enumerable.Range(0, filled.Rows).Select(r => c.Kind == ColumnKind.Numeric
            ? (float)c.Number(r)
            : (float)c.Categories().ToList().IndexOf(c.Text(r)!)))];
    }

    protected override IEnumerable<(Action, string)> BadInputs(Imputer app) =>
    [
        (() => Imputer.Fit(new CsvTable([TableColumn.Numeric("empty", [double.NaN, double.NaN]), TableColumn.Numeric("x", [1, 2])])), "'empty' has no values"),
        (() => Imputer.Fit(Holed, new ImputerOptions { Passes = 0 }), "Passes"),
        (() => Imputer.Fit(ContractData.Holed(20, 3, seed: 1), new ImputerOptions { Hidden = [4], Epochs = 1 }).Transform(Holed), "fitted on a matrix"),
    ];

    protected override IEnumerable<object> CallerData => [Holed];

    protected override Imputer Open(string path) => Imputer.Open(path);

    /// <summary>An id column (unique text: passes through), c0…c3 from <paramref name="numbers"/> and kind (the sign of c0; missing where c0 is).</summary>
    private static CsvTable Table(Tensor numbers)
    {
        int rows = numbers.Dim(0), width = numbers.Dim(1);
        float[] x = numbers.ToArray();
        return new CsvTable([
            TableColumn.Categorical("id", Enumerable.Range(0, rows).Select(r => $"row-{r}")),
            .. Enumerable.Range(0, width).Select(c => TableColumn.Numeric($"c{c}", Enumerable.Range(0, rows).Select(r => (double)x[r * width + c]))),
            TableColumn.Categorical("kind", Enumerable.Range(0, rows).Select(r => float.IsNaN(x[r * width]) ? null : x[r * width] > 0 ? "high" : "low")),
        ]);
    }
}
