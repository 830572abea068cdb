using Latent.Cli.Terminal;
using Latent.Training;

namespace Latent.Cli.Tests;

/// <summary>
/// Training progress when output is redirected (<see cref="ProgressLog"/>), fed reports on a clock the test moves:
/// never long without a line, every epoch of a run shown, a fit in stages not flooding the log.
/// </summary>
public class ProgressLogTests
{
    private TimeSpan _now;
    private readonly StringWriter _output = new();

    private ProgressLog Log() => new(_output, () => _now);

    private string[] Lines => _output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Reports every batch of <paramref name="epochs"/> epochs, each batch taking <paramref name="batchSeconds"/>.</summary>
    private void Train(ProgressLog log, int epochs, int batches, double batchSeconds, string? stage = null, int? stopAfter = null)
    {
        for (int epoch = 1; epoch <= (stopAfter ?? epochs); epoch++)
        {
            for (int batch = 1; batch <= batches; batch++)
            {
                _now += TimeSpan.FromSeconds(batchSeconds);
                log.Report(new TrainingProgress(epoch, epochs, batch, batches, 0.5f, 1000, null, stage));
            }
            var report = new EpochReport(epoch, 0.5f, 0.6f, batches * batchSeconds, 1000, 1e-3f);
            log.Report(new TrainingProgress(epoch, epochs, batches, batches, 0.5f, 1000, report, stage));
        }
    }

    [Fact]
    public void EveryEpochOfARunGetsItsLine()
    {
        Train(Log(), epochs: 30, batches: 10, batchSeconds: 0.01);
        Assert.Equal(30, Lines.Count(l => l.StartsWith("epoch ", StringComparison.Ordinal)));
        Assert.Contains(Lines, l => l.StartsWith("epoch  30/30", StringComparison.Ordinal));
    }

    [Fact]
    public void ALongEpochSaysHowFarItIsEveryFewSeconds()
    {
        // One epoch of 60 s in 30 batches: a line at least every five seconds, with the time elapsed and left.
        Train(Log(), epochs: 2, batches: 30, batchSeconds: 2);
        string[] beats = [.. Lines.Where(l => l.Contains("batch", StringComparison.Ordinal))];
        Assert.InRange(beats.Length, 2 * 60 / 8, 2 * 60 / 5);
        Assert.Contains("epoch 1/2, batch 3/30", beats[0]);
        Assert.Contains("6s elapsed, about 1m54s left", beats[0]);   // 3 of 60 batches in 6 s: 114 s to go
        Assert.Contains(Lines, l => l.StartsWith("epoch   1/2", StringComparison.Ordinal) && l.Contains("1m00s elapsed, about 1m00s left", StringComparison.Ordinal));
    }

    [Fact]
    public void AFitInStagesShowsEachStagesLastEpochAndAnyEpochAfterAQuietSpell()
    {
        ProgressLog log = Log();
        for (int member = 1; member <= 3; member++) Train(log, epochs: 20, batches: 5, batchSeconds: 0.01, stage: $"member {member} of 3");
        Assert.Equal(3, Lines.Length);
        Assert.All(Lines, l => Assert.Contains("epoch  20/20", l));
        Assert.StartsWith("member 3 of 3: ", Lines[^1]);

        _output.GetStringBuilder().Clear();
        Train(log, epochs: 4, batches: 5, batchSeconds: 0.5, stage: "slow");   // 2.5 s epochs: every other one is shown
        Assert.Equal(["epoch   2/4", "epoch   4/4"], Lines.Where(l => l.Contains("epoch ", StringComparison.Ordinal)).Select(l => l["slow: ".Length..][..11]));
    }

    [Fact]
    public void AStageThatStopsEarlyStillShowsWhereItEnded()
    {
        ProgressLog log = Log();
        Train(log, epochs: 50, batches: 5, batchSeconds: 0.01, stage: "DEC refinement", stopAfter: 7);   // converged at epoch 7 of at most 50
        Assert.Empty(Lines);
        log.Flush();
        Assert.StartsWith("DEC refinement: epoch   7/50", Assert.Single(Lines));
    }

    [Theory]
    [InlineData(0.4, "0s")]
    [InlineData(42.9, "42s")]
    [InlineData(185, "3m05s")]
    [InlineData(3720, "1h02m")]
    public void DurationsReadAsPeopleWriteThem(double seconds, string expected) =>
        Assert.Equal(expected, ProgressLog.Duration(TimeSpan.FromSeconds(seconds)));
}
