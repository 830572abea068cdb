using System.Globalization;
using Latent.Applications.Clustering;
using Latent.Applications.Features;
using Latent.Data;
using Latent.Engine;
using Latent.Models;

namespace Latent.Bench;

/// <summary>
/// `reduce --validate`: re-checks the recipes' choices on images the benchmark's figures are not measured on, one
/// choice at a time, seed 1.
/// (1) and (2) are scored on the test images, so they validate on a held-out tenth of the training images (a seeded
/// 54,000 / 6,000 split): Hinton's recipe with and without the 1-pixel shifts and the AdamW decay (validation squared
/// error per image), and the few-label features with and without shifts and with five classifier weight decays
/// (100- and 1,000-label accuracy on the validation images for the three feature sets, labelled rows drawn from the 54,000).
/// (3) is scored on the training images themselves (DEC's protocol), so it validates by clustering the 10,000 test
/// images, which it never uses: the recipe with and without shifts.
/// Options: --validate-epochs=N (20 for (1) and (2); (3) always runs its 50 epochs on the smaller set), --quick (2 epochs).
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

        Console.WriteLine();
        Console.WriteLine("| (1) Hinton recipe | validation squared error per image |");
        Console.WriteLine("| --- | ---: |");
        foreach (var (name, shift, decay) in new[] { ("AdamW 0.1 + 1-pixel shifts (the recipe)", true, 0.1f), ("AdamW 0.1, no shifts", false, 0.1f), ("Adam, no decay, 1-pixel shifts", true, 0f) })
        {
            DenseAutoencoder model = ReduceRecipes.HintonModel(1);
            model.Fit(fit.Features, ReduceRecipes.HintonTraining(epochs, 1, shift, decay));
            Console.WriteLine(string.Create(Inv, $"| {name} | {ReduceRecipes.SquaredError(model.Reconstruct(validation.Features), validation.Features):F3} |"));
        }

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
                    FewLabelResult r = FewLabelEvaluation.Run(model, fit, validation, ReduceRecipes.FewLabels(labels, 1, decay));
                    return string.Create(Inv, $"{r.AutoencoderAccuracy:F4}, {r.PcaAccuracy:F4}, {r.RawAccuracy:F4}");
                }
                string recipe = shift ? "1-pixel shifts (the recipe)" : "no shifts";
                Console.WriteLine(string.Create(Inv, $"| {recipe} | {decay}{(decay == ReduceRecipes.ClassifierWeightDecay ? " (the recipe)" : "")} | {Accuracies(100)} | {Accuracies(1000)} |"));
            }
        }

        Console.WriteLine();
        Console.WriteLine("| (3) clustering the test images | k-means on codes | DEC | NMI |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        foreach (bool shift in new[] { true, false })
        {
            Clusterer result = Clusterer.Fit(test.Features, ReduceRecipes.Clustering(clusterEpochs, 1, shift, decIterations: quick ? 200 : null));
            double kmeans = ClusteringMetrics.Accuracy(result.KMeansAssignments, test.Labels!), dec = ClusteringMetrics.Accuracy(result.Assignments, test.Labels!);
            double nmi = ClusteringMetrics.NormalizedMutualInformation(result.Assignments, test.Labels!);
            Console.WriteLine(string.Create(Inv, $"| {(shift ? "1-pixel shifts (the recipe)" : "no shifts")} | {kmeans:F4} | {dec:F4} | {nmi:F4} |"));
        }
        return 0;
    }

    private static Dataset Subset(Dataset data, int[] rows, string name) =>
        new(name, Ops.SelectRows(data.Features, rows), [.. rows.Select(r => data.Labels![r])], data.Image);
}
