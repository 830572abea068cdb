using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace Latent.Tests.Readme;

/// <summary>
/// Keeps README.md honest: every C# block in it must appear, line for line, in <c>ReadmeExamples.cs</c>, where the
/// examples compile and run against small data. Change an example in both places.
/// </summary>
public sealed partial class ReadmeExampleCheck
{
    [Fact]
    public void EveryCSharpBlockOfTheReadmeIsCompiledAndRunByATest()
    {
        string examples = Normalise(File.ReadAllText(ExamplesFile()));
        string readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var blocks = CSharpBlock().Matches(readme).Select(m => m.Groups[1].Value).ToList();
        Assert.True(blocks.Count >= 8, $"README.md should show the library in C# for every application; it has {blocks.Count} C# blocks.");
        foreach (string block in blocks)
            Assert.True(examples.Contains(Normalise(block), StringComparison.Ordinal),
                $"This README example is not in ReadmeExamples.cs (so it may not compile):\n{block}");
    }

    /// <summary>Lines trimmed, blank lines and leading indentation ignored, so that an example can sit inside a method.</summary>
    private static string Normalise(string code) =>
        string.Join("\n", code.ReplaceLineEndings("\n").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0));

    private static string ExamplesFile([CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, "ReadmeExamples.cs");

    private static string RepositoryRoot([CallerFilePath] string here = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", ".."));

    [GeneratedRegex("```csharp\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
