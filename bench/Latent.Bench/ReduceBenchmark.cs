using System.Globalization;
using Latent.Applications.Clustering;
using Latent.Applications.Features;
using Latent.Data;
using Latent.Engine;
using Latent.Models;
using Latent.Training;

namespace Latent.Bench;

/// <summary>
/// `reduce` on MNIST (recipes in <see cref="ReduceRecipes"/>): (1) Hinton and Salakhutdinov's 784-1000-500-250-30
/// autoencoder against PCA-30, squared error per test image; (2) softmax accuracy with 100 and 1,000 labels on 32-d
/// autoencoder codes, on their neighbour embedding (fitted without labels on the training images' codes), PCA-32 and raw
/// pixels, each seed the mean over 5 draws of the labelled rows; (3) N2D's recipe on the codes of a 784-500-500-2000-10
/// autoencoder (neighbour embedding, then a Gaussian mixture) clustering the 60,000 training images of MNIST and of
/// Fashion-MNIST, beside k-means on the codes.
/// Parts (2) and (3) run seeds 1..N; (1) runs seeds 1-3 by default, each a training budget of under 10 minutes at 2
/// threads on a quiet machine (<see cref="ReduceRecipes.HintonEpochs"/>).
/// Options: --seeds=N (3), --hinton-seeds=N (3), --hinton-epochs=N (<see cref="ReduceRecipes.HintonEpochs"/>),
/// --feature-epochs=N (30), --cluster-epochs=N (50), --only-hinton, --only-features or --only-cluster (just part 1, 2
/// or 3), --quick (2 epochs each, 2 seeds), --validate (re-check the recipes' choices on held-out images; see
/// <see cref="ReduceValidation"/>).
/// </summary>
internal static class ReduceBenchmark
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    // Published: Hinton & Salakhutdinov 2006 (with RBM pre-training); DEC-keras and N2D on all 70,000 images.
    private const double HintonPaper = 3.00, DecKerasAccuracy = 0.91, N2dMnist = 0.979, N2dFashion = 0.672;

    private sealed record FewLabelSeed(int Labels, double Ae, double Pca, double Raw, double Embedded);

    private sealed record ClusterSeed(string Set, double Accuracy, double Nmi, double KMeansOnCodes, double Minutes);

    public static int Run(string[] args)
    {
        bool quick = args.Contains("--quick");
        int seeds = quick ? 2 : BenchOptions.Int(args, "--seeds", 3), hintonSeeds = quick ? 1 : BenchOptions.Int(args, "--hinton-seeds", 3);
        int hintonEpochs = quick ? 2 : BenchOptions.Int(args, "--hinton-epochs", ReduceRecipes.HintonEpochs);
        int featureEpochs = quick ? 2 : BenchOptions.Int(args, "--feature-epochs", 30);
        int clusterEpochs = quick ? 2 : BenchOptions.Int(args, "--cluster-epochs", 50);
        Dataset train = Datasets.Load("mnist", Split.Train), test = Datasets.Load("mnist", Split.Test);
        if (args.Contains("--validate")) return ReduceValidation.Run(train, test, args);
        bool onlyHinton = args.Contains("--only-hinton"), onlyCluster = args.Contains("--only-cluster"), onlyFeatures = args.Contains("--only-features");
        if (new[] { onlyHinton, onlyCluster, onlyFeatures }.Count(only => only) > 1)
            throw new ArgumentException("--only-hinton, --only-features and --only-cluster exclude each other.");
        bool runHinton = !onlyCluster && !onlyFeatures, runFeatures = !onlyCluster && !onlyHinton, runClusters = !onlyFeatures && !onlyHinton;

        string[] protocol =
        [
            $"(1) Hinton & Salakhutdinov's 784-1000-500-250-30 layer sizes, {hintonEpochs} epochs on the 60,000 training images, without their RBM "
                + $"pre-training and with our own choices: {ReduceRecipes.HintonChoices}; average squared error per test image (10,000), {SeedList(hintonSeeds)}; "
                + "PCA-30 fitted on the training images",
            $"(2) 784-512-128-32 autoencoder, {featureEpochs} epochs on the training images; softmax on 100 and 1,000 labelled training images (balanced, "
                + $"5 draws per seed) of the codes and of their neighbour embedding (10-d, fitted on the 60,000 training codes without labels, test images "
                + $"placed among them), accuracy on the 10,000 test images; {SeedList(seeds)}",
            $"(3) N2D's recipe: 784-500-500-2000-10 autoencoder, {clusterEpochs} epochs, neighbour embedding (10-d, 20 neighbours) and a Gaussian mixture "
                + $"on the 60,000 training images of MNIST and of Fashion-MNIST, accuracy (Hungarian) and NMI against their labels; {SeedList(seeds)}",
            $"parts run: {string.Join(", ", new[] { runHinton ? "(1)" : null, runFeatures ? "(2)" : null, runClusters ? "(3)" : null }.OfType<string>())}",
            "mean ± population std over seeds, and the worst seed; recipe choices (learning rate, 1-pixel shifts, AdamW decay, classifier decay) re-checked on held-out images with `reduce --validate`",
            quick ? "quick run: 2 epochs each, not for quoting" : "full run",
        ];
        foreach (string line in protocol) Console.WriteLine("# reduce: " + line);

        var summary = new List<string>();
        Console.WriteLine();
        if (runHinton)
        {
            var pcaModel = new Pca(30).Fit(train.Features);
            double pca30 = ReduceRecipes.SquaredError(pcaModel.Reconstruct(test.Features), test.Features);
            var runs = Enumerable.Range(1, hintonSeeds).Select(s => Hinton(train, test, hintonEpochs, (ulong)s)).ToList();
            var hinton = new SeedStatistics([.. runs.Select(r => r.Error)]);
            SeedStatistics minutes = new([.. runs.Select(r => r.Minutes)]);
            Console.WriteLine(string.Create(Inv, $"| test squared error per image, 30-d, {SeedList(hintonSeeds)} | {hinton.Format()}{Worst(hinton, false)} | PCA-30 {pca30:F3} |"));
            Console.WriteLine(string.Create(Inv, $"  Hinton, per seed: {string.Join(", ", runs.Select(r => r.Error.ToString("F3", Inv)))}; mean ± std {hinton.Format()}, "
                + $"worst {hinton.Worst(false):F3}; training {minutes.Mean:F1} min per seed (longest {minutes.Worst(false):F1})"));
            Results.Add(hinton.Result("test squared error per image, 30-d codes", "", false) with
                {
                    Peer = "Hinton & Salakhutdinov 2006 (paper)", PeerValue = HintonPaper, PeerKind = PeerKind.Published,
                    Note = $"the paper pre-trains with RBMs; ours {hintonEpochs} epochs without pre-training, ELU and a linear code",
                });
            Results.Add(hinton.Result("test squared error per image, 30-d codes", "", false) with { Peer = "PCA-30", PeerValue = pca30, PeerKind = PeerKind.Baseline });
            summary.Add(string.Create(Inv, $"hinton error ours {hinton.Format("F2")} in {runs.Average(r => r.Minutes):F1} min ({hintonSeeds} seed{(hintonSeeds == 1 ? "" : "s")}) pca {pca30:F2}"));
        }
        if (runFeatures)
        {
            var fewLabels = Enumerable.Range(1, seeds).SelectMany(s => FewLabels(train, test, featureEpochs, (ulong)s)).ToList();
            Console.WriteLine("| softmax accuracy on 32-d features | embedded codes (worst seed) | codes | PCA-32 | raw pixels |");
            Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
            foreach (int labels in new[] { 100, 1000 })
            {
                var runs = fewLabels.Where(f => f.Labels == labels).ToList();
                SeedStatistics embedded = new([.. runs.Select(r => r.Embedded)]), ae = new([.. runs.Select(r => r.Ae)]), pca = new([.. runs.Select(r => r.Pca)]),
                    raw = new([.. runs.Select(r => r.Raw)]);
                Console.WriteLine(string.Create(Inv,
                    $"| {labels} labels, {SeedList(seeds)} | {embedded.Format("F4")}{Worst(embedded, true)} | {ae.Format("F4")} | {pca.Format("F4")} | {raw.Format("F4")} |"));
                string measure = $"softmax accuracy, {labels} labels, 32-d features";
                const string Note = "same labelled rows";
                Results.Add(embedded.Result(measure + ", embedded", "", true) with { Peer = "codes", PeerValue = ae.Mean, PeerStd = ae.Std, PeerKind = PeerKind.Baseline, Note = Note });
                Results.Add(ae.Result(measure, "", true) with { Peer = "PCA-32", PeerValue = pca.Mean, PeerStd = pca.Std, PeerKind = PeerKind.Baseline, Note = Note });
                Results.Add(ae.Result(measure, "", true) with { Peer = "raw pixels", PeerValue = raw.Mean, PeerStd = raw.Std, PeerKind = PeerKind.Baseline, Note = Note });
            }
            var few = fewLabels.Where(f => f.Labels == 100).ToList();
            summary.Add(string.Create(Inv, $"100-label accuracy ae {new SeedStatistics([.. few.Select(f => f.Embedded)]).Format()} (codes {few.Average(f => f.Ae):F3}) "
                + $"pca {few.Average(f => f.Pca):F3} raw {few.Average(f => f.Raw):F3}"));
        }
        if (runClusters)
        {
            var clusters = new[] { "mnist", "fashion-mnist" }
                .SelectMany(set => Enumerable.Range(1, seeds).Select(s => Clusters(set == "mnist" ? train : Datasets.Load(set, Split.Train), set, clusterEpochs, (ulong)s)))
                .ToList();
            Console.WriteLine("| clustering the 60,000 training images | N2D recipe: accuracy (worst seed) | NMI | k-means on the codes | N2D (published) |");
            Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
            foreach (var (set, published) in new[] { ("mnist", N2dMnist), ("fashion-mnist", N2dFashion) })
            {
                var runs = clusters.Where(c => c.Set == set).ToList();
                SeedStatistics accuracy = new([.. runs.Select(r => r.Accuracy)]), nmi = new([.. runs.Select(r => r.Nmi)]), kmeans = new([.. runs.Select(r => r.KMeansOnCodes)]);
                Console.WriteLine(string.Create(Inv,
                    $"| {set}, {SeedList(seeds)} | {accuracy.Format("F4")}{Worst(accuracy, true)} | {nmi.Format("F4")} | {kmeans.Format("F4")} | {published:F3} |"));
                const string N2dNote = "N2D clusters all 70,000 images, we the 60,000 training images";
                Results.Add(accuracy.Result($"clustering accuracy, {set}", "", true) with
                    { Peer = "N2D (published)", PeerValue = published, PeerKind = PeerKind.Published, Comparable = false, Note = N2dNote });
                Results.Add(accuracy.Result($"clustering accuracy, {set}", "", true) with
                    { Peer = "k-means on the codes", PeerValue = kmeans.Mean, PeerStd = kmeans.Std, PeerKind = PeerKind.Baseline });
                if (set == "mnist")
                    Results.Add(accuracy.Result($"clustering accuracy, {set}", "", true) with
                        { Peer = "DEC-keras (published)", PeerValue = DecKerasAccuracy, PeerKind = PeerKind.Published, Comparable = false, Note = N2dNote });
                Results.Add(nmi.Result($"clustering NMI, {set}", "", true));
                string figures = string.Create(Inv, $"cluster accuracy {accuracy.Format()} (worst {accuracy.Worst(true):F3}, {seeds} seeds) nmi {nmi.Mean:F3}");
                summary.Add(set == "mnist" ? figures : "fashion-mnist " + figures);
            }
        }
        Console.WriteLine("reduce: " + string.Join("; ", summary));
        return 0;
    }

    private static string SeedList(int seeds) => seeds == 1 ? "seed 1" : $"seeds 1-{seeds}";

    private static string Worst(SeedStatistics s, bool higherIsBetter) => s.Count == 1 ? "" : string.Create(Inv, $" ({s.Worst(higherIsBetter):F4})");

    private static (double Error, double Minutes) Hinton(Dataset train, Dataset test, int epochs, ulong seed)
    {
        Console.WriteLine($"# (1) Hinton & Salakhutdinov 784-1000-500-250-30, seed {seed}, {epochs} epochs (the paper: 3.00 vs PCA 13.87)");
        DenseAutoencoder model = ReduceRecipes.HintonModel(seed);
        double trainingSeconds = 0;
        model.Fit(train.Features, ReduceRecipes.HintonTraining(epochs, seed), new InlineProgress<TrainingProgress>(p =>
        {
            if (p.EpochEnded is not { } e) return;
            trainingSeconds += e.Seconds;
            // The test images are scored once, at the end: progress shows the training loss only.
            if (e.Epoch % 10 == 0 || e.Epoch == epochs)
                Console.WriteLine(string.Create(Inv, $"  epoch {e.Epoch,3}: training loss {e.TrainLoss:F4} ({trainingSeconds:F0} s of training, {e.SamplesPerSecond:F0} samples/s)"));
        }));
        double error = ReduceRecipes.SquaredError(model.Reconstruct(test.Features), test.Features);
        Console.WriteLine(string.Create(Inv, $"  seed {seed}: {error:F3} after {trainingSeconds / 60:F1} min of training"));
        return (error, trainingSeconds / 60);
    }

    private static IEnumerable<FewLabelSeed> FewLabels(Dataset train, Dataset test, int epochs, ulong seed)
    {
        Console.WriteLine($"# (2) few labels, seed {seed}: softmax on 32-d features and their embedding, mean over 5 draws of the labelled rows ({epochs} autoencoder epochs)");
        DenseAutoencoder model = ReduceRecipes.FeatureModel(seed);
        model.Fit(train.Features, ReduceRecipes.FeatureTraining(epochs, seed));
        var results = new List<FewLabelSeed>();
        foreach (int labels in new[] { 100, 1000 })
        {
            FewLabelResult result = FewLabelEvaluation.Run(model, train, test, ReduceRecipes.FewLabels(labels, seed));
            Console.WriteLine(string.Create(Inv, $"  {labels,5} labels: embedded codes {result.EmbeddedAccuracy:F4}, codes {result.AutoencoderAccuracy:F4}, "
                + $"PCA-32 {result.PcaAccuracy:F4}, raw {result.RawAccuracy:F4}"));
            results.Add(new FewLabelSeed(labels, result.AutoencoderAccuracy, result.PcaAccuracy, result.RawAccuracy, result.EmbeddedAccuracy!.Value));
        }
        return results;
    }

    private static ClusterSeed Clusters(Dataset train, string set, int epochs, ulong seed)
    {
        Console.WriteLine($"# (3) clustering the {train.Rows} {set} training images, seed {seed}: 784-500-500-2000-10 autoencoder ({epochs} epochs), embedding, mixture");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Clusterer result = Clusterer.Fit(train.Features, ReduceRecipes.Clustering(epochs, seed));
        double minutes = clock.Elapsed.TotalMinutes;
        double kmeansOnEmbedding = ClusteringMetrics.Accuracy(result.KMeansAssignments, train.Labels!);
        double accuracy = ClusteringMetrics.Accuracy(result.Assignments, train.Labels!);
        double nmi = ClusteringMetrics.NormalizedMutualInformation(result.Assignments, train.Labels!);
        double kmeansOnCodes;
        using (Tensor codes = result.Autoencoder.Encode(train.Features))
            kmeansOnCodes = ClusteringMetrics.Accuracy(KMeans.Fit(codes, result.Clusters, seed: seed).Assignments, train.Labels!);
        Console.WriteLine(string.Create(Inv, $"  k-means on the codes {kmeansOnCodes:F4}; on their embedding {kmeansOnEmbedding:F4}; mixture (the recipe): "
            + $"accuracy {accuracy:F4}, NMI {nmi:F4} ({minutes:F1} min)"));
        return new ClusterSeed(set, accuracy, nmi, kmeansOnCodes, minutes);
    }
}
