using Latent.Applications.Search;
using Latent.Engine;

namespace Latent.Tests.Applications.Search;

/// <summary>Readers of an SQLite index while another connection writes to it (the write-ahead log): never blocked, never shown half an add.</summary>
public sealed class ConcurrentAccessTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task AReaderSeesEachAddWholeOrNotAtAllWhileAWriterAdds()
    {
        const int dim = 4, adds = 15, perAdd = 400;
        var model = SearchTestData.Model(inputs: dim, code: dim);
        string path = _folder.File("shared.db");
        float[] codes = SearchTestData.Gaussian(adds * perAdd, dim, seed: 4);
        string[] ids = SearchTestData.Ids(adds * perAdd);
        LatentIndex.Create(path, model).Dispose();

        // Each add is written as eight batches of 50 in one transaction: a reader between two batches would see a partial add.
        Task writer = Task.Run(() =>
        {
            using var index = LatentIndex.Open(path, model, new LatentIndexOptions { BatchSize = 50 });
            for (int a = 0; a < adds; a++)
                index.AddCodes(ids[(a * perAdd)..((a + 1) * perAdd)], SearchTestData.Rows(codes[(a * perAdd * dim)..((a + 1) * perAdd * dim)], dim));
        });
        var seen = new List<int>();
        do
        {
            using var reader = LatentIndex.Open(path, model, new LatentIndexOptions { Mode = SearchMode.Exact });
            seen.Add(reader.Count);
            if (reader.Count > 0)
            {
                // The last item of the last whole add is there, and it is its own nearest neighbour.
                int last = reader.Count - 1;
                Assert.Equal(ids[last], reader.SearchCode(codes.AsSpan(last * dim, dim), 1)[0].Id);
            }
        }
        while (!writer.IsCompleted);
        await writer;
        Assert.All(seen, count => Assert.Equal(0, count % perAdd));
        using var final = LatentIndex.Open(path, model);
        Assert.Equal(adds * perAdd, final.Count);
    }
}
