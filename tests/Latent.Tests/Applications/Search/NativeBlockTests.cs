using System.IO.MemoryMappedFiles;
using Latent.Applications.Search;

namespace Latent.Tests.Applications.Search;

public unsafe class NativeBlockTests
{
    [Fact]
    public void AMappedBlockTakenIntoItsOwnMemoryKeepsItsBytesAndLeavesTheFileAlone()
    {
        using var folder = new TempFolder();
        string path = folder.File("block.bin");
        byte[] bytes = [.. Enumerable.Range(0, 10_000).Select(i => (byte)(i * 7))];
        File.WriteAllBytes(path, bytes);
        using var block = new NativeBlock();
        using (var map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.CopyOnWrite))
            block.Map(map, 100, 5000);
        Assert.Equal(0, block.OwnBytes);

        block.Own();
        Assert.Equal(5000, block.OwnBytes);
        Assert.Equal(bytes[100..5100], new ReadOnlySpan<byte>(block.Data, 5000).ToArray());
        block.Data[0] = 1;   // its own memory now: the file is untouched
        block.Grow(8000, 5000);
        Assert.Equal(bytes[101..5100], new ReadOnlySpan<byte>(block.Data + 1, 4999).ToArray());
        Assert.Equal(bytes, File.ReadAllBytes(path));
    }
}
