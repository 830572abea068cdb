using System.Text.RegularExpressions;

namespace Latent.Cli.Terminal;

/// <summary>
/// An output of a verb (a file, or a folder of files), checked before any work starts and written out of sight. The
/// check: a file path (not a folder) or a folder path (not a file) in a folder that exists and takes new files, not one of
/// the verb's inputs nor another of its outputs, and nothing there already unless --force. The verb then writes to
/// <see cref="Staging"/>, a hidden sibling made during the check (which proves the folder writable), and
/// <see cref="CommitAll"/> moves every output of the run into place once the work is done; a failure or an interruption
/// discards them instead (<see cref="DiscardAll"/>). So no half-written output is ever seen, an existing one is never
/// clobbered by a run that does not finish, and messages name the user's paths, never the staging ones.
/// A process runs one verb, so the outputs of the run are kept in one list.
/// </summary>
internal sealed partial class OutputFile
{
    private static readonly List<OutputFile> Pending = [];

    private readonly string _full;

    private OutputFile(string path, string option, string full, string staging, bool folder)
    {
        Path = path;
        Option = option;
        _full = full;
        Staging = staging;
        IsFolder = folder;
    }

    /// <summary>The path as the user gave it, for messages.</summary>
    public string Path { get; }

    /// <summary>The option that named it (--out, --save, ...).</summary>
    public string Option { get; }

    /// <summary>Where the verb writes: a hidden sibling of <see cref="Path"/> (inside it, for a folder that exists already).</summary>
    public string Staging { get; }

    public bool IsFolder { get; }

    /// <summary>Claims a file output; <paramref name="inputs"/> are the verb's inputs as (option or description, path or name), which it must not overwrite.</summary>
    /// <exception cref="IOException">The path is a folder, its folder is missing or takes no new files, or the file exists and <paramref name="force"/> is false.</exception>
    /// <exception cref="UsageException">The path is one of the inputs or another output.</exception>
    public static OutputFile File(string path, string option, bool force, params (string Option, string? Path)[] inputs)
    {
        string full = Check(path, option, inputs);
        if (Directory.Exists(full)) throw new IOException($"{option} '{path}' is a folder; give a file name.");
        if (System.IO.File.Exists(full) && !force) throw new IOException($"'{path}' exists; pass --force to overwrite it.");
        string folder = System.IO.Path.GetDirectoryName(full)!;
        string staging = System.IO.Path.Combine(folder,
            $".{System.IO.Path.GetFileNameWithoutExtension(full)}.partial-{Guid.NewGuid().ToString("N")[..8]}{System.IO.Path.GetExtension(full)}");
        Try(path, option, folder, () => new FileStream(staging, FileMode.CreateNew, FileAccess.Write).Dispose());
        return Claim(new OutputFile(path, option, full, staging, folder: false));
    }

    /// <summary>Claims a folder output, created if missing; an existing one must be empty unless <paramref name="force"/> (then files of the same names are replaced, others left alone).</summary>
    /// <exception cref="IOException">The path is a file, its parent is missing or takes no new folders, or the folder holds files and <paramref name="force"/> is false.</exception>
    /// <exception cref="UsageException">The path is one of the inputs or another output.</exception>
    public static OutputFile Folder(string path, string option, bool force, params (string Option, string? Path)[] inputs)
    {
        string full = Check(path, option, inputs);
        if (System.IO.File.Exists(full)) throw new IOException($"{option} '{path}' is a file, but a folder is needed here.");
        bool exists = Directory.Exists(full);
        if (exists && !force && Directory.EnumerateFileSystemEntries(full).Any())
            throw new IOException($"The folder '{path}' is not empty; pass --force to write into it (files of the same names are replaced).");
        string hidden = $".partial-{Guid.NewGuid().ToString("N")[..8]}";
        string staging = exists ? System.IO.Path.Combine(full, hidden) : System.IO.Path.Combine(System.IO.Path.GetDirectoryName(full)!, $".{System.IO.Path.GetFileName(full)}{hidden}");
        Try(path, option, System.IO.Path.GetDirectoryName(staging)!, () => Directory.CreateDirectory(staging));
        return Claim(new OutputFile(path, option, full, staging, folder: true));
    }

    /// <summary>
    /// Moves every output of the run into place, unless the run was interrupted: then they are left for
    /// <see cref="DiscardAll"/> and this throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public static void CommitAll(CancellationToken cancel)
    {
        lock (Pending)
        {
            cancel.ThrowIfCancellationRequested();
            foreach (OutputFile output in Pending) output.Commit();
            Pending.Clear();
        }
    }

    /// <summary>Deletes what the outputs not committed hold so far (after a failure, an interruption, or at exit). Safe to call from any thread, any number of times.</summary>
    public static void DiscardAll()
    {
        lock (Pending)
        {
            foreach (OutputFile output in Pending) output.Discard();
            Pending.Clear();
        }
    }

