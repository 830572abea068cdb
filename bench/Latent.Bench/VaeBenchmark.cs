using System.Globalization;
using System.Text.Json;
using Latent.Data;
using Latent.Engine;
using Latent.Models;
using Latent.Training;

namespace Latent.Bench;

/// <summary>
/// `vae`: the pytorch/examples MNIST VAE (784-400-20, ReLU, Bernoulli likelihood summed over pixels + KL, Adam 1e-3,
/// batch 128, 10 epochs), shared/reference/vae.py first and then ours in the same run, both reporting the test loss
/// per image in nats after each epoch with one sampled code per image, and training samples/s (median of epochs
/// 2..N); ours also gives the importance-weighted log-likelihood estimate (K = 100) on the test set.
/// Options: --epochs=N (10), --threads=N (2), --quick (2 epochs, reference in smoke mode, IWAE on 500 images).
/// </summary>
internal static class VaeBenchmark
{
    public static int Run(string[] args)
    {
        bool quick = args.Contains("--quick");
        int epochs = quick ? 2 : BenchArgs.Int(args, "--epochs", 10), threads = BenchArgs.Int(args, "--threads", 2);
        Parallelism.Threads = threads;
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"# vae: 784-400-20 on MNIST, Bernoulli + KL, Adam 1e-3, batch 128, {epochs} epochs, {threads} threads");
        var referenceArgs = new List<string> { $"--epochs={epochs}", $"--threads={threads}" };
        if (quick) referenceArgs.Add("--smoke");
        ReferenceResult reference = ReferenceScript.Run("vae.py", referenceArgs);

        Dataset train = Datasets.Load("mnist", Split.Train), test = Datasets.Load("mnist", Split.Test);
        var vae = new VariationalAutoencoder(new VariationalAutoencoderConfig { Inputs = 784, Hidden = [400], CodeSize = 20, Seed = 1 });
        var testLoss = new List<double>();
        Console.WriteLine("epoch  train_s  samples/s  train_loss  test_loss  (reconstruction  KL)");
        History history = vae.Fit(train.Features, new FitOptions
        {
            Epochs = epochs, BatchSize = 128, LearningRate = 1e-3f, ValidationFraction = 0, Seed = 1,
        }, new InlineProgress<TrainingProgress>(p =>
        {
            if (p.EpochEnded is not { } e) return;
            var (loss, reconstruction, kl) = vae.TestLoss(test.Features, seed: (ulong)e.Epoch);
            testLoss.Add(loss);
            Console.WriteLine(string.Create(inv, $"{e.Epoch,5} {e.Seconds,8:F2} {e.SamplesPerSecond,10:N0} {e.TrainLoss,11:F2} {loss,10:F2}  ({reconstruction,8:F2} {kl,6:F2})"));
        }));
        double speed = Median([.. history.Epochs.Skip(epochs > 1 ? 1 : 0).Select(e => e.SamplesPerSecond)]);
        Tensor iwaeRows = quick ? Ops.SelectRows(test.Features, [.. Enumerable.Range(0, 500)]) : test.Features;
        double iwae = vae.ImportanceWeightedLogLikelihood(iwaeRows, samples: 100);
        Console.WriteLine(string.Create(inv, $"ours: test loss {testLoss[^1]:F2} nats, {speed:N0} samples/s, importance-weighted log p(x) ≈ {iwae:F2} nats (K = 100, {iwaeRows.Dim(0):N0} test images)"));

        if (reference.Json is not { } r)
        {
            Console.WriteLine($"vae: reference unavailable ({reference.Failure}); ours test loss {testLoss[^1]:F2}");
            return 1;
        }
        double torchLoss = r.GetProperty("final_test_loss").GetDouble(), torchSpeed = r.GetProperty("train_samples_per_s").GetDouble();
        Console.WriteLine();
        Console.WriteLine("| metric | ours | PyTorch | ours / PyTorch |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        Console.WriteLine(string.Create(inv, $"| test loss after {epochs} epochs (nats) | {testLoss[^1]:F2} | {torchLoss:F2} | {testLoss[^1] / torchLoss:F3} |"));
        Console.WriteLine(string.Create(inv, $"| training samples/s | {speed:N0} | {torchSpeed:N0} | {speed / torchSpeed:F2} |"));
        Console.WriteLine(string.Create(inv, $"vae: test loss ours {testLoss[^1]:F2} vs torch {torchLoss:F2}, train speed ratio {speed / torchSpeed:F2}"));
        Results.Add(new($"test loss after {epochs} epochs", testLoss[^1], "nats", HigherIsBetter: false) { Peer = "PyTorch", PeerValue = torchLoss, Note = "one seed per side" });
        Results.Add(new("train speed", speed, "samples/s", HigherIsBetter: true) { Peer = "PyTorch", PeerValue = torchSpeed });
        Results.Curve(new("test loss per epoch", "epoch", "nats", [CurveSide.PerEpoch("ours", testLoss), CurveSide.PerEpoch("PyTorch", r.GetProperty("test_loss_by_epoch").EnumerateArray().Select(e => e.GetDouble()))]));
        return 0;
    }

    private static double Median(double[] values)
    {
        Array.Sort(values);
        return values[values.Length / 2];
    }
}
