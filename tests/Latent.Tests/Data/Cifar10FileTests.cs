using Latent.Data;

namespace Latent.Tests.Data;

public class Cifar10FileTests
{
    [SkippableFact]
    public void ReadsTheTestBatchAsTheOfficialOneStarts()
    {
        string path = Path.Combine(SharedData.Require("cifar10"), "cifar10", "test_batch_first1000.bin");
        Dataset test = DataSource.Load(path, Split.Test);
        Assert.Equal(1000, test.Rows);
        Assert.Equal(3 * 32 * 32, test.Columns);
        Assert.Equal([3, 8, 8, 0, 6, 6, 1, 6], test.Labels![..8]);
        Assert.Equal([158f / 255, 159f / 255, 165f / 255, 166f / 255], test.Row(0)[..4]);   // red plane, first row
        Assert.Equal(Latent.Imaging.ImageShape.Rgb(32, 32), test.Image);
    }

    [Fact]
    public void FilesThatAreNotWholeRecordsAreRefused()
    {
        using var dir = new TempFolder();
        string partial = dir.File("partial.bin"), label = dir.File("label.bin");
        File.WriteAllBytes(partial, new byte[Cifar10File.RecordSize + 5]);
        Assert.Contains("not a whole number of CIFAR-10 records", Assert.Throws<InvalidDataException>(() => Cifar10File.Read(partial)).Message);
        var record = new byte[Cifar10File.RecordSize];
        record[0] = 12;
        File.WriteAllBytes(label, record);
        Assert.Contains("label 12", Assert.Throws<InvalidDataException>(() => Cifar10File.Read(label)).Message);
    }
}
