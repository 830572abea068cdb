using Latent.Engine;
using Latent.Imaging;

namespace Latent.Data;

/// <summary>
/// The CIFAR-10 binary format (Krizhevsky 2009): records of 3073 bytes, a label byte (0–9) then a 32×32 image as its red,
/// green and blue planes, row-major. Each record becomes a row of 3 × 32 × 32 floats in [0, 1] (channel-first, as models
/// see images) with its label.
/// </summary>
/// <example>
/// <code>
/// Dataset train = Cifar10File.Read("cifar10/data_batch_1.bin");   // train.Image is 3×32×32
/// </code>
/// </example>
public static class Cifar10File
{
    /// <summary>Bytes per record: one label and 3 × 32 × 32 pixels.</summary>
    public const int RecordSize = 1 + 3 * 32 * 32;

    /// <summary>Whether a path looks like a CIFAR-10 binary batch (its extension is .bin).</summary>
    public static bool IsCifar(string path) => path.EndsWith(".bin", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads every record of a CIFAR-10 binary file.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is empty, its length is not a whole number of records, or a label is above 9.</exception>
    public static Dataset Read(string path, int? limit = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"The CIFAR-10 file '{path}' does not exist.", path);
        long length = new FileInfo(path).Length;
        if (length == 0 || length % RecordSize != 0)
            throw new InvalidDataException($"'{path}' is {length} bytes, not a whole number of CIFAR-10 records of {RecordSize} bytes.");
        int count = (int)Math.Min(length / RecordSize, limit ?? int.MaxValue);
        const int size = RecordSize - 1;
        var features = Tensor.Zeros(count, size);
        var labels = new int[count];
        var record = new byte[RecordSize];
        using FileStream stream = File.OpenRead(path);
        Span<float> values = features.Span;
        for (int i = 0; i < count; i++)
        {
            stream.ReadExactly(record);
            if (record[0] > 9) throw new InvalidDataException($"Record {i} of '{path}' has the label {record[0]}; CIFAR-10 labels are 0 to 9.");
            labels[i] = record[0];
            for (int j = 0; j < size; j++) values[i * size + j] = record[1 + j] / 255f;
        }
        return new Dataset(Path.GetFileNameWithoutExtension(path), features, labels, ImageShape.Rgb(32, 32));
    }
}
