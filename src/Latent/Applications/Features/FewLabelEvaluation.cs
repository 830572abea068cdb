using Latent.Applications.Reduction;
using Latent.Data;
using Latent.Engine;
using Latent.Models;

namespace Latent.Applications.Features;

/// <summary>How <see cref="FewLabelEvaluation"/> draws its labelled rows and trains its classifiers.</summary>
public sealed record FewLabelOptions
{
    /// <summary>Labelled training rows the classifiers learn from; null for all of them. The rest stay unlabelled.</summary>
    public int? Labels { get; init; }
    /// <summary>Draw the same number of rows per class (Labels / classes each), as few-label benchmarks do; otherwise a plain random draw.</summary>
    public bool Balanced { get; init; }
    /// <summary>Independent draws of the labelled rows; the accuracies are their mean (draw i is seeded with Seed + i).</summary>
    public int Draws { get; init; } = 1;
    /// <summary>
    /// When set, the codes are also placed in a neighbour embedding fitted without labels on every training row's codes
    /// (as N2D clusters: the unlabelled rows shape the map), test rows placed among them by
    /// <see cref="NeighbourEmbedding.Transform"/>; the classifier then also learns from the embedded codes
    /// (<see cref="FewLabelResult.EmbeddedAccuracy"/>). Its Seed is replaced by <see cref="Seed"/>.
    /// </summary>
    public NeighbourEmbeddingOptions? Embedding { get; init; }

    /// <summary>
    /// The embedding to ask for: N2D's clustering settings (10-d, 20 neighbours, minimum distance 0). Chosen on MNIST
    /// (`bench reduce --validate --only-features --only-embedded`: 54,000 / 6,000 training images, 20 epochs, seed 1):
    /// 100-label validation accuracy 0.955 embedded against 0.732 for the codes; 10 neighbours 0.958, 2-d 0.800.
    /// </summary>
    public static NeighbourEmbeddingOptions RecommendedEmbedding { get; } = new() { Dimensions = 10, Neighbours = 20, MinDistance = 0 };
    /// <summary>The softmax classifier trained on each feature set.</summary>
    public ClassifierOptions Classifier { get; init; } = new();
    /// <summary>Seeds which rows are labelled.</summary>
    public ulong Seed { get; init; }

    internal void Validate()
    {
        if (Draws < 1) throw new ArgumentException($"Draws must be at least 1, not {Draws}.");
        Embedding?.Validate();
        Classifier.Validate();
    }
}

/// <summary>
/// Test accuracy of a classifier that learned from <see cref="Labels"/> labelled rows, on three feature sets of the
/// same rows: the autoencoder's codes, PCA with as many components, and the raw values; and on the codes' neighbour
/// embedding when <see cref="FewLabelOptions.Embedding"/> asked for it (null otherwise).
/// </summary>
public sealed record FewLabelResult(int Labels, int TestRows, int Features, int PcaComponents, double AutoencoderAccuracy, double PcaAccuracy, double RawAccuracy,
    double? EmbeddedAccuracy = null);

