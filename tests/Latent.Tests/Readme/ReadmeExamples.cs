using Latent.Applications.AnomalyDetection;
using Latent.Applications.Clustering;
using Latent.Applications.Compression;
using Latent.Applications.Denoising;
using Latent.Applications.Features;
using Latent.Applications.Generation;
using Latent.Applications.Imputation;
using Latent.Applications.Recommendation;
using Latent.Applications.Reduction;
using Latent.Applications.Search;
using Latent.Applications.SequenceToSequence;
using Latent.Data;
using Latent.Engine;
using Latent.Engine.Losses;
using Latent.Engine.Nn;
using Latent.Engine.Optim;
using Latent.Imaging;
using Latent.Models;
using Latent.Storage;
using Latent.Tests.Applications.Contract;
using Latent.Training;

namespace Latent.Tests.Readme;

/// <summary>Runs in a folder of its own, with no other test beside it: the examples name files relative to it.</summary>
[CollectionDefinition(nameof(ReadmeExamples), DisableParallelization = true)]
public sealed class ReadmeExamplesCollection;

/// <summary>
/// The C# examples of README.md, compiled and run on small data (<see cref="ReadmeExampleCheck"/> keeps the two in
/// step). Each example's text is exactly the README's; the assertions after it check that it did its job.
/// </summary>
[Collection(nameof(ReadmeExamples))]
public sealed class ReadmeExamples : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _previous = Environment.CurrentDirectory;

    public ReadmeExamples()
    {
        Environment.CurrentDirectory = _folder.Path;
        Tensor rows = ContractData.Correlated(300, 5, seed: 1);
        CsvOutput.Write("normal.csv", ["a", "b", "c", "d", "e"], rows);
        CsvOutput.Write("new.csv", ["a", "b", "c", "d", "e"], ContractData.Correlated(20, 5, seed: 2));
        CsvOutput.Write("survey.csv", ["a", "b", "c", "d", "e"], ContractData.Holed(300, 5, seed: 3));
    }

    public void Dispose()
    {
        Environment.CurrentDirectory = _previous;
        _folder.Dispose();
    }

    [Fact]
    public void AModel()
    {
        Dataset digits = Datasets.Load("digits", Split.Train);
        var model = new DenseAutoencoder(DenseAutoencoderConfig.For(digits.Features) with { Hidden = [128, 64], CodeSize = 8 });
        var progress = new InlineProgress<TrainingProgress>(p => { if (p.EpochEnded is { } e) Console.WriteLine($"epoch {e.Epoch}: {e.TrainLoss:G4}"); });
        History history = model.Fit(digits.Features, new FitOptions { Epochs = 30, BatchSize = 64 }, progress);
        Tensor codes = model.Encode(digits.Features);           // [rows, 8]
        model.Save("digits.safetensors");
        IAutoencoder again = ModelFile.OpenAutoencoder("digits.safetensors");
        OnnxExport.Save(again, OnnxPart.Encoder, "digits-encoder.onnx");   // rows → codes, for onnxruntime

        Assert.True(history.Epochs[^1].TrainLoss < history.Epochs[0].TrainLoss);
        Assert.True(new FileInfo("digits-encoder.onnx").Length > 1000);
        Assert.Equal(codes.ToArray(), again.Encode(digits.Features).ToArray());
    }

    [Fact]
    public void DimensionalityReduction()
    {
        Dataset digits = Datasets.Load("digits", Split.Train);
        Reducer reducer = Reducer.Fit(digits.Features, new ReducerOptions { Dimensions = 2 });
        Reducer pca = Reducer.Fit(digits.Features, new ReducerOptions { Dimensions = 2, Method = ReductionMethod.Pca });
        Console.WriteLine($"MSE: autoencoder {reducer.ReconstructionError(digits.Features):G4}, PCA {pca.ReconstructionError(digits.Features):G4}");
        reducer.Map(digits.Features, digits.Labels).Save("map.svg");   // the 2-D codes, coloured by digit
        reducer.Save("reducer.safetensors");

        Assert.True(reducer.ReconstructionError(digits.Features) < pca.ReconstructionError(digits.Features));
        Assert.True(File.Exists("map.svg"));
    }

    [Fact]
    public void FeatureExtraction()
    {
        Dataset train = Datasets.Load("digits", Split.Train), test = Datasets.Load("digits", Split.Test);
        var encoder = new DenseAutoencoder(DenseAutoencoderConfig.For(train.Features) with { Hidden = [128], CodeSize = 16 });
        encoder.Fit(train.Features, new FitOptions { Epochs = 50, BatchSize = 64 });
        var options = new FewLabelOptions { Labels = 100, Embedding = FewLabelOptions.RecommendedEmbedding };
        FewLabelResult result = FewLabelEvaluation.Run(encoder, train, test, options);
        Console.WriteLine($"100 labels: codes {result.AutoencoderAccuracy:P1}, embedded {result.EmbeddedAccuracy:P1}, PCA {result.PcaAccuracy:P1}");

        Assert.True(result.AutoencoderAccuracy > 0.6, $"{result.AutoencoderAccuracy}");
        Assert.True(result.EmbeddedAccuracy > 0.6, $"{result.EmbeddedAccuracy}");
    }

    [Fact]
    public void Clustering()
    {
        Dataset digits = Datasets.Load("digits", Split.Train), test = Datasets.Load("digits", Split.Test);
        Clusterer clusterer = Clusterer.Fit(digits.Features, new ClusterOptions { Clusters = 10, Hidden = [256, 64] });
        int[] clusters = clusterer.Predict(test.Features);
        Console.WriteLine($"accuracy against the labels: {ClusteringMetrics.Accuracy(clusters, test.Labels):P1}");
        clusterer.Save("clusters.safetensors");

        Assert.True(ClusteringMetrics.Accuracy(clusters, test.Labels) > 0.5);
    }

    [Fact]
    public void Search()
    {
        Dataset digits = Datasets.Load("digits", Split.Train);
        IndexModelResult trained = IndexModel.Train(digits.Features, digits.Labels, new IndexModelOptions { CodeSize = 16 });
        using var index = LatentIndex.Create("digits.db", trained.Model);
        index.Add([.. Enumerable.Range(0, digits.Rows).Select(i => $"digit-{i}")], digits.Features);
        IReadOnlyList<SearchHit> hits = index.Search(digits.Row(0), k: 5, DistanceMetric.Cosine);   // nearest first

        Assert.Equal("digit-0", hits[0].Id);
    }

    [Fact]
    public void Denoising()
    {
        Dataset train = Datasets.Load("digits", Split.Train), test = Datasets.Load("digits", Split.Test);
        var noise = new ImageNoise(NoiseKind.Gaussian, 0.3f);
        var options = new DenoiserOptions { Noise = noise, Training = new DenoiserOptions().Training with { Epochs = 30 } };
        Denoiser denoiser = Denoiser.Fit(train.Features, ImageShape.Gray(8, 8), options);
        Tensor noisy = noise.Apply(test.Features, new Rng(1));
        DenoisingReport report = denoiser.Evaluate(test.Features, noisy);
        Console.WriteLine($"PSNR {report.NoisyPsnr:F1} dB noisy → {report.DenoisedPsnr:F1} dB denoised");
        denoiser.Save("denoiser.safetensors");

        Assert.True(report.DenoisedPsnr > report.NoisyPsnr);
    }

    [Fact]
    public void AnomalyDetection()
    {
        var detector = AnomalyDetector.Fit(CsvTable.Read("normal.csv"), new AnomalyOptions { Threshold = ThresholdRule.FalsePositiveRate(0.01) });
        AnomalyReport report = detector.Score(CsvTable.Read("new.csv"));   // scores, flags, per-column contributions
        var why = report.TopColumns(row: 0);                               // e.g. [("d", 0.81), ("a", 0.12), …]
        detector.Save("detector.safetensors");

        Assert.Equal(20, report.Count);
        Assert.Equal(3, why.Count);
    }

    [Fact]
    public void SyntheticData()
    {
        Dataset digits = Datasets.Load("digits", Split.Train);
        Generator generator = Generator.Fit(digits, new GeneratorOptions { Hidden = [256], CodeSize = 8 });
        generator.WriteImageGrid("samples.png", count: 64, seed: 1);
        Tensor rows = generator.Sample(10, seed: 2);            // [10, 64] new digits
        generator.Save("vae.safetensors");

        Assert.True(File.Exists("samples.png"));
        Assert.Equal([10, 64], rows.Shape);
    }

    [Fact]
    public void Imputation()
    {
        CsvTable table = CsvTable.Read("survey.csv");
        Imputer imputer = Imputer.Fit(table, new ImputerOptions { Epochs = 50 });
        CsvOutput.Write("filled.csv", imputer.Transform(table));   // known cells untouched, holes filled
        imputer.Save("imputer.safetensors");

        Assert.DoesNotContain(CsvTable.Read("filled.csv").Columns, c => Enumerable.Range(0, c.Length).Any(c.IsMissing));
    }

    [Fact]
    public void Recommendation()
    {
        // A small u.data: users and items 1..60, every fifth cell rated 1..5 (tab-separated user, item, rating, time).
        File.WriteAllLines("u.data", Enumerable.Range(1, 60).SelectMany(u => Enumerable.Range(1, 60).Where(i => (u + 2 * i) % 5 == 0)
            .Select(i => $"{u}\t{i}\t{1 + (u * i) % 5}\t{880000000 + i}")));

        Ratings ratings = RatingsFile.Read("u.data");   // MovieLens u.data / ratings.dat, or CSV of user,item,rating[,time]
        Recommender recommender = Recommender.Fit(ratings);   // AutoRec + MF, blended; new RecommenderOptions { Feedback = Feedback.Implicit } for CDAE
        float stars = recommender.Predict(user: "42", item: "50");
        IReadOnlyList<RecommendedItem> top = recommender.TopN("42", n: 10);   // items the user rated are left out
        recommender.Save("rec.safetensors");

        Assert.InRange(stars, 1f, 5f);
        Assert.Equal(10, top.Count);
        Assert.Equal(top.Select(r => r.Item), Recommender.Open("rec.safetensors").TopN("42", n: 10).Select(r => r.Item));
    }

    [Fact]
    public void SequenceToSequence()
    {
        // Pairs of three numbers and the same numbers reversed.
        var rng = new Rng(4);
        File.WriteAllLines("pairs.csv", ["source,target", .. Enumerable.Range(0, 400).Select(_ =>
        {
            int[] s = [1 + rng.NextInt(12), 1 + rng.NextInt(12), 1 + rng.NextInt(12)];
            return $"{s[0]} {s[1]} {s[2]},{s[2]} {s[1]} {s[0]}";
        })]);

        Seq2Seq model = Seq2Seq.Fit(SequencePairsFile.Read("pairs.csv"));   // columns source, target: "12 5 33"
        string[] reversed = model.Predict(["4", "12", "7"], beam: 4);
        model.Save("s2s.safetensors");

        Assert.Equal(3, reversed.Length);
        Assert.Equal(reversed, Seq2Seq.Open("s2s.safetensors").Predict(["4", "12", "7"], beam: 4));
    }

    [Fact]
    public void ImageCompression()
    {
        // Three small photographs: smooth colours with a disc.
        Raster[] photos = [.. Enumerable.Range(0, 3).Select(i => Latent.Tests.Applications.Compression.CodecTestImages.Image(64, 64, i))];
        Raster photo = photos[1];

        ImageCodec codec = ImageCodec.Fit(photos);                 // Rasters (ImageCodec.ReadPng), gray or RGB, any sizes
        byte[] lat = codec.Compress(photo, quality: 3);
        Raster back = codec.Decompress(lat);

        Assert.Equal((64, 64), (back.Width, back.Height));
        Assert.True(ImageCodec.Psnr(photo.Pixels, back.Pixels) > ImageCodec.Psnr(photo.Pixels, new byte[photo.Pixels.Length]));
    }

    [Fact]
    public void TheEngine()
    {
        Tensor batch = Datasets.Load("digits", Split.Train).Features;
        var model = new Sequential(new Linear(64, 32, activation: Activation.Relu), new Linear(32, 64));
        var adam = new Adam(model.Parameters(), learningRate: 1e-3f);
        adam.ZeroGrad();
        Tensor loss = Loss.BinaryCrossEntropyWithLogits(model.Forward(batch), batch);
        loss.Backward();      // intermediate tensors go back to the pool here: read what you need first
        adam.Step();
        Tensor codes;
        using (Tensor.NoGrad()) codes = model.Layers[0].Forward(batch);   // inference: no graph kept

        Assert.Equal([batch.Dim(0), 32], codes.Shape);
    }
}
