using System.Globalization;
using System.Text.Json;
using Latent.Applications.Denoising;
using Latent.Data;
using Latent.Engine;
using Latent.Imaging;
using Latent.Models;
using Latent.Training;

namespace Latent.Bench;

/// <summary>
/// `conv-denoise`: the convolutional denoiser of the Keras examples (encoder conv 1→64→32→16, 3×3 ReLU "same", each
/// followed by 2×2 max pooling 28→14→7→4; decoder conv 16→16, 16→32 "same", 32→64 unpadded, each followed by ×2
/// upsampling; conv 64→1 "same") on MNIST with Gaussian noise 0.5 clipped to [0, 1], Adam, batch 128: ours (the
/// <see cref="Denoiser"/> with its default recipe) and shared/reference/conv_denoise.py, for the same epochs, in one run.
/// Prints training samples/s (median of epochs 2..N) and test PSNR (mean of per-image values) of the noisy input, of a
/// 3×3 median filter and of the denoised output, then exactly one summary line.
/// Options: --epochs=N (the recipe's, 5), --threads=N (2), --lr=X, --schedule=constant|cosine, --loss=bce|mse, --output=sigmoid|identity
/// (defaults: the Denoiser's recipe), --quick (1 epoch, 2048
/// training images, the reference in smoke mode), --no-reference (ours only, for trying recipes).
/// </summary>
internal static class ConvDenoiseBenchmark
{
    public static int Run(string[] args)
    {
        var inv = CultureInfo.InvariantCulture;
        bool quick = args.Contains("--quick"), withReference = !args.Contains("--no-reference");
        var defaults = new DenoiserOptions();
        int epochs = BenchOptions.Int(args, "--epochs", quick ? 1 : defaults.Training.Epochs), threads = BenchOptions.Int(args, "--threads", 2);
        float learningRate = BenchOptions.Float(args, "--lr", defaults.Training.LearningRate);
        string loss = BenchOptions.Value(args, "--loss") ?? "bce";
        if (loss is not ("bce" or "mse")) throw new ArgumentException($"--loss must be bce or mse, not '{loss}'.");
        string output = BenchOptions.Value(args, "--output") ?? "sigmoid";
        if (output is not ("sigmoid" or "identity") || (output == "identity" && loss == "bce"))
            throw new ArgumentException($"--output must be sigmoid or (with --loss=mse) identity, not '{output}'.");
        string schedule = BenchOptions.Value(args, "--schedule") ?? defaults.Training.Schedule.ToString().ToLowerInvariant();
        if (schedule is not ("constant" or "cosine")) throw new ArgumentException($"--schedule must be constant or cosine, not '{schedule}'.");
        Parallelism.Threads = threads;
        Console.WriteLine($"# conv-denoise: Keras conv denoiser, Gaussian noise 0.5, batch 128, {epochs} epoch(s), {threads} thread(s); ours lr {learningRate.ToString(inv)} ({schedule}), {loss}, {output} output");

        ReferenceResult? reference = null;
        if (withReference)
        {
            // The reference first: a child started after our training would inherit our peak RSS as its own.
            // A budget far beyond the epochs: the script's default (480 s) would stop it early on a busy machine.
            var referenceArgs = new List<string> { $"--epochs={epochs}", $"--threads={threads}", "--budget=1000000" };
            if (quick) referenceArgs.Add("--smoke");
            reference = ReferenceScript.Run("conv_denoise.py", referenceArgs);
        }

        Dataset train = Datasets.Load("mnist", Split.Train), test = Datasets.Load("mnist", Split.Test);
        Tensor trainImages = train.Features;
        if (quick)
        {
            using Tensor all = trainImages;
            trainImages = Ops.SelectRows(all, [.. Enumerable.Range(0, 2048)]);
        }
        var shape = ImageShape.Gray(28, 28);
        var noise = new ImageNoise(NoiseKind.Gaussian, 0.5f);
        using Tensor noisyTest = noise.Apply(test.Features, new Rng(5678));
        var monitor = new CpuMonitor();
        var options = defaults with
        {
            Noise = noise,
            Model = new ConvAutoencoderConfig
            {
                Channels = 1, Height = 28, Width = 28,
                Loss = loss == "mse" ? ReconstructionLoss.Mse : ReconstructionLoss.BinaryCrossEntropy,
                Output = output == "identity" ? Activation.Identity : Activation.Sigmoid,
            },
            Training = defaults.Training with
            {
                Epochs = epochs, BatchSize = 128, LearningRate = learningRate, ValidationFraction = 0, Seed = 0,
                Schedule = schedule == "cosine" ? ScheduleKind.Cosine : ScheduleKind.Constant,
            },
        };
        Denoiser denoiser = Denoiser.Fit(trainImages, shape, options);
        History history = denoiser.History!;
        foreach (EpochReport e in history.Epochs)
            Console.WriteLine(string.Create(inv, $"ours: epoch {e.Epoch}: {e.Seconds:F1} s, {e.SamplesPerSecond:N0} samples/s, train loss {e.TrainLoss:F5}"));
        double[] speeds = [.. history.Epochs.Skip(history.Epochs.Count > 1 ? 1 : 0).Select(e => e.SamplesPerSecond).Order()];
        double ourSpeed = speeds[speeds.Length / 2];
        double? foreign = monitor.ForeignCores();

        DenoisingReport report = denoiser.Evaluate(test.Features, noisyTest);
        using Tensor median = MedianOfEach(noisyTest, shape);
        DenoisingReport medianReport = Denoiser.Compare(test.Features, noisyTest, median, shape);
        Console.WriteLine(string.Create(inv,
            $"ours:  {ourSpeed:N0} samples/s; test PSNR noisy {report.NoisyPsnr:F2} dB, median 3x3 {medianReport.DenoisedPsnr:F2} dB, denoised {report.DenoisedPsnr:F2} dB " +
            $"(of overall MSE {report.DenoisedPsnrOfMse:F2} dB; SSIM noisy {report.NoisySsim:F3}, median {medianReport.DenoisedSsim:F3}, denoised {report.DenoisedSsim:F3}); " +
            $"other processes used {(foreign is { } f ? f.ToString("F2", inv) : "?")} cores"));

        if (reference is null || !reference.Succeeded)
        {
            Console.WriteLine(string.Create(inv, $"conv-denoise: reference {(reference is null ? "skipped" : "unavailable (" + reference.Failure + ")")}; " +
                $"ours {ourSpeed:F0} samples/s, psnr ours {report.DenoisedPsnr:F2} dB"));
            return reference is null ? 0 : 1;
        }
        JsonElement r = reference.Json!.Value;
        double torchSpeed = r.GetProperty("train_samples_per_s").GetDouble(), torchPsnr = r.GetProperty("psnr_denoised_db").GetDouble();
        int torchEpochs = r.GetProperty("epochs").GetInt32();
        if (torchEpochs != history.Epochs.Count)
            Console.WriteLine($"# WARNING: the reference ran {torchEpochs} epochs, ours {history.Epochs.Count}: the PSNRs are not comparable.");
        Console.WriteLine();
        Console.WriteLine("| metric | ours | PyTorch |");
        Console.WriteLine("| --- | ---: | ---: |");
        Console.WriteLine(string.Create(inv, $"| training samples/s | {ourSpeed:N0} | {torchSpeed:N0} |"));
        Console.WriteLine(string.Create(inv, $"| test PSNR noisy input (dB) | {report.NoisyPsnr:F2} | {r.GetProperty("psnr_noisy_db").GetDouble():F2} |"));
        Console.WriteLine(string.Create(inv, $"| test PSNR 3x3 median (dB) | {medianReport.DenoisedPsnr:F2} | {r.GetProperty("psnr_median3x3_db").GetDouble():F2} |"));
        Console.WriteLine(string.Create(inv, $"| test PSNR denoised (dB) | {report.DenoisedPsnr:F2} | {torchPsnr:F2} |"));
        Console.WriteLine(string.Create(inv, $"conv-denoise: train speed ratio {ourSpeed / torchSpeed:F2}, psnr ours {report.DenoisedPsnr:F2} dB vs torch {torchPsnr:F2} dB"));
        Results.Add(new("train speed", ourSpeed, "samples/s", HigherIsBetter: true) { Peer = "PyTorch", PeerValue = torchSpeed, Comparable = false, Note = "ours: the faster middle epoch; the reference: the mean of its two middle epochs" });
        Results.Add(new("test PSNR, denoised", report.DenoisedPsnr, "dB", HigherIsBetter: true) { Peer = "PyTorch", PeerValue = torchPsnr, Comparable = false, Note = "our default recipe against the reference's (Adam 1e-3, noise drawn once)" });
        return 0;
    }

    private static Tensor MedianOfEach(Tensor images, ImageShape shape)
    {
        var result = Tensor.Zeros(images.Dim(0), shape.Size);
        for (int i = 0; i < images.Dim(0); i++)
            MedianFilter.Apply3x3(images.Span.Slice(i * shape.Size, shape.Size), shape).CopyTo(result.Span.Slice(i * shape.Size, shape.Size));
        return result;
    }
}
