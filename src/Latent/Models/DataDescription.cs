using Latent.Data;
using Latent.Imaging;

namespace Latent.Models;

/// <summary>
/// What a model's rows are, stored with the model so that it can check and present new data: the image
/// geometry for images, or the table schema (column names, kinds, categories) for CSV rows.
/// </summary>
public sealed record DataDescription(ImageShape? Image = null, TableSchema? Schema = null)
{
    /// <summary>The image geometry and table schema of a data set.</summary>
    public static DataDescription Of(Dataset dataset) => new(dataset.Image, dataset.Schema);
}
