using Latent.Training;

namespace Latent.Cli.Tests;

public class ErrorReportTests
{
    [Theory]
    [InlineData(typeof(ArgumentException), 1)]
    [InlineData(typeof(InvalidDataException), 1)]
    [InlineData(typeof(FileNotFoundException), 1)]
    [InlineData(typeof(TrainingDivergedException), 1)]
    [InlineData(typeof(UsageException), 2)]
    public void AUsersMistakeIsOneSentenceWithoutATrace(Type type, int exitCode)
    {
        var error = new StringWriter();
        int code = ErrorReport.Write(Thrown((Exception)Activator.CreateInstance(type, "The file 'x.csv' has no rows.")!), error);
        Assert.Equal(exitCode, code);
        Assert.Equal("latent: The file 'x.csv' has no rows.", error.ToString().Trim());
    }

    [Theory]
    [InlineData(typeof(InvalidOperationException))]
    [InlineData(typeof(NotSupportedException))]
    [InlineData(typeof(NullReferenceException))]
    [InlineData(typeof(IndexOutOfRangeException))]
    public void AnythingElseIsReportedAsABugWithItsTrace(Type type)
    {
        var error = new StringWriter();
        int code = ErrorReport.Write(Thrown((Exception)Activator.CreateInstance(type, "state went wrong")!), error);
        Assert.Equal(ErrorReport.InternalError, code);
        Assert.StartsWith("latent: internal error", error.ToString());
        Assert.Contains("state went wrong", error.ToString());
        Assert.Contains(nameof(Thrown), error.ToString());   // the trace names where it was thrown
    }

    [Fact]
    public void TheNameOfAParameterNeverReachesTheUser()
    {
        var error = new StringWriter();
        Assert.Equal(ErrorReport.BadInput, ErrorReport.Write(Thrown(new ArgumentException("The rows hold NaN.", "data")), error));
        Assert.Equal("latent: The rows hold NaN.", error.ToString().Trim());
        error = new StringWriter();
        ErrorReport.Write(Thrown(new ArgumentOutOfRangeException("row", 9, "The row must be between 0 and 4, not 9.")), error);
        Assert.Equal("latent: The row must be between 0 and 4, not 9.", error.ToString().Trim());
    }

    [Fact]
    public void ABadSettingReadByAStaticInitialiserIsAUsersMistake()
    {
        var error = new StringWriter();
        var refused = new TypeInitializationException("Latent.Engine.Parallelism", Thrown(new ArgumentException("LATENT_THREADS must be a positive integer, not 'abc'.")));
        Assert.Equal(ErrorReport.BadInput, ErrorReport.Write(refused, error));
        Assert.Equal("latent: LATENT_THREADS must be a positive integer, not 'abc'.", error.ToString().Trim());
    }

    [Fact]
    public void AnInterruptionSaysNothingWasWritten()
    {
        var error = new StringWriter();
        Assert.Equal(130, ErrorReport.Write(new OperationCanceledException(), error));
        Assert.Equal("latent: interrupted; nothing was written.", error.ToString().Trim());
    }

    /// <summary>The exception after a real throw, so that it carries a stack trace.</summary>
    private static Exception Thrown(Exception e)
    {
        try { throw e; }
        catch (Exception caught) { return caught; }
    }
}
