using Latent.Bench.Reporting;

namespace Latent.Tests.Bench;

public class RepeatedRunsTests
{
    private static BenchRun Run(double ours, double peer, int minute, double foreignCores = 0.01, string measure = "train speed") =>
        new("dense", [], new DateTimeOffset(2026, 12, 6, 23, minute, 0, TimeSpan.Zero), 60, 0, foreignCores,
            [
                new(measure, ours, "samples/s", HigherIsBetter: true) { Peer = "PyTorch", PeerValue = peer },
                new("test MSE", 0.0184, "", HigherIsBetter: false) { Peer = "PyTorch", PeerValue = 0.0190, Note = "the reference's model" },
            ], []);

    [Fact]
    public void FiguresAreTheMediansOfEachSideAndTheNoteListsEachRunsRatio()
    {
        BenchRun combined = RepeatedRuns.Combine([Run(130, 100, 0), Run(90, 60, 5, foreignCores: 0.2), Run(110, 80, 10)]);

        BenchResult speed = combined.Results[0];
        Assert.Equal(110, speed.Ours);
        Assert.Equal(80, speed.PeerValue);
        Assert.Equal("median of 3 runs (ours / peer per run: 1.30, 1.50, 1.38)", speed.Note);
        Assert.Equal("the reference's model; median of 3 runs (ours / peer per run: 0.97, 0.97, 0.97)", combined.Results[1].Note);
        Assert.Equal(0.2, combined.ForeignCores);
        Assert.Equal(180, combined.Seconds);
        Assert.Equal(["--repeat 3"], combined.Arguments);
    }

    [Fact]
    public void AnEvenNumberOfRunsAveragesTheTwoMiddleFigures()
    {
        BenchRun combined = RepeatedRuns.Combine([Run(100, 50, 0), Run(140, 70, 5)]);

        Assert.Equal(120, combined.Results[0].Ours);
        Assert.Equal(60, combined.Results[0].PeerValue);
    }

    [Fact]
    public void RunsWithOtherResultsAreRefused()
    {
        var e = Assert.Throws<InvalidDataException>(() => RepeatedRuns.Combine([Run(100, 50, 0), Run(100, 50, 5, measure: "inference speed")]));
        Assert.Contains("differ", e.Message);
    }
}
