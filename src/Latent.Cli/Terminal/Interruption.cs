using System.Runtime.InteropServices;

namespace Latent.Cli.Terminal;

/// <summary>
/// Ctrl-C, the same for every verb. The first cancels <see cref="Token"/>: the verb stops at its next check (after the
/// current batch, image or chunk of rows), its outputs are discarded and `latent` ends with exit code 130. A second one
/// ends the process at once, also with 130, after discarding the outputs being written; so does SIGTERM (`kill`), with
/// 143. Either way stderr gets one line: the failure of the verb and a stop at once are reported through
/// <see cref="Report"/>, which writes only the first.
/// </summary>
internal sealed class Interruption : IDisposable
{
    private const int Terminated = 143;   // 128 + SIGTERM, as a shell reports it
    private readonly CancellationTokenSource _cancel = new();
    private readonly PosixSignalRegistration _interrupt, _terminate;
    private readonly Lock _gate = new();
    private int _interrupts, _stoppedWith;
    private bool _reported;

    public Interruption()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnInterrupt);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            StopNow(Terminated);
        });
    }

    /// <summary>Cancelled by the first Ctrl-C.</summary>
    public CancellationToken Token => _cancel.Token;

    /// <summary>The exit code of a stop at once (second Ctrl-C, SIGTERM), which `latent` must end with even if the work ends first; else null.</summary>
    public int? StoppedWith => Volatile.Read(ref _stoppedWith) is > 0 and var code ? code : null;

    /// <summary>
    /// Reports how the verb failed (<see cref="ErrorReport"/>) and returns the exit code; after a stop at once, says nothing
    /// more: the work then fails on the outputs taken from under it, a consequence of the interruption already reported.
    /// </summary>
    public int Report(Exception e, TextWriter error)
    {
        lock (_gate)
        {
            if (_reported) return StoppedWith ?? ErrorReport.Cancelled;
            _reported = true;
            return ErrorReport.Write(e, error);
        }
    }

    private void OnInterrupt(PosixSignalContext context)
    {
        context.Cancel = true;   // the process ends when the work has stopped, not at the signal
        if (Interlocked.Increment(ref _interrupts) == 1) _cancel.Cancel();
        else StopNow(ErrorReport.Cancelled);
    }

    private void StopNow(int exitCode)
    {
        Volatile.Write(ref _stoppedWith, exitCode);
        Report(new OperationCanceledException(), Console.Error);
        OutputFile.DiscardAll();
        if (!Console.IsOutputRedirected) Console.Out.Write("\e[?25h");   // a live progress bar hides the cursor until it ends
        Environment.Exit(exitCode);
    }

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _cancel.Dispose();
    }
}
