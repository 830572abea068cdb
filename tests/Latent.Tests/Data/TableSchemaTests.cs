using Latent.Data;
using Latent.Engine;

namespace Latent.Tests.Data;

public class TableSchemaTests
{
    private static CsvTable Table(string text)
    {
        using var dir = new TempFolder();
        return CsvTable.Read(CsvTableTests.WriteCsv(dir, text));
    }

    private const string Colours = "size,colour,label\n1.5,red,0\n,blue,1\n-2,,0\n4,red,1\n";

    [Fact]
    public void EncodesNumbersAsTheyAreAndCategoriesOneHot()
    {
        CsvTable table = Table(Colours);
        TableSchema schema = TableSchema.Fit(table, exclude: ["label"]);

        Tensor encoded = schema.Encode(table);

        Assert.Equal(["size", "colour=blue", "colour=red"], schema.EncodedNames);
        Assert.Equal(["label"], schema.ExcludedColumns);
        Assert.Equal([4, 3], encoded.Shape);
        float nan = float.NaN;
        Assert.Equal(
            [1.5f, 0, 1,
             nan, 1, 0,
             -2, nan, nan,
             4, 0, 1],
            encoded.ToArray());
    }

    [Fact]
    public void DecodesBackToTheTable()
    {
        CsvTable table = Table(Colours);
        TableSchema schema = TableSchema.Fit(table, exclude: ["label"]);

        CsvTable decoded = schema.Decode(schema.Encode(table));

        Assert.Equal(["size", "colour"], decoded.ColumnNames);
        for (int r = 0; r < table.Rows; r++)
        {
            Assert.Equal(table.Column("size").Text(r), decoded.Column("size").Text(r));
            Assert.Equal(table.Column("colour").Text(r), decoded.Column("colour").Text(r));
        }
    }

    [Fact]
    public void DecodingPicksTheCategoryWithTheHighestValue()
    {
        TableSchema schema = TableSchema.Fit(Table("c\na\nb\nc\n"));
        CsvTable decoded = schema.Decode(Tensor.FromArray([0.2f, 0.7f, 0.1f, 0.9f, -1f, 0.95f, float.NaN, float.NaN, float.NaN], 3, 3));
        Assert.Equal(["b", "c", null], Enumerable.Range(0, 3).Select(decoded.Column("c").Text));
    }

    [Fact]
    public void ExcludedColumnsMayBeAbsentFromLaterTables()
    {
        TableSchema schema = TableSchema.Fit(Table(Colours), exclude: ["label"]);
        Assert.Equal([1, 3], schema.Encode(Table("size,colour\n3,blue\n")).Shape);
    }

    [Theory]
    [InlineData("size\n1\n", "it lacks 'colour'")]
    [InlineData("size,colour,weight\n1,red,2\n", "it has the unknown 'weight'")]
    [InlineData("size,colour\nbig,red\n", "column 'size' was numeric but now holds text such as 'big'")]
    [InlineData("size,colour\n1,red\n2,green\n", "Column 'colour' holds the category 'green' in data row 1, which the schema does not know (it knows 'blue', 'red')")]
    public void ATableThatDoesNotMatchIsRefusedWithTheDifference(string text, string difference)
    {
        TableSchema schema = TableSchema.Fit(Table(Colours), exclude: ["label"]);

        var e = Assert.Throws<InvalidDataException>(() => schema.Encode(Table(text)));

        Assert.Contains(difference, e.Message);
    }

    [Fact]
    public void ColumnsAreMatchedByNameInAnyOrder()
    {
        TableSchema schema = TableSchema.Fit(Table(Colours), exclude: ["label"]);
        Tensor inOrder = schema.Encode(Table("size,colour,label\n3,blue,1\n,red,0\n"));
        Tensor shuffled = schema.Encode(Table("label,colour,size\n1,blue,3\n0,red,\n"));
        Assert.Equal(inOrder.ToArray(), shuffled.ToArray());
    }

    [Fact]
    public void ACategoricalColumnThatNowLooksNumericIsStillEncodedByItsCategories()
    {
        TableSchema schema = TableSchema.Fit(Table("grade\n1\n2\nx\n"));
        Assert.Equal([1f, 0f, 0f, 0f, 1f, 0f], schema.Encode(Table("grade\n1\n2\n")).ToArray());
    }

    [Fact]
    public void JsonRoundTripEncodesIdentically()
    {
        CsvTable table = Table(Colours);
        TableSchema schema = TableSchema.Fit(table, exclude: ["label"]);

        TableSchema loaded = TableSchema.FromJson(schema.ToJson());

        Assert.Equal(schema.EncodedNames, loaded.EncodedNames);
        Assert.Equal(schema.ExcludedColumns, loaded.ExcludedColumns);
        Assert.Equal(schema.Columns.Select(c => c.Kind), loaded.Columns.Select(c => c.Kind));
        Assert.Equal(schema.Encode(table).ToArray(), loaded.Encode(table).ToArray());
        Assert.Equal(schema.ToJson(), loaded.ToJson());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("{\"format\":\"something-else\",\"columns\":[],\"excluded\":[]}")]
    [InlineData("{\"format\":\"latent.table-schema/1\",\"columns\":[{\"name\":\"a\",\"kind\":\"fuzzy\"}],\"excluded\":[]}")]
    public void BadJsonIsRefused(string json)
    {
        var e = Assert.Throws<InvalidDataException>(() => TableSchema.FromJson(json));
        Assert.Contains("table schema JSON", e.Message);
    }

    [Fact]
    public void FittingRefusesUnknownExclusionsAndNothingLeft()
    {
        CsvTable table = Table("a\n1\n");
        Assert.Contains("no column 'b'", Assert.Throws<ArgumentException>(() => TableSchema.Fit(table, ["b"])).Message);
        Assert.Contains("Every column", Assert.Throws<ArgumentException>(() => TableSchema.Fit(table, ["a"])).Message);
    }

    [Fact]
    public void DecodeRefusesTheWrongWidth()
    {
        TableSchema schema = TableSchema.Fit(Table(Colours));
        Assert.Contains("[rows, 4], not [2, 3]", Assert.Throws<ArgumentException>(() => schema.Decode(Tensor.Zeros(2, 3))).Message);
    }
}
