using Latent.Applications.AnomalyDetection;
using Latent.Data;
using Latent.Engine;
using Latent.Models;
using Latent.Storage;

namespace Latent.Tests.Applications.AnomalyDetection;

public class AnomalyPersistenceTests
{
    /// <summary>An id column (left out), two related numeric columns, a constant one and a categorical one.</summary>
    private static CsvTable Table(int rows, ulong seed)
    {
        var rng = new Rng(seed);
        var id = new double[rows];
        var x = new double[rows];
        var y = new double[rows];
        var kind = new string?[rows];
        for (int r = 0; r < rows; r++)
        {
            id[r] = 1000 + r;
            x[r] = rng.NextNormal();
            y[r] = 2 * x[r] + 0.1 * rng.NextNormal();
            kind[r] = x[r] > 0 ? "high" : "low";
        }
        return new CsvTable([
            TableColumn.Numeric("id", id), TableColumn.Numeric("x", x), TableColumn.Numeric("y", y),
            TableColumn.Numeric("constant", Enumerable.Repeat(7.0, rows)), TableColumn.Categorical("kind", kind),
        ]);
    }

    [Fact]
    public void ASavedAndLoadedDetectorGivesIdenticalScoresAndABitExactFile()
    {
        using var dir = new TempFolder();
        CsvTable table = Table(300, 1);
        var options = new AnomalyOptions { Members = 3, Threshold = ThresholdRule.FalsePositiveRate(0.05), Seed = 4, ExcludeColumns = ["id"] };
        AnomalyDetector detector = AnomalyDetector.Fit(table, options);
        string path = dir.File("detector.safetensors"), again = dir.File("again.safetensors");
        detector.Save(path);
        AnomalyDetector loaded = AnomalyDetector.Open(path);

        CsvTable fresh = Table(50, 2);
        AnomalyReport before = detector.Score(fresh), after = loaded.Score(fresh);
        Assert.Equal(before.Scores, after.Scores);
        Assert.Equal(before.Flags, after.Flags);
        Assert.Equal(Enumerable.Range(0, 50).SelectMany(r => before.Contributions(r).ToArray()), Enumerable.Range(0, 50).SelectMany(r => after.Contributions(r).ToArray()));
        Assert.Equal(detector.Threshold, loaded.Threshold);
        Assert.Equal(ThresholdRule.FalsePositiveRate(0.05), loaded.Options.Threshold);
        Assert.Equal(["x", "y", "kind"], loaded.Columns);
        Assert.Equal(["constant"], loaded.DroppedColumns);

        loaded.Save(again);
        SafeTensorsContent a = SafeTensorsFile.Load(path), b = SafeTensorsFile.Load(again);
        Assert.Equal(a.Metadata, b.Metadata);
        Assert.Equal(a.Tensors.Keys.Order(), b.Tensors.Keys.Order());
        Assert.All(a.Tensors, t => Assert.Equal(t.Value.ToArray(), b.Tensors[t.Key].ToArray()));
    }

    [Fact]
    public void ATableWithOtherColumnsIsRefusedClearly()
    {
        AnomalyDetector detector = AnomalyDetector.Fit(Table(100, 3), new AnomalyOptions { Members = 1, Epochs = 2, ExcludeColumns = ["id"] });
        CsvTable table = Table(10, 4);
        var renamed = new CsvTable(table.Columns.Select(c => c.Name == "y"
            ? TableColumn.Numeric("z", Enumerable.Range(0, 10).Select(c.Number))
            : c));
        var e = Assert.Throws<InvalidDataException>(() => detector.Score(renamed));
        Assert.Contains("lacks 'y'", e.Message);
        var withoutId = new CsvTable(table.Columns.Where(c => c.Name != "id"));
        Assert.Equal(10, detector.Score(withoutId).Count);   // a left-out column may be absent
    }

    [Fact]
    public void OtherModelFilesAreRefused()
    {
        using var dir = new TempFolder();
        string path = dir.File("dense.safetensors");
        new DenseAutoencoder(new DenseAutoencoderConfig { Inputs = 4, Hidden = [3], CodeSize = 2 }).Save(path);
        Assert.Contains("not an anomaly detector", Assert.Throws<InvalidDataException>(() => AnomalyDetector.Open(path)).Message);
        Assert.Throws<FileNotFoundException>(() => AnomalyDetector.Open(dir.File("missing.safetensors")));
    }
}
