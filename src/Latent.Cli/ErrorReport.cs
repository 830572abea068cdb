using System.Text.Json;
using Latent.Cli.Verbs;
using Latent.Models;
using Latent.Cli.Terminal;
using Latent.Training;

namespace Latent.Cli;

/// <summary>
/// How `latent` ends when a verb throws: a user's mistake is one sentence and exit code 1 (bad data or files) or 2
/// (command line); a cancellation is 130; anything else is a bug in Latent, reported as one with its trace and
/// exit code 70 (sysexits' EX_SOFTWARE), so that real bugs never hide behind a tidy message. A user's message names
/// outputs by the user's paths, never by where they were being written (<see cref="OutputFile"/>).
/// </summary>
internal static class ErrorReport
{
    public const int BadInput = 1, Usage = 2, InternalError = 70, Cancelled = 130;

    public static int Write(Exception e, TextWriter error)
    {
        // A static initialiser that refused a setting (LATENT_THREADS=abc) is judged by what it threw.
        if (e is TypeInitializationException { InnerException: { } cause }) e = cause;
        if (e is OperationCanceledException)
        {
            error.WriteLine("latent: interrupted; nothing was written.");
            return Cancelled;
        }
        if (IsUserError(e))
        {
            error.WriteLine($"latent: {(ModelKindMismatch.Of(e) is { } mismatch ? ModelFileVerbs.Explain(mismatch) : OutputFile.Unstaged(Sentence(e)))}");
            return e is UsageException ? Usage : BadInput;
        }
        error.WriteLine($"latent: internal error (a bug in Latent; please report it with the lines below): {e.GetType().Name}: {e.Message}");
        error.WriteLine(e.ToString());
        return InternalError;
    }

    /// <summary>The message without what .NET appends for programmers: an argument exception's " (Parameter 'name')" and "Actual value was …".</summary>
    private static string Sentence(Exception e)
    {
        if (e is not ArgumentException { ParamName: { } name }) return e.Message;
        int at = e.Message.IndexOf($" (Parameter '{name}')", StringComparison.Ordinal);
        return at >= 0 ? e.Message[..at] : e.Message;
    }

    /// <summary>
    /// The errors a user can fix: the library's bad-input exceptions (<see cref="ArgumentException"/> for bad data or
    /// settings, <see cref="InvalidDataException"/> for bad files, file-system errors, a diverged training run) and the
    /// verbs' own <see cref="UsageException"/>. <see cref="InvalidOperationException"/>, <see cref="NotSupportedException"/>,
    /// <see cref="NullReferenceException"/> and the rest mean a bug.
    /// </summary>
    private static bool IsUserError(Exception e) => e is UsageException or ArgumentException or InvalidDataException
        or IOException or UnauthorizedAccessException or JsonException or TrainingDivergedException;
}
