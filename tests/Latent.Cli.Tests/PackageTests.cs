using System.Diagnostics;
using System.IO.Compression;
using System.Runtime.InteropServices;

namespace Latent.Cli.Tests;

/// <summary>
/// The NuGet packages as a user gets them: packed into a local folder feed, referenced by a fresh console project that
/// trains, encodes, saves and opens a model, and the tool installed from the same feed and run on that model. Offline:
/// the feed, the packages already on this machine and the NuGet source it is configured with, nothing else.
/// </summary>
public sealed class PackageTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "latent-package-tests", Guid.NewGuid().ToString("N"));

    public PackageTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Folder(string name) => Directory.CreateDirectory(Path.Combine(_dir, name)).FullName;

    private const string Program = """
        using Latent.Data;
        using Latent.Engine;
        using Latent.Models;
        using Latent.Training;

        Dataset digits = Datasets.Load("digits", Split.Train);
        var model = new DenseAutoencoder(DenseAutoencoderConfig.For(digits.Features) with { Hidden = [32], CodeSize = 4 });
        model.Fit(digits.Features, new FitOptions { Epochs = 2, BatchSize = 64 });
        Tensor codes = model.Encode(digits.Features);
        model.Save("digits.safetensors");
        IAutoencoder again = ModelFile.OpenAutoencoder("digits.safetensors");
        Console.WriteLine($"{codes.Dim(0)} codes of {codes.Dim(1)}; reopened: {again.Encode(digits.Features).ToArray().SequenceEqual(codes.ToArray())}");
        """;

    [Fact]
    public void ThePackagesInstallFromALocalFeedAndWork()
    {
        string root = TestData.ExternalTool.RepositoryRoot(), feed = Folder("feed");
        // One pack of each: the tool builds all three; the libraries are packed from that build.
        foreach (var (project, build) in new[] { ("Latent.Cli", true), ("Latent", false), ("Latent.Engine", false) })
            Dotnet(root, ["pack", Path.Combine(root, "src", project, $"{project}.csproj"), "-c", "Release", "-o", feed, "--no-restore",
                .. (build ? Array.Empty<string>() : ["--no-build"])]);
        string version = Path.GetFileNameWithoutExtension(Directory.GetFiles(feed, "Latent.Engine.*.nupkg").Single())["Latent.Engine.".Length..];
        AssertPackage(feed, "Latent", version, "lib/net10.0/Latent.dll", "lib/net10.0/Latent.xml", "README.md");
        AssertPackage(feed, "Latent.Engine", version, "lib/net10.0/Latent.Engine.dll", "lib/net10.0/Latent.Engine.xml", "README.md");
        AssertPackage(feed, "Latent.Cli", version, "tools/net10.0/any/Latent.Cli.dll", "tools/net10.0/any/DotnetToolSettings.xml");

        // A fresh console project: the feed beside the machine's source, packages restored into a folder of its own
        // (so that no stale copy of this version is reused), with the machine's package folder to fall back on.
        string app = Folder("app");
        string fallback = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <configuration>
              <config><add key="globalPackagesFolder" value="{Folder("packages")}" /></config>
              <fallbackPackageFolders><add key="machine" value="{fallback}" /></fallbackPackageFolders>
              <packageSources><add key="latent-local" value="{feed}" /></packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(app, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Latent" Version="[{version}]" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), Program);
        string output = Dotnet(app, "run");
        Assert.Contains("1438 codes of 4; reopened: True", output);

        // The tool, from the same feed and nothing else.
        string tools = Folder("tools"), toolConfig = Path.Combine(_dir, "tool.config");
        File.WriteAllText(toolConfig, $"""
            <configuration>
              <packageSources><clear /><add key="latent-local" value="{feed}" /></packageSources>
            </configuration>
            """);
        Dotnet(_dir, "tool", "install", "Latent.Cli", "--tool-path", tools, "--version", version, "--configfile", toolConfig);
        string latent = Path.Combine(tools, "latent");
        Assert.Contains("export", Run(latent, app, "--help"));
        Run(latent, app, "export", "--model", "digits.safetensors", "--part", "encoder", "--out", "digits.onnx");
        Assert.True(new FileInfo(Path.Combine(app, "digits.onnx")).Length > 1000);
    }

    private static void AssertPackage(string feed, string id, string version, params string[] entries)
    {
        using ZipArchive package = ZipFile.OpenRead(Path.Combine(feed, $"{id}.{version}.nupkg"));
        foreach (string entry in entries) Assert.True(package.GetEntry(entry) is not null, $"{id} has no {entry}.");
        using var nuspec = new StreamReader(package.GetEntry($"{id}.nuspec")!.Open());
        string text = nuspec.ReadToEnd();
        Assert.Contains("<license type=\"expression\">MIT</license>", text);
        Assert.Contains("<repository type=\"git\"", text);
    }

    /// <summary>
    /// Runs the .NET CLI without leaving build servers behind (they would hold this process's output pipes open),
    /// and without the first-run banner or telemetry.
    /// </summary>
    private static string Dotnet(string workingDirectory, params string[] args) =>
        Run("dotnet", workingDirectory, [.. args, .. (args[0] is "pack" or "run" ? ["-p:UseSharedCompilation=false", "-nodeReuse:false"] : Array.Empty<string>())]);

    private static string Run(string program, string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args) start.ArgumentList.Add(a);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["LATENT_THREADS"] = "1";
        // The tool's launcher finds the runtime this test runs on.
        start.Environment["DOTNET_ROOT"] = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        using var process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(), stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(8)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish in 8 minutes.");
        }
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)} failed ({process.ExitCode}):\n{stdout.Result}\n{stderr.Result}");
        return stdout.Result;
    }
}
