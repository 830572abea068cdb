using Latent.Applications.AnomalyDetection;
using Latent.Data;
using Latent.Engine;
using Latent.Training;

namespace Latent.Tests.Applications.Contract;

/// <summary>The detector on a table: an id column left out, correlated numbers and a category.</summary>
public sealed class AnomalyDetectorContract : ApplicationContract<AnomalyDetector>
{
    private static readonly CsvTable Rows = Table(ContractData.Correlated(120, 4, seed: 1));
    private static readonly AnomalyOptions Small = new() { Members = 2, Epochs = 4, SampleRows = 64, ExcludeColumns = ["id"] };

    protected override AnomalyDetector Fit(ulong seed, IProgress<TrainingProgress>? progress = null) =>
        AnomalyDetector.Fit(Rows, Small with { Seed = seed }, progress);

    protected override float[] Use(AnomalyDetector app)
    {
        AnomalyReport report = app.Score(Rows);
        return [.. report.Scores, .. report.Flags.Select(f => f ? 1f : 0f), app.Threshold];
    }

    protected override IEnumerable<(Action, string)> BadInputs(AnomalyDetector app) =>
    [
        (() => app.Score(Tensor.Zeros(3, app.InputWidth + 1)), $"rows of {app.InputWidth}"),
        (() => AnomalyDetector.Fit(Table(ContractData.WithValue(ContractData.Correlated(120, 4, seed: 1), 4 * 9 + 2, float.NaN)), Small), "Data row 9, column 'c2' is missing"),
        (() => app.Score(ContractData.WithValue(Tensor.Zeros(5, app.InputWidth), app.InputWidth * 3 + 1, float.NaN)), "Data row 3, column 'c1' is missing"),
        (() => AnomalyDetector.Fit(Rows, Small with { TrimFraction = 0.95f }), "TrimFraction"),
        (() => AnomalyDetector.Fit(Rows, Small with { ExcludeColumns = ["absent"] }), "absent"),
        (() => AnomalyDetector.Fit(ContractData.Correlated(120, 4, seed: 1), Small), "ExcludeColumns"),
    ];

    protected override IEnumerable<object> CallerData => [Rows];

    protected override AnomalyDetector Open(string path) => AnomalyDetector.Open(path);

    /// <summary>Columns id, c0…c3 from <paramref name="numbers"/> [rows, 4], and kind (whether c0 is positive).</summary>
    private static CsvTable Table(Tensor numbers)
    {
        int rows = numbers.Dim(0), width = numbers.Dim(1);
        float[] x = numbers.ToArray();
        return new CsvTable([
            TableColumn.Numeric("id", Enumerable.Range(0, rows).Select(r => 1000.0 + r)),
            .. Enumerable.Range(0, width).Select(c => TableColumn.Numeric($"c{c}", Enumerable.Range(0, rows).Select(r => (double)x[r * width + c]))),
            TableColumn.Categorical("kind", Enumerable.Range(0, rows).Select(r => x[r * width] > 0 ? "high" : "low")),
        ]);
    }
}
