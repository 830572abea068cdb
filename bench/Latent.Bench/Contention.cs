using System.Diagnostics;

namespace Latent.Bench;

/// <summary>
/// A busy loop pinned to the machine's last core for as long as this object lives: the foreign load of the contended
/// mode (a user's machine doing other work), put on both sides of a comparison. Needs <c>taskset</c> (util-linux).
/// </summary>
internal sealed class Contention : IDisposable
{
    private readonly Process _loop;

    private Contention(Process loop) => _loop = loop;

    /// <summary>Which core the loop occupies.</summary>
    public static int Core => Environment.ProcessorCount - 1;

    public static Contention Start()
    {
        var start = new ProcessStartInfo("taskset") { UseShellExecute = false };
        foreach (string argument in (string[])["-c", Core.ToString(), "sh", "-c", "while :; do :; done"]) start.ArgumentList.Add(argument);
        try
        {
            return new Contention(Process.Start(start) ?? throw new InvalidOperationException("taskset did not start."));
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"The contended mode needs taskset (util-linux) to pin its busy loop: {e.Message}", e);
        }
    }

    public void Dispose()
    {
        if (!_loop.HasExited) _loop.Kill(entireProcessTree: true);
        _loop.WaitForExit();
        _loop.Dispose();
    }
}
