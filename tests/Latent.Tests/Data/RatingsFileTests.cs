using Latent.Data;
using Latent.TestData;

namespace Latent.Tests.Data;

public sealed class RatingsFileTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Write(string name, string text)
    {
        string path = _folder.File(name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void MovieLens100KLinesAreTabSeparatedWithTimes()
    {
        Ratings r = RatingsFile.Read(Write("u.data", "196\t242\t3\t881250949\n186\t302\t3\t891717742\n"));
        Assert.Equal(["196", "186"], r.Users);
        Assert.Equal(["242", "302"], r.Items);
        Assert.Equal([3f, 3f], r.Values);
        Assert.Equal([881250949L, 891717742L], r.Times!);
    }

    [Fact]
    public void MovieLens1MLinesAreDoubleColonSeparated()
    {
        Ratings r = RatingsFile.Read(Write("ratings.dat", "1::1193::5::978300760\n1::661::3::978302109\n"));
        Assert.Equal(["1193", "661"], r.Items);
        Assert.Equal([5f, 3f], r.Values);
    }

    [Fact]
    public void CsvColumnsAreFoundByNameOrTakenInOrder()
    {
        Ratings named = RatingsFile.Read(Write("named.csv", "timestamp,rating,movieId,userId\n10,4.5,m1,ann\n11,2,m2,bob\n"));
        Assert.Equal(["ann", "bob"], named.Users);
        Assert.Equal(["m1", "m2"], named.Items);
        Assert.Equal([4.5f, 2f], named.Values);
        Ratings headless = RatingsFile.Read(Write("plain.csv", "ann,m1,4\nbob,m2,5\n"));
        Assert.Equal([4f, 5f], headless.Values);
        Ratings interactions = RatingsFile.Read(Write("clicks.csv", "user,item\nann,m1\nbob,m1\n"));
        Assert.Equal([1f, 1f], interactions.Values);
    }

    [Fact]
    public void MalformedLinesAreNamedByTheirNumber()
    {
        var bad = Assert.Throws<InvalidDataException>(() => RatingsFile.Read(Write("bad.data", "1\t2\t3\t4\n1\t2\tfive\t4\n")));
        Assert.Contains("line 2", bad.Message);
        Assert.Contains("'five' is not a number", bad.Message);
        Assert.Contains("line 1 has 1 field", Assert.Throws<InvalidDataException>(() => RatingsFile.Read(Write("short.data", "12\n"))).Message);
        Assert.Contains("holds no ratings", Assert.Throws<InvalidDataException>(() => RatingsFile.Read(Write("empty.csv", "\n"))).Message);
        Assert.Throws<FileNotFoundException>(() => RatingsFile.Read(_folder.File("absent.data")));
    }

    [SkippableFact]
    public void MovieLens100KHasItsPublishedCounts()
    {
        string folder = SharedData.Require("movielens-100k");
        Ratings all = RatingsFile.Read(Path.Combine(folder, "movielens-100k", "u.data"));
        Assert.Equal(100_000, all.Count);
        Assert.Equal(943, all.Users.Distinct().Count());
        Assert.Equal(1682, all.Items.Distinct().Count());
        Assert.Equal(80_000, RatingsFile.Read(Path.Combine(folder, "movielens-100k", "u1.base")).Count);
    }
}
