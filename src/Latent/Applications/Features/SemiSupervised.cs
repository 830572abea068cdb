using Latent.Engine;
using Latent.Models;
using Latent.Training;

namespace Latent.Applications.Features;

/// <summary>
/// The semi-supervised recipe: an autoencoder learns the structure of all rows without labels, then a classifier
/// learns the few labelled rows from their codes. It pays off when labels are scarce and rows are plenty.
/// </summary>
public static class SemiSupervised
{
    /// <summary>Trains the autoencoder on <paramref name="unlabeled"/> (which may include the labelled rows) and the classifier on the codes of <paramref name="labeled"/>.</summary>
    public static (DenseAutoencoder Encoder, Classifier Classifier) Fit(Tensor unlabeled, Tensor labeled, int[] labels, DenseAutoencoderConfig autoencoder,
        FitOptions? training = null, ClassifierOptions? classifier = null, CancellationToken cancel = default)
    {
        var model = new DenseAutoencoder(autoencoder);
        model.Fit(unlabeled, training, cancel: cancel);
        using Tensor codes = model.Encode(labeled);
        return (model, Classifier.Fit(codes, labels, classifier));
    }

    /// <summary>Accuracy of the recipe's classifier on test rows.</summary>
    public static double Accuracy(DenseAutoencoder encoder, Classifier classifier, Tensor rows, int[] labels)
    {
        using Tensor codes = encoder.Encode(rows);
        return classifier.Accuracy(codes, labels);
    }
}
