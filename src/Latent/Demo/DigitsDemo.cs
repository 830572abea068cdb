using System.Diagnostics;
using Latent.Data;
using Latent.Engine;
using Latent.Engine.Losses;
using Latent.Engine.Nn;
using Latent.Engine.Optim;

namespace Latent.Demo;

/// <summary>One finished epoch of the demo: training loss and held-out reconstruction error.</summary>
public sealed record DemoEpoch(int Epoch, int Epochs, float TrainLoss, float TestMse, double Seconds, double SamplesPerSecond);

/// <summary>
/// What the demo learned: held-out mean squared error per pixel next to the mean-image baseline, and a few
/// held-out digits with their reconstructions (64 values in [0, 1] each).
/// </summary>
public sealed record DemoResult(float TestMse, float MeanImageMse, int CodeSize, IReadOnlyList<(float[] Original, float[] Reconstruction)> Examples);

/// <summary>
/// The first thing to run: a small dense autoencoder (64 → 32 → 8 → 32 → 64) learns to compress the bundled
/// 8×8 digits to 8 numbers and to rebuild them, trained on 80% of the images and judged on the other 20%.
/// </summary>
public static class DigitsDemo
{
    public static DemoResult Run(int epochs = 60, ulong seed = 0, Action<DemoEpoch>? progress = null, CancellationToken cancel = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(epochs);
        var (pixels, _) = Digits.Load();
        int count = pixels.Length / Digits.Pixels, testCount = count / 5, trainCount = count - testCount;
        var rng = new Rng(seed);
        int[] order = rng.Permutation(count);
        Tensor train = Rows(pixels, order.AsSpan(testCount)), test = Rows(pixels, order.AsSpan(0, testCount));

        const int codeSize = 8, batchSize = 64;
        var model = new Sequential(
            new Linear(Digits.Pixels, 32, activation: Activation.Relu, rng: rng),
            new Linear(32, codeSize, rng: rng),
            new Linear(codeSize, 32, activation: Activation.Relu, rng: rng),
            new Linear(32, Digits.Pixels, rng: rng));   // logits; the sigmoid is inside the loss
        var adam = new Adam(model.Parameters(), learningRate: 3e-3f);

        int[] shuffled = new int[trainCount];
        for (int epoch = 1; epoch <= epochs; epoch++)
        {
            cancel.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            rng.Permutation(shuffled);
            double lossSum = 0;
            for (int start = 0; start < trainCount; start += batchSize)
            {
                int n = Math.Min(batchSize, trainCount - start);
                using Tensor batch = Rows(train.Span, shuffled.AsSpan(start, n));
                adam.ZeroGrad();
                Tensor loss = Loss.BinaryCrossEntropyWithLogits(model.Forward(batch), batch);
                lossSum += loss.Item() * n;
                loss.Backward();
                adam.Step();
            }
            double seconds = clock.Elapsed.TotalSeconds;
            progress?.Invoke(new DemoEpoch(epoch, epochs, (float)(lossSum / trainCount), Mse(model, test), seconds, trainCount / seconds));
        }

        var examples = new List<(float[], float[])>();
        using (Tensor.NoGrad())
        {
            float[] rebuilt = Ops.Sigmoid(model.Forward(test)).ToArray();
            for (int i = 0; i < 4; i++)
                examples.Add((test.Span.Slice(i * Digits.Pixels, Digits.Pixels).ToArray(), rebuilt.AsSpan(i * Digits.Pixels, Digits.Pixels).ToArray()));
        }
        return new DemoResult(Mse(model, test), MeanImageMse(train, test), codeSize, examples);
    }

    private static float Mse(Module model, Tensor data)
    {
        using (Tensor.NoGrad())
            return Loss.Mse(Ops.Sigmoid(model.Forward(data)), data).Item();
    }

    /// <summary>The error of always answering the average training image: what the model must beat.</summary>
    private static float MeanImageMse(Tensor train, Tensor test)
    {
        using (Tensor.NoGrad())
            return Loss.Mse(test - train.Mean(0), test - test).Item();
    }

    private static Tensor Rows(ReadOnlySpan<float> pixels, ReadOnlySpan<int> rows)
    {
        var data = new float[rows.Length * Digits.Pixels];
        for (int i = 0; i < rows.Length; i++)
            pixels.Slice(rows[i] * Digits.Pixels, Digits.Pixels).CopyTo(data.AsSpan(i * Digits.Pixels));
        return Tensor.FromArray(data, rows.Length, Digits.Pixels);
    }
}