    /// <summary><paramref name="message"/> with every staging path (and temporary files named after one) replaced by the user's path.</summary>
    public static string Unstaged(string message)
    {
        lock (Pending)
            foreach (OutputFile output in Pending)
                message = Regex.Replace(message, $"[^\\s'\"]*{Regex.Escape(System.IO.Path.GetFileName(output.Staging))}[^\\s'\"]*", output.Path.Replace("$", "$$"));
        return message;
    }

    /// <summary>The checks common to files and folders; returns the full path.</summary>
    private static string Check(string path, string option, (string Option, string? Path)[] inputs)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new UsageException($"{option} needs a path.");
        string full = System.IO.Path.GetFullPath(path);
        string folder = System.IO.Path.GetDirectoryName(full) ?? throw new UsageException($"{option} '{path}' is the root folder; give a path inside it.");
        if (System.IO.File.Exists(folder)) throw new IOException($"{option} '{path}' is inside '{folder}', which is a file, not a folder.");
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"The folder '{folder}' for {option} does not exist.");
        foreach (var (inputOption, input) in inputs)
            if (input is not null && (System.IO.File.Exists(input) || Directory.Exists(input)) && SamePath(System.IO.Path.GetFullPath(input), full))
                throw new UsageException($"{option} '{path}' is also an input ({inputOption}); write the output elsewhere.");
        lock (Pending)
            if (Pending.FirstOrDefault(o => SamePath(o._full, full)) is { } other)
                throw new UsageException($"{option} '{path}' is also {other.Option}; give each output its own path.");
        return full;
    }

    private static bool SamePath(string a, string b) =>
        string.Equals(a.TrimEnd(System.IO.Path.DirectorySeparatorChar), b.TrimEnd(System.IO.Path.DirectorySeparatorChar),
            OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);

    /// <summary>Makes the staging file or folder, reporting a folder that takes nothing new in the user's terms.</summary>
    private static void Try(string path, string option, string folder, Action create)
    {
        try
        {
            create();
        }
        catch (UnauthorizedAccessException)
        {
            throw new IOException($"Cannot write {option} '{path}': permission denied in the folder '{folder}'.");
        }
        catch (IOException e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new IOException($"Cannot write {option} '{path}': the folder '{folder}' does not take new files.");
        }
        catch (IOException e)
        {
            throw new IOException($"Cannot write {option} '{path}': {QuotedPath().Replace(e.Message, "").TrimEnd('.', ' ')}.");
        }
    }

    private static OutputFile Claim(OutputFile output)
    {
        lock (Pending) Pending.Add(output);
        return output;
    }

    private void Commit()
    {
        if (!IsFolder)
        {
            System.IO.File.Move(Staging, _full, overwrite: true);
            return;
        }
        if (!Directory.Exists(_full))
        {
            Directory.Move(Staging, _full);
            return;
        }
        foreach (string file in Directory.EnumerateFiles(Staging, "*", SearchOption.AllDirectories))
        {
            string target = System.IO.Path.Combine(_full, System.IO.Path.GetRelativePath(Staging, file));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
            System.IO.File.Move(file, target, overwrite: true);
        }
        Directory.Delete(Staging, recursive: true);
    }

    /// <summary>Deletes the staging file with any files named after it (a database's journal, a writer's own temporary file), or the staging folder.</summary>
    private void Discard()
    {
        // The work may still be writing on another thread (a second Ctrl-C): a folder is first moved aside, so that it
        // gains no file while it is deleted.
        for (int attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                if (IsFolder)
                {
                    string aside = Staging + "-discarded";
                    if (Directory.Exists(Staging)) Directory.Move(Staging, aside);
                    if (Directory.Exists(aside)) Directory.Delete(aside, recursive: true);
                    return;
                }
                string folder = System.IO.Path.GetDirectoryName(Staging)!, name = System.IO.Path.GetFileName(Staging);
                foreach (string file in Directory.EnumerateFiles(folder, $"*{name}*"))
                    if (System.IO.Path.GetFileName(file) is { } found && (found.StartsWith(name, StringComparison.Ordinal) || found.StartsWith("." + name, StringComparison.Ordinal)))
                        System.IO.File.Delete(file);
                return;
            }
            catch (IOException)
            {
                Thread.Sleep(50);
            }
            catch (UnauthorizedAccessException)
            {
                return;   // nothing more can be done, and the error that brought us here matters more
            }
        }
    }

    /// <summary>A quoted path in a .NET message, with the separator before it (" : '/x/y'").</summary>
    [GeneratedRegex(@"\s*:?\s*'[^']*'")]
    private static partial Regex QuotedPath();
}
