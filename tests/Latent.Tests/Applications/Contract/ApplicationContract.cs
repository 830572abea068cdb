using Latent.Data;
using Latent.Engine;
using Latent.Models;
using Latent.Storage;
using Latent.Training;

namespace Latent.Tests.Applications.Contract;

/// <summary>
/// The contract every application passes (DESIGN.md, "The shape of an application"; like scikit-learn's
/// estimator_checks): save/open gives identical results, the same seed gives the same result, bad input gets an
/// <see cref="ArgumentException"/> naming the problem, files that are not the application's are refused with an
/// <see cref="InvalidDataException"/>, the caller's data is never modified, concurrent use gives the same results as
/// serial use, and fitting reports progress. An application joins by deriving and saying how to fit and use it on
/// small data.
/// </summary>
public abstract class ApplicationContract<TApp> where TApp : class
{
    /// <summary>Fits the application on small, fixed data with <paramref name="seed"/>.</summary>
    protected abstract TApp Fit(ulong seed, IProgress<TrainingProgress>? progress = null);

    /// <summary>The application's use methods on fixed inputs, flattened to numbers (what must not change).</summary>
    protected abstract float[] Use(TApp app);

    /// <summary>Calls with bad input, each with a part of the message it must give.</summary>
    protected abstract IEnumerable<(Action Call, string Says)> BadInputs(TApp app);

    /// <summary>The caller's objects that <see cref="Fit"/> and <see cref="Use"/> read (tensors, tables, arrays): they must come back unchanged.</summary>
    protected abstract IEnumerable<object> CallerData { get; }

    protected abstract TApp Open(string path);

    protected virtual void Save(TApp app, string path) => ModelFile.Save(path, ((ISavedModel)app).Content());

    [Fact]
    public void SaveAndOpenGiveIdenticalResults()
    {
        using var folder = new TempFolder();
        TApp app = Fit(1);
        string path = folder.File("app.safetensors");
        Save(app, path);
        TApp opened = Open(path);
        Assert.Equal(Use(app), Use(opened));
    }

    [Fact]
    public void TheSameSeedGivesTheSameResult() => Assert.Equal(Use(Fit(7)), Use(Fit(7)));

    [Fact]
    public void BadInputGetsAClearArgumentException()
    {
        TApp app = Fit(2);
        int cases = 0;
        foreach (var (call, says) in BadInputs(app))
        {
            ArgumentException e = Assert.ThrowsAny<ArgumentException>(call);
            Assert.Contains(says, e.Message);
            cases++;
        }
        Assert.True(cases > 0, "The contract needs at least one bad input to try.");
    }

    [Fact]
    public void FilesThatAreNotTheApplicationsAreRefused()
    {
        using var folder = new TempFolder();
        string foreign = folder.File("foreign.safetensors");
        SafeTensorsFile.Save(foreign, [("x", Tensor.Zeros(2, 2))], new Dictionary<string, string>());
        Assert.Throws<InvalidDataException>(() => Open(foreign));

        string path = folder.File("app.safetensors"), truncated = folder.File("truncated.safetensors");
        Save(Fit(3), path);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(truncated, bytes[..(bytes.Length * 2 / 3)]);
        Assert.Throws<InvalidDataException>(() => Open(truncated));
    }

    [Fact]
    public void TheCallersDataIsNeverModified()
    {
        object[] before = [.. CallerData.Select(Snapshot)];
        Use(Fit(4));
        Assert.Equal(before, CallerData.Select(Snapshot));
    }

    [Fact]
    public void ConcurrentUseGivesTheSameResultsAsSerialUse()
    {
        TApp app = Fit(5);
        float[] serial = Use(app);
        var results = new float[8][];
        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => results[i] = Use(app));
        foreach (float[] result in results) Assert.Equal(serial, result);
    }

    [Fact]
    public void FittingReportsProgress()
    {
        var reports = new List<TrainingProgress>();
        Fit(6, new InlineProgress<TrainingProgress>(reports.Add));
        Assert.NotEmpty(reports);
        Assert.All(reports, r => Assert.InRange(r.Epoch, 1, r.Epochs));
        Assert.Contains(reports, r => r.EpochEnded is not null || r.Stage is not null);
    }

    /// <summary>A comparable copy of a tensor's values, a table's cells or an array.</summary>
    private static object Snapshot(object data) => data switch
    {
        Tensor t => t.ToArray(),
        CsvTable table => table.Columns.SelectMany(c => Enumerable.Range(0, table.Rows).Select(r => c.Text(r))).ToArray(),
        Array array => array.Clone(),
        _ => throw new ArgumentException($"The contract cannot snapshot a {data.GetType().Name}; add it here."),
    };
}
