using Latent.Data;

namespace Latent.Tests.Data;

public class CsvChunkReaderTests
{
    private static string Write(TempFolder dir, string text)
    {
        string path = dir.File("table.csv");
        File.WriteAllText(path, text);
        return path;
    }

    private const string Table = "id,a,kind,b\n1,0.5,x,2\n2,1.5,y,\n3,2.5,x,4\n4,3.5,y,5\n5,4.5,x,6\n6,5.5,y,7\n7,6.5,x,8\n";

    [Fact]
    public void ChunksTogetherEncodeLikeTheWholeTable()
    {
        using var dir = new TempFolder();
        string path = Write(dir, Table);
        CsvTable whole = CsvTable.Read(path);
        TableSchema schema = TableSchema.Fit(whole, exclude: ["id"]);
        using var reader = CsvChunkReader.Open(path, schema, chunkRows: 3);
        var encoded = new List<float>();
        var sizes = new List<int>();
        while (reader.Next() is { } chunk)
        {
            sizes.Add(chunk.Rows);
            encoded.AddRange(schema.Encode(chunk).ToArray());
        }
        Assert.Equal([3, 3, 1], sizes);
        Assert.Equal(schema.Encode(whole).ToArray(), encoded);
        Assert.Equal(7, reader.RowsRead);
    }

    [Fact]
    public void OtherColumnsAreRefusedWhenOpening()
    {
        using var dir = new TempFolder();
        TableSchema schema = TableSchema.Fit(CsvTable.Read(Write(dir, Table)), exclude: ["id"]);
        string other = Write(dir, "id,a,kind,c\n1,2,x,3\n");
        var e = Assert.Throws<InvalidDataException>(() => CsvChunkReader.Open(other, schema));
        Assert.Contains("it lacks 'b' and it has the unknown 'c'", e.Message);
    }

    [Fact]
    public void ColumnsAreFoundByNameAndColumnsLeftOutArePassedOver()
    {
        using var dir = new TempFolder();
        TableSchema schema = TableSchema.Fit(CsvTable.Read(Write(dir, Table)), exclude: ["id"]);
        string shuffled = Write(dir, "b,note,kind,a\n2,hello,x,0.5\n");
        using var reader = CsvChunkReader.Open(shuffled, schema, columns: new ColumnSelection(Exclude: ["note"]));
        CsvTable chunk = reader.Next()!;
        Assert.Equal([0.5f, 1f, 0f, 2f], schema.Encode(chunk.Without(["note"])).ToArray());

        Assert.Contains("it has the unknown 'note'", Assert.Throws<InvalidDataException>(() => CsvChunkReader.Open(shuffled, schema)).Message);
        Assert.Contains("The excluded column 'nope' is not a column of",
            Assert.Throws<ArgumentException>(() => CsvChunkReader.Open(shuffled, schema, columns: new ColumnSelection(Exclude: ["nope"]))).Message);
    }

    [Fact]
    public void TextInANumericColumnNamesItsRowInTheWholeFile()
    {
        using var dir = new TempFolder();
        TableSchema schema = TableSchema.Fit(CsvTable.Read(Write(dir, Table)), exclude: ["id"]);
        using var reader = CsvChunkReader.Open(Write(dir, Table.Replace("5,4.5,x,6", "5,oops,x,6")), schema, chunkRows: 2);
        reader.Next();
        reader.Next();
        Assert.Contains("'oops' in data row 4 of column 'a'", Assert.Throws<InvalidDataException>(() => reader.Next()).Message);
    }
}
