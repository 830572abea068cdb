namespace Latent.Tests.Data;

/// <summary>A fresh clone without the shared data skips the tests that need it; CI, which provides the data, fails them.</summary>
public class SharedDataTests
{
    [Fact]
    public void AMissingSetSkipsNamingTheSetAndTheWayToGetIt()
    {
        using var empty = new TempFolder();
        var e = Assert.Throws<SkipException>(() => SharedData.Locate("mnist", empty.Path, empty.Path, underCi: false));
        Assert.Contains("'mnist'", e.Message);
        Assert.Contains("LATENT_DATA", e.Message);
    }

    [Fact]
    public void UnderCiAMissingSetIsAFailure()
    {
        using var empty = new TempFolder();
        var e = Assert.Throws<InvalidOperationException>(() => SharedData.Locate("mnist", empty.Path, empty.Path, underCi: true));
        Assert.Contains("CI must provide it", e.Message);
    }

    [Fact]
    public void LatentDataComesFirst()
    {
        using var data = new TempFolder();
        Directory.CreateDirectory(Path.Combine(data.Path, "odds"));
        Assert.Equal(data.Path, SharedData.Locate("odds", data.Path, AppContext.BaseDirectory, underCi: true));
    }
}
