using System.IO.Compression;
using System.Text;
using Latent.Data;

namespace Latent.Tests.Data;

public class CsvTableTests
{
    internal static string WriteCsv(TempFolder dir, string text, string name = "t.csv")
    {
        string path = dir.File(name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    [Fact]
    public void ReadsQuotedFieldsMissingMarkersAndColumnKinds()
    {
        using var dir = new TempFolder();
        string path = WriteCsv(dir,
            "id,height,city,note\n" +
            "1,1.5,\"Paris, France\",\"said \"\"hi\"\"\"\n" +
            "2,,Oslo,\"two\nlines\"\n" +
            "3,NaN,?,x\n" +
            "4,na,N/A,y\n" +
            "5, NULL ,Oslo,z\n" +
            "6,-2e3,null,\n" +
            "7,?,,NA\n");

        CsvTable table = CsvTable.Read(path);

        Assert.Equal(["id", "height", "city", "note"], table.ColumnNames);
        Assert.Equal(7, table.Rows);
        Assert.Equal([ColumnKind.Numeric, ColumnKind.Numeric, ColumnKind.Categorical, ColumnKind.Categorical], table.Columns.Select(c => c.Kind));
        TableColumn height = table.Column("height");
        Assert.Equal(1.5, height.Number(0));
        Assert.Equal(-2000, height.Number(5));
        Assert.All([1, 2, 3, 4, 6], r => Assert.True(double.IsNaN(height.Number(r))));
        TableColumn city = table.Column("city");
        Assert.Equal("Paris, France", city.Text(0));
        Assert.Equal([false, false, true, true, false, true, true], Enumerable.Range(0, 7).Select(city.IsMissing));
        Assert.Equal(["Oslo", "Paris, France"], city.Categories());
        Assert.Equal("said \"hi\"", table.Column("note").Text(0));
        Assert.Equal("two\nlines", table.Column("note").Text(1));
        Assert.Null(table.Column("note").Text(6));
    }

    [Fact]
    public void ReadsGzipCompressedCsv()
    {
        using var dir = new TempFolder();
        string path = dir.File("t.csv.gz");
        using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
            gzip.Write("a,b\n1,x\n2,y\n"u8);
        Assert.Equal(2, CsvTable.Read(path).Rows);
    }

    [Fact]
    public void ARaggedRowNamesItsLineAndBothCounts()
    {
        using var dir = new TempFolder();
        string path = WriteCsv(dir, "a,b,c\n1,2,3\n\"multi\nline\",5,6\n4,5\n7,8,9\n");

        var e = Assert.Throws<InvalidDataException>(() => CsvTable.Read(path));

        Assert.Equal($"The CSV file '{path}' has 2 cells on line 5, but its header has 3 columns.", e.Message);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("\n\n", "is empty")]
    [InlineData("a,b\n", "has a header row but no data rows")]
    [InlineData("a,a\n1,2\n", "has the column name 'a' twice")]
    [InlineData("a,,c\n1,2,3\n", "has no name for column 1")]
    [InlineData("a,b\n1,\"unclosed\n", "is not valid CSV: ")]
    [InlineData("a,b\n1,ab\"c\n", "is not valid CSV: ")]
    public void BadFilesGiveOneClearSentence(string text, string problem)
    {
        using var dir = new TempFolder();
        string path = WriteCsv(dir, text);

        var e = Assert.Throws<InvalidDataException>(() => CsvTable.Read(path));

        Assert.StartsWith($"The CSV file '{path}' ", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void NumbersAreReadInInvariantCultureAndAnyTextMakesAColumnCategorical()
    {
        using var dir = new TempFolder();
        CsvTable table = CsvTable.Read(WriteCsv(dir, "dot,comma,inf\n1.25,\"1,25\",1\n-3,2,Infinity\n"));
        Assert.Equal(ColumnKind.Numeric, table.Column("dot").Kind);
        Assert.Equal(ColumnKind.Categorical, table.Column("comma").Kind);
        Assert.Equal(ColumnKind.Categorical, table.Column("inf").Kind);
    }

    [Fact]
    public void AMissingFileIsNamed()
    {
        string missing = Path.Combine(Path.GetTempPath(), "latent-no-such-folder", "table.csv");
        var e = Assert.Throws<FileNotFoundException>(() => CsvTable.Read(missing));
        Assert.Equal($"The file '{missing}' does not exist.", e.Message);
    }

    [Fact]
    public void SelectedRowsKeepTheirColumnsKindsAndCellTexts()
    {
        using var dir = new TempFolder();
        CsvTable table = CsvTable.Read(WriteCsv(dir, "n,kind,id\n2.50,a,x1\n,b,x2\n7,,x3\n"));
        CsvTable picked = table.SelectRows([2, 0, 2]);
        Assert.Equal(table.ColumnNames, picked.ColumnNames);
        Assert.Equal(table.Columns.Select(c => c.Kind), picked.Columns.Select(c => c.Kind));
        Assert.Equal(["7", "2.50", "7"], Enumerable.Range(0, 3).Select(r => picked.Column("n").Text(r)));
        Assert.Equal([null, "a", null], Enumerable.Range(0, 3).Select(r => picked.Column("kind").Text(r)));
        Assert.Throws<ArgumentOutOfRangeException>(() => table.SelectRows([3]));
    }

    [Fact]
    public void AskingForAnUnknownColumnListsTheColumns()
    {
        var table = new CsvTable([TableColumn.Numeric("a", [1]), TableColumn.Categorical("b", ["x"])]);
        Assert.Contains("'a', 'b'", Assert.Throws<ArgumentException>(() => table.Column("c")).Message);
    }

    [Fact]
    public void HeaderNamesKeepTheirExactTextAndAreFoundWithoutTheirSpaces()
    {
        using var dir = new TempFolder();
        string header = "a,Cat 2 , b,\" q \"";
        string path = WriteCsv(dir, header + "\r\n1,2,3,4\r\n");

        CsvTable table = CsvTable.Read(path);

        Assert.Equal(["a", "Cat 2 ", " b", " q "], table.ColumnNames);
        Assert.Equal(2, table.Column("Cat 2").Number(0));
        Assert.Equal(3, table.Column("b").Number(0));
        Assert.True(table.HasColumn(" Cat 2  "));
        CsvOutput.Write(dir.File("copy.csv"), table);
        Assert.Equal(["a", "Cat 2 ", " b", " q "], CsvTable.Read(dir.File("copy.csv")).ColumnNames);
    }

    [Fact]
    public void NamesThatDifferOnlyBySpacesAreTheSameName()
    {
        using var dir = new TempFolder();
        var e = Assert.Throws<InvalidDataException>(() => CsvTable.Read(WriteCsv(dir, "a,a \n1,2\n")));
        Assert.Contains("has the column name 'a' twice", e.Message);
    }

    [Fact]
    public void WithoutLeavesOutNamedColumnsAndRefusesUnknownOnes()
    {
        var table = new CsvTable([TableColumn.Numeric("id", [1]), TableColumn.Numeric("x", [2]), TableColumn.Categorical("label", ["y"])]);
        Assert.Equal(["x"], table.Without(["label", " id"]).ColumnNames);
        Assert.Contains("no column 'nope'; its columns are 'id', 'x', 'label'", Assert.Throws<ArgumentException>(() => table.Without(["nope"])).Message);
    }
}
