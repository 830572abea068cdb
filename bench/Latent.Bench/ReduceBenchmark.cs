using System.Globalization;
using Latent.Applications.Clustering;
using Latent.Applications.Features;
using Latent.Data;
using Latent.Models;
using Latent.Training;

namespace Latent.Bench;

/// <summary>
/// `reduce` on MNIST (recipes in <see cref="ReduceRecipes"/>): (1) Hinton and Salakhutdinov's 784-1000-500-250-30
/// autoencoder against PCA-30, squared error per test image; (2) softmax accuracy with 100 and 1,000 labels on 32-d
/// autoencoder codes, PCA-32 and raw pixels, each seed the mean over 5 draws of the labelled rows; (3) k-means on the
/// codes of a 784-500-500-2000-10 autoencoder, then DEC, clustering the 60,000 training images (DEC's protocol).
/// Parts (2) and (3) run seeds 1..N; (1) takes ~7.7 min per seed on an idle machine, so it runs seed 1 only unless
/// --hinton-seeds=3 (adds ~15 min to the ~45 min of the default run).
/// Options: --seeds=N (3), --hinton-seeds=N (1), --hinton-epochs=N (60), --feature-epochs=N (30), --cluster-epochs=N (50),
/// --quick (2 epochs each, 2 seeds, 200 DEC steps), --validate (re-check the recipes' choices on held-out images; see
/// <see cref="ReduceValidation"/>).
/// </summary>
internal static class ReduceBenchmark
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    // Published: Hinton & Salakhutdinov 2006 (with RBM pre-training); DEC-keras on all 70,000 MNIST images.
    private const double HintonPaper = 3.00, DecKerasAccuracy = 0.91, DecKerasKMeansOnCodes = 0.88;

    private sealed record FewLabelSeed(int Labels, double Ae, double Pca, double Raw);

    public static int Run(string[] args)
    {
        bool quick = args.Contains("--quick");
        int seeds = quick ? 2 : BenchOptions.Int(args, "--seeds", 3), hintonSeeds = quick ? 1 : BenchOptions.Int(args, "--hinton-seeds", 1);
        int hintonEpochs = quick ? 2 : BenchOptions.Int(args, "--hinton-epochs", 60);
        int featureEpochs = quick ? 2 : BenchOptions.Int(args, "--feature-epochs", 30);
        int clusterEpochs = quick ? 2 : BenchOptions.Int(args, "--cluster-epochs", 50);
        Dataset train = Datasets.Load("mnist", Split.Train), test = Datasets.Load("mnist", Split.Test);
        if (args.Contains("--validate")) return ReduceValidation.Run(train, test, args);

        string[] protocol =
        [
            $"(1) Hinton & Salakhutdinov's 784-1000-500-250-30, {hintonEpochs} epochs on the 60,000 training images: average squared error per test image "
                + $"(10,000), {SeedList(hintonSeeds)}{(hintonSeeds == 1 ? " (--hinton-seeds=3 for 3 seeds, ~15 min more)" : "")}; PCA-30 fitted on the training images",
            $"(2) 784-512-128-32 autoencoder, {featureEpochs} epochs on the training images; softmax on 100 and 1,000 labelled training images (balanced, "
                + $"5 draws per seed), accuracy on the 10,000 test images; {SeedList(seeds)}",
            $"(3) DEC's protocol: 784-500-500-2000-10 autoencoder, {clusterEpochs} epochs, k-means and DEC on the 60,000 training images, accuracy "
                + $"(Hungarian) and NMI against their labels; {SeedList(seeds)}",
            "mean ± population std over seeds, and the worst seed; recipe choices (1-pixel shifts, AdamW decay, classifier decay) re-checked on held-out images with `reduce --validate`",
            quick ? "quick run: 2 epochs each, 200 DEC steps, not for quoting" : "full run",
        ];
        foreach (string line in protocol) Console.WriteLine("# reduce: " + line);

        var pcaModel = new Pca(30).Fit(train.Features);
        double pca30 = ReduceRecipes.SquaredError(pcaModel.Reconstruct(test.Features), test.Features);
        var hinton = new SeedStatistics([.. Enumerable.Range(1, hintonSeeds).Select(s => Hinton(train, test, hintonEpochs, (ulong)s))]);
        var fewLabels = Enumerable.Range(1, seeds).SelectMany(s => FewLabels(train, test, featureEpochs, (ulong)s)).ToList();
        var clusters = Enumerable.Range(1, seeds).Select(s => Clusters(train, clusterEpochs, (ulong)s, quick)).ToList();

        Console.WriteLine();
        Console.WriteLine("| measure | autoencoder (worst seed) | PCA | raw pixels |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        Console.WriteLine(string.Create(Inv, $"| test squared error per image, 30-d, {SeedList(hintonSeeds)} | {hinton.Format()}{Worst(hinton, false)} | {pca30:F3} | |"));
        Results.Add(hinton.Result("test squared error per image, 30-d codes", "", false) with
            {
                Peer = "Hinton & Salakhutdinov 2006 (paper)", PeerValue = HintonPaper, PeerKind = PeerKind.Published,
                Note = $"the paper pre-trains with RBMs; ours {hintonEpochs} epochs without pre-training",
            });
        Results.Add(hinton.Result("test squared error per image, 30-d codes", "", false) with { Peer = "PCA-30", PeerValue = pca30, PeerKind = PeerKind.Baseline });
        foreach (int labels in new[] { 100, 1000 })
        {
            var runs = fewLabels.Where(f => f.Labels == labels).ToList();
            SeedStatistics ae = new([.. runs.Select(r => r.Ae)]), pca = new([.. runs.Select(r => r.Pca)]), raw = new([.. runs.Select(r => r.Raw)]);
            Console.WriteLine(string.Create(Inv,
                $"| softmax accuracy, {labels} labels, 32-d features, {SeedList(seeds)} | {ae.Format("F4")}{Worst(ae, true)} | {pca.Format("F4")} | {raw.Format("F4")} |"));
            string measure = $"softmax accuracy, {labels} labels, 32-d features";
            Results.Add(ae.Result(measure, "", true) with { Peer = "PCA-32", PeerValue = pca.Mean, PeerStd = pca.Std, PeerKind = PeerKind.Baseline, Note = "same labelled rows" });
            Results.Add(ae.Result(measure, "", true) with { Peer = "raw pixels", PeerValue = raw.Mean, PeerStd = raw.Std, PeerKind = PeerKind.Baseline, Note = "same labelled rows" });
        }
        SeedStatistics kmeans = new([.. clusters.Select(c => c.KMeans)]), dec = new([.. clusters.Select(c => c.Dec)]), nmi = new([.. clusters.Select(c => c.Nmi)]);
        Console.WriteLine(string.Create(Inv, $"| clustering accuracy, k-means on codes, {SeedList(seeds)} | {kmeans.Format("F4")}{Worst(kmeans, true)} | | |"));
        Console.WriteLine(string.Create(Inv, $"| clustering accuracy, DEC, {SeedList(seeds)} | {dec.Format("F4")}{Worst(dec, true)} | | |"));
        Console.WriteLine(string.Create(Inv, $"| NMI after DEC | {nmi.Format("F4")}{Worst(nmi, true)} | | |"));
        const string DecNote = "DEC-keras clusters all 70,000 MNIST images, we the 60,000 training images";
        Results.Add(dec.Result("clustering accuracy, DEC", "", true) with
            { Peer = "DEC-keras (published)", PeerValue = DecKerasAccuracy, PeerKind = PeerKind.Published, Comparable = false, Note = DecNote });
        Results.Add(kmeans.Result("clustering accuracy, k-means on autoencoder codes", "", true) with
            { Peer = "DEC-keras (published)", PeerValue = DecKerasKMeansOnCodes, PeerKind = PeerKind.Published, Comparable = false, Note = DecNote });
        Results.Add(nmi.Result("clustering NMI, DEC", "", true));

        var few = fewLabels.Where(f => f.Labels == 100).ToList();
        Console.WriteLine(string.Create(Inv,
            $"reduce: hinton error ours {hinton.Format("F2")} ({hintonSeeds} seed{(hintonSeeds == 1 ? "" : "s")}) pca {pca30:F2}; 100-label accuracy ae "
            + $"{new SeedStatistics([.. few.Select(f => f.Ae)]).Format()} pca {few.Average(f => f.Pca):F3} raw {few.Average(f => f.Raw):F3}; cluster accuracy "
            + $"{dec.Format()} (worst {dec.Worst(true):F3}, {seeds} seeds) nmi {nmi.Mean:F3}"));
        return 0;
    }

    private static string SeedList(int seeds) => seeds == 1 ? "seed 1" : $"seeds 1-{seeds}";

    private static string Worst(SeedStatistics s, bool higherIsBetter) => s.Count == 1 ? "" : string.Create(Inv, $" ({s.Worst(higherIsBetter):F4})");

    private static double Hinton(Dataset train, Dataset test, int epochs, ulong seed)
    {
        Console.WriteLine($"# (1) Hinton & Salakhutdinov 784-1000-500-250-30, seed {seed}, {epochs} epochs (the paper: 3.00 vs PCA 13.87)");
        DenseAutoencoder model = ReduceRecipes.HintonModel(seed);
        double trainingSeconds = 0;
        model.Fit(train.Features, ReduceRecipes.HintonTraining(epochs, seed), new InlineProgress<TrainingProgress>(p =>
        {
            if (p.EpochEnded is not { } e) return;
            trainingSeconds += e.Seconds;
            if (e.Epoch % 10 == 0 || e.Epoch == epochs)
                Console.WriteLine(string.Create(Inv, $"  epoch {e.Epoch,3}: test squared error per image "
                    + $"{ReduceRecipes.SquaredError(model.Reconstruct(test.Features), test.Features):F3} ({trainingSeconds:F0} s of training, {e.SamplesPerSecond:F0} samples/s)"));
        }));
        double error = ReduceRecipes.SquaredError(model.Reconstruct(test.Features), test.Features);
        Console.WriteLine(string.Create(Inv, $"  seed {seed}: {error:F3} after {trainingSeconds / 60:F1} min of training"));
        return error;
    }

    private static IEnumerable<FewLabelSeed> FewLabels(Dataset train, Dataset test, int epochs, ulong seed)
    {
        Console.WriteLine($"# (2) few labels, seed {seed}: softmax on 32-d features, mean over 5 draws of the labelled rows ({epochs} autoencoder epochs)");
        DenseAutoencoder model = ReduceRecipes.FeatureModel(seed);
        model.Fit(train.Features, ReduceRecipes.FeatureTraining(epochs, seed));
        var results = new List<FewLabelSeed>();
        foreach (int labels in new[] { 100, 1000 })
        {
            FewLabelResult result = FewLabelEvaluation.Run(model, train, test, ReduceRecipes.FewLabels(labels, seed));
            Console.WriteLine(string.Create(Inv, $"  {labels,5} labels: autoencoder {result.AutoencoderAccuracy:F4}, PCA-32 {result.PcaAccuracy:F4}, raw {result.RawAccuracy:F4}"));
            results.Add(new FewLabelSeed(labels, result.AutoencoderAccuracy, result.PcaAccuracy, result.RawAccuracy));
        }
        return results;
    }

    private static (double KMeans, double Dec, double Nmi) Clusters(Dataset train, int epochs, ulong seed, bool quick)
    {
        Console.WriteLine($"# (3) clustering the 60,000 training images, seed {seed}: 784-500-500-2000-10 autoencoder ({epochs} epochs), k-means, DEC");
        Clusterer result = Clusterer.Fit(train.Features, ReduceRecipes.Clustering(epochs, seed, decIterations: quick ? 200 : null));
        double kmeans = ClusteringMetrics.Accuracy(result.KMeansAssignments, train.Labels!);
        double accuracy = ClusteringMetrics.Accuracy(result.Assignments, train.Labels!);
        double nmi = ClusteringMetrics.NormalizedMutualInformation(result.Assignments, train.Labels!);
        Console.WriteLine(string.Create(Inv, $"  k-means on codes: accuracy {kmeans:F4}; after DEC ({result.DecIterations} steps): accuracy {accuracy:F4}, NMI {nmi:F4}"));
        return (kmeans, accuracy, nmi);
    }
}
