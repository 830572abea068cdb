using System.Globalization;
using Latent.Applications.Clustering;
using Latent.Applications.Features;
using Latent.Applications.Reduction;
using Latent.Data;
using Latent.Engine;
using Latent.Models;
using Latent.Training;

namespace Latent.Bench;

/// <summary>
/// `reduce --validate`: re-checks the recipes' choices on images the benchmark's figures are not measured on, one
/// choice at a time, seed 1.
/// (1) and (2) are scored on the test images, so they validate on a held-out tenth of the training images (a seeded
/// 54,000 / 6,000 split): Hinton's recipe against single changes of it (no shifts, no decay, weight averaging, other
/// learning rates, weight decays, batch size, shift size and loss; validation squared error per image), and the few-label features with and without shifts and with five classifier weight decays
/// (100- and 1,000-label accuracy on the validation images for the three feature sets, labelled rows drawn from the 54,000),
/// then the embedded codes under a few embedding settings (--only-embedded: only these).
/// (3) is scored on the training images themselves (N2D's protocol), so it validates by clustering the 10,000 test
/// images, which it never uses: one autoencoder of the recipe, its codes clustered by k-means, and by k-means and the
/// Gaussian mixture in neighbour embeddings of a few settings.
/// Options: --validate-epochs=N (20 for (1) and (2); (3) always runs its 50 epochs on the smaller set), --quick (2 epochs),
/// --only-hinton, --only-features or --only-cluster (just (1), (2) or (3)).
/// </summary>
internal static class ReduceValidation
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(Dataset train, Dataset test, string[] args)
    {
        bool quick = args.Contains("--quick");
        int epochs = quick ? 2 : BenchOptions.Int(args, "--validate-epochs", 20), clusterEpochs = quick ? 2 : 50;
        int[] order = new Rng(12345).Permutation(train.Rows);
        int held = train.Rows / 10;
        Dataset fit = Subset(train, order[held..], "mnist-train-fit"), validation = Subset(train, order[..held], "mnist-train-validation");
        Console.WriteLine($"# reduce --validate: seed 1; (1), (2) fit on {fit.Rows} training images for {epochs} epochs and score {validation.Rows} held-out "
            + $"training images; (3) clusters the {test.Rows} test images ({clusterEpochs} epochs)");
        bool onlyCluster = args.Contains("--only-cluster"), onlyFeatures = args.Contains("--only-features"), onlyHinton = args.Contains("--only-hinton");
        if (!onlyCluster && !onlyFeatures) Hinton(fit, validation, epochs);
        if (onlyHinton) return 0;
        if (!onlyCluster && !args.Contains("--only-embedded")) Features(fit, validation, epochs);
        if (!onlyCluster) EmbeddedFeatures(fit, validation, epochs);
        if (!onlyFeatures) Clusters(test, clusterEpochs);
        return 0;
    }

    private static void Hinton(Dataset fit, Dataset validation, int epochs)
    {
        Console.WriteLine();
        Console.WriteLine("| (1) Hinton recipe | validation squared error per image |");
        Console.WriteLine("| --- | ---: |");
        FitOptions recipe = ReduceRecipes.HintonTraining(epochs, 1);
        (string Name, FitOptions Options, ReconstructionLoss Loss)[] choices =
        [
            ("the recipe", recipe, ReconstructionLoss.BinaryCrossEntropy),
            ("no shifts", recipe with { Shift = null }, ReconstructionLoss.BinaryCrossEntropy),
            .. new[] { 1e-3f, 2e-3f, 3e-3f, 4e-3f }.Where(rate => rate != recipe.LearningRate)
                .Select(rate => (string.Create(Inv, $"learning rate {rate}"), recipe with { LearningRate = rate }, ReconstructionLoss.BinaryCrossEntropy)),
            ("weights averaged (0.999 per step)", recipe with { AverageWeights = 0.999f }, ReconstructionLoss.BinaryCrossEntropy),
            .. new[] { 0f, 0.02f, 0.05f, 0.1f, 0.2f }.Where(decay => decay != recipe.WeightDecay)
                .Select(decay => (string.Create(Inv, $"weight decay {decay}"), recipe with { WeightDecay = decay }, ReconstructionLoss.BinaryCrossEntropy)),
            ("shifts up to 2 pixels", recipe with { Shift = ReduceRecipes.OnePixel with { MaxPixels = 2 } }, ReconstructionLoss.BinaryCrossEntropy),
            ("batch 256", recipe with { BatchSize = 256 }, ReconstructionLoss.BinaryCrossEntropy),
            ("squared error loss", recipe, ReconstructionLoss.Mse),
        ];
        foreach (var (name, options, loss) in choices)
        {
            DenseAutoencoder model = ReduceRecipes.HintonModel(1, loss);
            model.Fit(fit.Features, options);
            Console.WriteLine(string.Create(Inv, $"| {name} | {ReduceRecipes.SquaredError(model.Reconstruct(validation.Features), validation.Features):F3} |"));
        }
    }

    private static void Features(Dataset fit, Dataset validation, int epochs)
    {
        Console.WriteLine();
        Console.WriteLine("| (2) few-label features | classifier weight decay | 100 labels: autoencoder, PCA-32, raw | 1,000 labels: autoencoder, PCA-32, raw |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        foreach (bool shift in new[] { true, false })
        {
            DenseAutoencoder model = ReduceRecipes.FeatureModel(1);
            model.Fit(fit.Features, ReduceRecipes.FeatureTraining(epochs, 1, shift));
            foreach (float decay in shift ? new[] { 0.01f, 0.1f, 0.3f, 1f, 3f } : [ReduceRecipes.ClassifierWeightDecay])
            {
                string Accuracies(int labels)
                {
                    FewLabelResult r = FewLabelEvaluation.Run(model, fit, validation, ReduceRecipes.FewLabels(labels, 1, decay) with { Embedding = null });
                    return string.Create(Inv, $"{r.AutoencoderAccuracy:F4}, {r.PcaAccuracy:F4}, {r.RawAccuracy:F4}");
                }
                string recipe = shift ? "1-pixel shifts (the recipe)" : "no shifts";
                Console.WriteLine(string.Create(Inv, $"| {recipe} | {decay}{(decay == ReduceRecipes.ClassifierWeightDecay ? " (the recipe)" : "")} | {Accuracies(100)} | {Accuracies(1000)} |"));
            }
        }

    }

    /// <summary>The recipe's codes in neighbour embeddings of a few settings (fitted on the 54,000 without labels; validation images placed among them), 100 labels.</summary>
    private static void EmbeddedFeatures(Dataset fit, Dataset validation, int epochs)
    {
        DenseAutoencoder model = ReduceRecipes.FeatureModel(1);
        model.Fit(fit.Features, ReduceRecipes.FeatureTraining(epochs, 1));
        Console.WriteLine();
        Console.WriteLine("| (2) embedded codes of the recipe's autoencoder, 100 labels | embedded | codes |");
        Console.WriteLine("| --- | ---: | ---: |");
        foreach (var (name, embedding) in EmbeddingChoices(ReduceRecipes.FeatureEmbedding).Take(3))
        {
            FewLabelResult r = FewLabelEvaluation.Run(model, fit, validation, ReduceRecipes.FewLabels(100, 1, embedding: embedding));
            Console.WriteLine(string.Create(Inv, $"| {name} | {r.EmbeddedAccuracy:F4} | {r.AutoencoderAccuracy:F4} |"));
        }
    }

    private static void Clusters(Dataset test, int clusterEpochs)
    {
        // One autoencoder of the recipe; its codes clustered in several ways (the recipe's own choices are after the autoencoder).
        Clusterer codesOnly = Clusterer.Fit(test.Features, ReduceRecipes.Clustering(clusterEpochs, 1) with { Embedding = null, Model = ClusterModel.KMeans });
        int[] labels = test.Labels!;
        using Tensor codes = codesOnly.Autoencoder.Encode(test.Features);
        Console.WriteLine();
        Console.WriteLine("| (3) clustering the test images | k-means | Gaussian mixture | NMI (mixture) |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        void Row(string name, Tensor points)
        {
            KMeansResult kmeans = KMeans.Fit(points, 10, seed: 1);
            int[] mixture = GaussianMixture.Fit(points, 10, kmeans.Assignments).Predict(points);
            Console.WriteLine(string.Create(Inv, $"| {name} | {ClusteringMetrics.Accuracy(kmeans.Assignments, labels):F4} | {ClusteringMetrics.Accuracy(mixture, labels):F4} | "
                + $"{ClusteringMetrics.NormalizedMutualInformation(mixture, labels):F4} |"));
        }
        Row("the codes themselves", codes);
        NeighbourEmbeddingOptions recipe = new ClusterOptions().Embedding!;
        foreach (var (name, embedding) in EmbeddingChoices(recipe))
        {
            using Tensor points = NeighbourEmbedding.Fit(codes, embedding with { Seed = 1 }).Points;
            Row(name, points);
        }
    }

    /// <summary>The recipe's embedding and its neighbours: fewer and more neighbours, 2 dimensions, a positive minimum distance.</summary>
    private static (string Name, NeighbourEmbeddingOptions Options)[] EmbeddingChoices(NeighbourEmbeddingOptions recipe) =>
    [
        ($"embedding {recipe.Dimensions}-d, {recipe.Neighbours} neighbours, min distance {recipe.MinDistance} (the recipe)", recipe),
        ("2-d", recipe with { Dimensions = 2 }),
        ("10 neighbours", recipe with { Neighbours = 10 }),
        ("40 neighbours", recipe with { Neighbours = 40 }),
        ("min distance 0.1", recipe with { MinDistance = 0.1f }),
    ];

    private static Dataset Subset(Dataset data, int[] rows, string name) =>
        new(name, Ops.SelectRows(data.Features, rows), [.. rows.Select(r => data.Labels![r])], data.Image);
}