/// <summary>
/// The few-label protocol (the semi-supervised use of an autoencoder): the autoencoder learned the structure of
/// every row without labels; a softmax classifier then learns from a few labelled rows' codes and is tested on
/// held-out rows, next to the same classifier on PCA features of the same size (fitted on all training rows, as
/// unlabelled rows are free) and on the raw values.
/// </summary>
/// <example>
/// <code>
/// FewLabelResult result = FewLabelEvaluation.Run(autoencoder, train, test, new FewLabelOptions { Labels = 100, Balanced = true });
/// Console.WriteLine($"{result.AutoencoderAccuracy} vs PCA {result.PcaAccuracy} vs raw {result.RawAccuracy}");
/// </code>
/// </example>
public static class FewLabelEvaluation
{
    /// <param name="test">Held-out labelled rows; null holds out every fifth row of <paramref name="train"/> instead.</param>
    /// <exception cref="ArgumentException">The data has no labels, does not match the encoder, or asks for more labelled rows than there are.</exception>
    public static FewLabelResult Run(IAutoencoder encoder, Dataset train, Dataset? test = null, FewLabelOptions? options = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(train);
        options ??= new FewLabelOptions();
        options.Validate();
        int[] labels = train.Labels ?? throw new ArgumentException($"The few-label evaluation needs labels, and {train.Name} has none.");
        foreach (Dataset d in test is null ? [train] : new[] { train, test })
            d.CheckWidth(encoder.Inputs);
        int[] testLabels = test is null ? labels : test.Labels ?? throw new ArgumentException($"The test rows of {test.Name} have no labels.");

        int[] candidates = test is null ? [.. Enumerable.Range(0, train.Rows).Where(r => r % 5 != 4)] : [.. Enumerable.Range(0, train.Rows)];
        int[] testRows = test is null ? [.. Enumerable.Range(0, train.Rows).Where(r => r % 5 == 4)] : [.. Enumerable.Range(0, test.Rows)];
        int wanted = options.Labels ?? candidates.Length;
        if (wanted < 2 || wanted > candidates.Length) throw new ArgumentException($"Labels must be between 2 and the {candidates.Length} training rows, not {wanted}.");
        int classes = labels.Max() + 1;
        if (options.Balanced && wanted < classes) throw new ArgumentException($"A balanced draw of {wanted} labels cannot cover all {classes} classes.");

        Tensor testSet = test?.Features ?? train.Features;
        int[] y = [.. testRows.Select(r => testLabels[r])];
        var pca = new Pca(Math.Min(encoder.CodeSize, train.Columns)).Fit(train.Features);
        using Tensor codes = encoder.Encode(train.Features), components = pca.Transform(train.Features);
        using Tensor raw = Select(testSet, testRows, test is null), testCodes = encoder.Encode(raw), testComponents = pca.Transform(raw);
        NeighbourEmbedding? map = options.Embedding is { } settings ? NeighbourEmbedding.Fit(codes, settings with { Seed = options.Seed }, cancel: cancel) : null;
        using Tensor? embedded = map?.Points, testEmbedded = map?.Transform(testCodes);

        double ae = 0, principal = 0, rawAccuracy = 0, embeddedAccuracy = 0;
        for (int draw = 0; draw < options.Draws; draw++)
        {
            cancel.ThrowIfCancellationRequested();
            // Draw d is seeded Seed + d (not forked): one draw is the seed's own, and bench reduce's five draws stay seeds 0…4.
            int[] rows = Draw(candidates, labels, wanted, options.Balanced, new Rng(options.Seed + (ulong)draw));
            int[] labelled = [.. rows.Select(r => labels[r])];
            double Score(Tensor all, Tensor testFeatures)
            {
                using Tensor picked = Ops.SelectRows(all, rows);
                return Classifier.Fit(picked, labelled, options.Classifier, cancel: cancel).Accuracy(testFeatures, y);
            }
            ae += Score(codes, testCodes) / options.Draws;
            principal += Score(components, testComponents) / options.Draws;
            rawAccuracy += Score(train.Features, raw) / options.Draws;
            if (embedded is not null) embeddedAccuracy += Score(embedded, testEmbedded!) / options.Draws;
        }
        return new FewLabelResult(wanted, testRows.Length, encoder.CodeSize, pca.CodeSize, ae, principal, rawAccuracy, map is null ? null : embeddedAccuracy);
    }

    /// <summary>The labelled rows: the candidates in a random order, then the first ones (or the first Labels / classes of each class).</summary>
    private static int[] Draw(int[] candidates, int[] labels, int count, bool balanced, Rng rng)
    {
        int[] order = (int[])candidates.Clone();
        rng.Shuffle(order);
        if (!balanced) return order[..count];
        int perClass = count / (labels.Max() + 1);
        var taken = new int[labels.Max() + 1];
        return [.. order.Where(r => taken[labels[r]]++ < perClass)];
    }

    /// <summary>The test rows: all of a separate test set as it is, or the held-out rows of the training set.</summary>
    private static Tensor Select(Tensor data, int[] rows, bool subset) => subset ? Ops.SelectRows(data, rows) : data.Detach();
}
