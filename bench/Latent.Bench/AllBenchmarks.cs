using System.Diagnostics;

namespace Latent.Bench;

/// <summary>
/// `all [--skip a,b] [--only a,b] [--quick] [--repeat N]`: runs the benchmarks one after the other, each in a child
/// process of its own (a fresh runtime: no JIT state, heap, thread settings or peak memory carried over from the one
/// before), then writes the report. A benchmark that leaves no results file (it crashed) gets one saying so, with its
/// exit code. <c>--repeat N</c> runs the whole sequence N times (rounds rather than one benchmark N times in a row, so
/// that a slow spell of the machine does not fall on one benchmark's every run); the report gives the medians.
/// </summary>
internal static class AllBenchmarks
{
    public static int Run(string[] options, string[] benchmarks)
    {
        bool quick = false;
        int repeat = 1;
        var only = new List<string>();
        var skip = new List<string>();
        for (int i = 0; i < options.Length; i++)
        {
            string option = options[i];
            string name = option.Split('=', 2)[0];
            if (option == "--quick")
            {
                quick = true;
                continue;
            }
            if (name is not ("--only" or "--skip" or "--repeat"))
            {
                Console.Error.WriteLine($"all: unknown option '{option}'; options: --only a,b, --skip a,b, --quick, --repeat N");
                return 2;
            }
            string? value = option.Contains('=') ? option[(name.Length + 1)..] : i + 1 < options.Length ? options[++i] : null;
            if (name == "--repeat")
            {
                if (!int.TryParse(value, out repeat) || repeat is < 1 or > 20)
                {
                    Console.Error.WriteLine($"all: --repeat needs a number of runs from 1 to 20, not '{value}'");
                    return 2;
                }
                continue;
            }
            if (string.IsNullOrWhiteSpace(value))
            {
                Console.Error.WriteLine($"all: {name} needs a comma-separated list of benchmarks");
                return 2;
            }
            (name == "--only" ? only : skip).AddRange(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        if (only.Concat(skip).FirstOrDefault(b => !benchmarks.Contains(b)) is { } unknown)
        {
            Console.Error.WriteLine($"all: unknown benchmark '{unknown}'; benchmarks: {string.Join(", ", benchmarks)}");
            return 2;
        }

        string[] chosen = [.. benchmarks.Where(b => (only.Count == 0 || only.Contains(b)) && !skip.Contains(b))];
        var failed = new List<string>();
        foreach (string stale in chosen.SelectMany(Results.RepeatFilesOf)) File.Delete(stale);
        for (int round = 1; round <= repeat; round++)
            foreach (var (benchmark, index) in chosen.Select((b, i) => (b, i)))
            {
                Console.WriteLine($"## all: {benchmark} ({index + 1} of {chosen.Length}{(repeat > 1 ? $", run {round} of {repeat}" : "")})");
                int exitCode = RunChild(benchmark, quick, repeating: repeat > 1);
                if (exitCode != 0) failed.Add($"{benchmark} (exit code {exitCode})");
                if (round < repeat) File.Move(Results.FileOf(benchmark), Results.RepeatFileOf(benchmark, round), overwrite: true);
            }
        Console.WriteLine(failed.Count == 0 ? $"## all: {chosen.Length} benchmarks ran{(repeat > 1 ? $" {repeat} times" : "")}" : $"## all: failed: {string.Join(", ", failed)}");
        int report = ReportCommand.Write(benchmarks);
        return failed.Count > 0 ? 1 : report;
    }

    /// <summary>Runs one benchmark in a child process, its output going straight to ours; returns its exit code.</summary>
    private static int RunChild(string benchmark, bool quick, bool repeating)
    {
        string file = Results.FileOf(benchmark);
        Directory.CreateDirectory(Results.Folder);
        File.Delete(file);   // a stale file must not pass for this run's results
        string host = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(host) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") start.ArgumentList.Add(typeof(AllBenchmarks).Assembly.Location);
        start.ArgumentList.Add(benchmark);
        if (quick) start.ArgumentList.Add("--quick");
        if (repeating) start.Environment[Results.RepeatingVariable] = "1";

        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        int exitCode;
        try
        {
            using Process child = Process.Start(start)!;
            child.WaitForExit();
            exitCode = child.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Console.Error.WriteLine($"all: could not start {benchmark}: {e.Message}");
            exitCode = 70;
        }
        if (!File.Exists(file))
            new BenchRun(benchmark, quick ? ["--quick"] : [], started, clock.Elapsed.TotalSeconds, exitCode == 0 ? 70 : exitCode, null, [], []).Save(file);
        return exitCode;
    }
}
