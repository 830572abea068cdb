using System.Text.Json;

namespace Latent.Tests.Imaging;

/// <summary>One file of Fixtures/, made by Pillow or ImageMagick (Fixtures/make_fixtures.py), and what it must decode to.</summary>
internal sealed record PngFixture(string File, string Encoder, int ColorType, int BitDepth, bool Interlaced, int Width, int Height,
    int[] Expected, bool ExpectedRgba)
{
    public override string ToString() => File;
}

/// <summary>Finds the fixture folder next to this source file (walking up from the test binaries) and reads expected.json.</summary>
internal static class PngFixtures
{
    public static string Folder { get; } = Locate();

    public static IReadOnlyList<PngFixture> All { get; } = Load();

    public static string PathOf(string name) => Path.Combine(Folder, name);

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "Latent.Tests", "Imaging", "Fixtures");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("tests/Latent.Tests/Imaging/Fixtures not found above " + AppContext.BaseDirectory);
    }

    private static IReadOnlyList<PngFixture> Load()
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "expected.json")));
        return [.. doc.RootElement.EnumerateArray().Select(e => new PngFixture(
            e.GetProperty("file").GetString()!, e.GetProperty("encoder").GetString()!, e.GetProperty("color_type").GetInt32(),
            e.GetProperty("bit_depth").GetInt32(), e.GetProperty("interlaced").GetBoolean(), e.GetProperty("width").GetInt32(),
            e.GetProperty("height").GetInt32(), [.. e.GetProperty("expected").EnumerateArray().Select(v => v.GetInt32())],
            e.TryGetProperty("expected_rgba", out JsonElement rgba) && rgba.GetBoolean()))];
    }
}
