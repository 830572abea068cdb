using Latent.Imaging;
using Latent.Data;

namespace Latent.Tests.Data;

public class DataSourceTests
{
    [Fact]
    public void ANameLoadsTheDataSet()
    {
        Dataset digits = DataSource.Load("digits", Split.Test, dataDir: null);
        Assert.Equal(359, digits.Rows);
        Assert.Null(digits.Schema);
    }

    [Fact]
    public void ACsvFileIsEncodedWithItsSchemaAndColumnNames()
    {
        using var dir = new TempFolder();
        string path = CsvTableTests.WriteCsv(dir, "x,kind,label\n1,a,0\n2,b,1\n3,a,0\n", "rows.csv");

        Dataset data = DataSource.Load(path, Split.Train, columns: new ColumnSelection(Label: "label"));

        Assert.Equal("rows", data.Name);
        Assert.Equal([3, 3], data.Features.Shape);
        Assert.Equal(["x", "kind=a", "kind=b"], data.ColumnNames);
        Assert.Equal([0, 1, 0], data.Labels!);
        Assert.NotNull(data.Schema);
        Assert.Null(data.Image);

        // A new file encoded with the stored schema, without its label column.
        string other = CsvTableTests.WriteCsv(dir, "x,kind\n5,b\n", "new.csv");
        Dataset encoded = DataSource.Load(other, Split.Test, schema: TableSchema.FromJson(data.Schema!.ToJson()));
        Assert.Equal([5f, 0f, 1f], encoded.Features.ToArray());
    }

    [Fact]
    public void ExcludedColumnsAreLeftOutOfTheFeatures()
    {
        using var dir = new TempFolder();
        string path = CsvTableTests.WriteCsv(dir, "id,x,kind,label\nA-1,1,a,0\nB-2,2,b,1\n", "rows.csv");

        Dataset data = DataSource.Load(path, Split.Train, columns: new ColumnSelection(Label: "label", Exclude: ["id"]));

        Assert.Equal(["x", "kind=a", "kind=b"], data.ColumnNames);
        Assert.Equal(["id", "label"], data.Schema!.ExcludedColumns.Order());
        Dataset again = DataSource.Load(path, Split.Train, schema: data.Schema, columns: new ColumnSelection(Exclude: ["id"]));
        Assert.Equal(data.Features.ToArray(), again.Features.ToArray());
    }

    [Theory]
    [InlineData("labl", null, "The label column 'labl' is not a column of the CSV file")]
    [InlineData(null, "x,idd", "The excluded column 'idd' is not a column of the CSV file")]
    public void AColumnThatIsNotThereIsRefusedNamingTheColumnsThereAre(string? label, string? exclude, string message)
    {
        using var dir = new TempFolder();
        string path = CsvTableTests.WriteCsv(dir, "id,x,label\n1,2,0\n");
        var e = Assert.Throws<ArgumentException>(() =>
            DataSource.Load(path, Split.Train, columns: new ColumnSelection(label, exclude?.Split(','))));
        Assert.StartsWith(message, e.Message);
        Assert.EndsWith("whose columns are 'id', 'x', 'label'.", e.Message);
    }

    [Fact]
    public void DataWithoutNamedColumnsRefusesColumnNames()
    {
        var e = Assert.Throws<ArgumentException>(() => DataSource.Load("digits", Split.Train, columns: new ColumnSelection(Label: "label")));
        Assert.Equal("The label column 'label' cannot be chosen: the data set 'digits' has no named columns (only a CSV table has).", e.Message);
    }

    [Fact]
    public void AColumnOfTheModelsSchemaCannotBeLeftOut()
    {
        using var dir = new TempFolder();
        string path = CsvTableTests.WriteCsv(dir, "x,y\n1,2\n3,4\n");
        TableSchema schema = TableSchema.Fit(CsvTable.Read(path));
        var e = Assert.Throws<ArgumentException>(() => DataSource.Load(path, Split.Train, schema: schema, columns: new ColumnSelection(Exclude: ["y"])));
        Assert.Contains("Column 'y' is a feature", e.Message);
    }

    [Fact]
    public void ALabelColumnMustHoldWholeNumbers()
    {
        using var dir = new TempFolder();
        string path = CsvTableTests.WriteCsv(dir, "x,label\n1,0\n2,0.5\n");
        var e = Assert.Throws<InvalidDataException>(() => DataSource.Load(path, Split.Train, columns: new ColumnSelection(Label: "label")));
        Assert.Contains("the label '0.5' in data row 1 of column 'label'", e.Message);
    }

    [Fact]
    public void AnIdxImagesFileBringsTheLabelsBesideIt()
    {
        using var dir = new TempFolder();
        string images = IdxTestFiles.WriteImages(dir.File("train-images-idx3-ubyte.gz"), 4, 5, 6);
        IdxTestFiles.WriteLabels(dir.File("train-labels-idx1-ubyte"), [3, 1, 4, 1], gzip: false);
        string alone = IdxTestFiles.WriteImages(dir.File("pictures.idx"), 2, 5, 6);

        Dataset data = DataSource.Load(images, Split.Test);
        Dataset unlabelled = DataSource.Load(alone, Split.Test);

        Assert.Equal([4, 30], data.Features.Shape);
        Assert.Equal(new ImageShape(1, 5, 6), data.Image);
        Assert.Equal([3, 1, 4, 1], data.Labels!);
        Assert.Null(unlabelled.Labels);
    }

    [Fact]
    public void TheLabelsFileIsFoundForBothNamingStyles()
    {
        using var dir = new TempFolder();
        IdxTestFiles.WriteLabels(dir.File("t10k-labels.idx1-ubyte.gz"), [1]);
        Assert.Equal(dir.File("t10k-labels.idx1-ubyte.gz"), DataSource.LabelsFileFor(dir.File("t10k-images.idx3-ubyte")));
        Assert.Null(DataSource.LabelsFileFor(dir.File("train-images-idx3-ubyte")));
    }

    [Fact]
    public void AMissingFileGivesOneClearSentence()
    {
        string missing = Path.Combine(Path.GetTempPath(), "latent-no-such-folder", "file.csv");
        var e = Assert.Throws<FileNotFoundException>(() => DataSource.Load(missing, Split.Train));
        Assert.Equal($"'{missing}' is neither a known data set (digits, mnist, fashion-mnist) nor an existing file.", e.Message);
    }
}
