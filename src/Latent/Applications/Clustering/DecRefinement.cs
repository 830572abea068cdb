using System.Diagnostics;
using Latent.Engine;
using Latent.Engine.Nn;
using Latent.Engine.Optim;
using Latent.Models;
using Latent.Training;

namespace Latent.Applications.Clustering;

/// <summary>Settings of the DEC refinement (defaults from Xie et al., 2016, and its Keras re-implementation).</summary>
public sealed record DecOptions
{
    /// <summary>Training steps at most.</summary>
    public int MaxIterations { get; init; } = 8000;
    /// <summary>Steps between recomputing the target distribution (and checking for convergence).</summary>
    public int UpdateInterval { get; init; } = 140;
    /// <summary>Stop when fewer than this fraction of rows change cluster between two target updates.</summary>
    public double Tolerance { get; init; } = 0.001;
    /// <summary>Rows per training step.</summary>
    public int BatchSize { get; init; } = 256;
    /// <summary>SGD learning rate (momentum 0.9).</summary>
    public float LearningRate { get; init; } = 0.01f;

    internal void Validate()
    {
        if (MaxIterations < 1) throw new ArgumentException($"DEC needs at least 1 iteration, not {MaxIterations}.");
        if (UpdateInterval < 1) throw new ArgumentException($"The DEC update interval must be at least 1 step, not {UpdateInterval}.");
        if (BatchSize < 1) throw new ArgumentException($"The DEC batch size must be at least 1, not {BatchSize}.");
        if (!(LearningRate > 0) || !float.IsFinite(LearningRate)) throw new ArgumentException($"The DEC learning rate must be a positive number, not {LearningRate}.");
    }
}

/// <summary>
/// Deep Embedded Clustering (Xie, Girshick and Farhadi, 2016): soft assignments q by a Student-t kernel around
/// the centres, qᵢⱼ ∝ (1 + ‖zᵢ − μⱼ‖²)⁻¹, are pulled towards the sharpened target pᵢⱼ ∝ qᵢⱼ² / Σᵢ qᵢⱼ by minimising
/// KL(P ‖ Q), fine-tuning the encoder and the centres together. Starts from k-means centres on the codes.
/// It keeps its own SGD loop rather than <see cref="Training.Trainer"/>'s: the target P is recomputed over all rows
/// every <see cref="DecOptions.UpdateInterval"/> steps and training stops when few assignments change, so it is
/// step-based, not epoch-based.
/// </summary>
internal static class DecRefinement
{
    /// <summary>What progress reports call this stage.</summary>
    public const string Stage = "DEC refinement";

    /// <summary>
    /// Refines <paramref name="encoder"/> (trained in place) and returns the final centres and each row's cluster under
    /// them and the final encoder (what <see cref="Assign"/> gives), also when it stops at MaxIterations.
    /// </summary>
    /// <param name="progress">Told after every step, and at the end of every pass over the rows (an epoch), with <see cref="Stage"/>;
    /// the epochs are those <see cref="DecOptions.MaxIterations"/> allows, and DEC may converge before the last.</param>
    public static (float[] Centers, int[] Assignments, int Iterations) Run(Module encoder, Tensor data, float[] centers, int k, DecOptions options,
        ulong seed, IProgress<TrainingProgress>? progress, CancellationToken cancel)
    {
        int n = data.Dim(0);
        using var mu = Tensor.FromArray(centers, k, centers.Length / k);
        mu.RequiresGrad = true;
        var parameters = encoder.Parameters().Append(mu).ToList();
        var sgd = new Sgd(parameters, options.LearningRate, momentum: 0.9f);
        var rng = new Rng(seed);
        int[] order = rng.Permutation(n);
        float[] target = [];
        int[] assignments = [];
        int iteration = 0, position = 0;
        int batches = (n + options.BatchSize - 1) / options.BatchSize, epochs = (options.MaxIterations + batches - 1) / batches, epoch = 1, batch = 0;
        double lossSum = 0;
        var clock = Stopwatch.StartNew();
        encoder.Train();
        try
        {
            for (; iteration < options.MaxIterations; iteration++)
            {
                cancel.ThrowIfCancellationRequested();
                if (iteration % options.UpdateInterval == 0)
                {
                    float[] soft = SoftAssignments(encoder, data, mu);
                    int[] next = ArgMax(soft, k);
                    int changed = assignments.Length == 0 ? n : next.Where((c, i) => c != assignments[i]).Count();
                    assignments = next;
                    if (iteration > 0 && changed < options.Tolerance * n) break;
                    target = Target(soft, k);
                }
                int size = Math.Min(options.BatchSize, n - position);
                ReadOnlySpan<int> rows = order.AsSpan(position, size);
                using Tensor rowsIn = Ops.SelectRows(data, rows);
                var p = Tensor.Zeros(size, k);
                for (int i = 0; i < size; i++) target.AsSpan(rows[i] * k, k).CopyTo(p.Span.Slice(i * k, k));
                sgd.ZeroGrad();
                Tensor q = Assignment(encoder.Forward(rowsIn), mu);
                Tensor loss = -(p * Ops.Log(q + 1e-12f)).Sum() / size;   // KL(P‖Q) up to a constant in P
                lossSum += (double)loss.Item() * size;
                loss.Backward();
                sgd.Step();

                position += size;
                batch++;
                double seconds = clock.Elapsed.TotalSeconds;
                progress?.Report(new TrainingProgress(epoch, epochs, batch, batches, (float)(lossSum / position), position / seconds, null, Stage));
                if (position < n) continue;
                var report = new EpochReport(epoch, (float)(lossSum / n), null, seconds, n / seconds, options.LearningRate);
                progress?.Report(new TrainingProgress(epoch, epochs, batches, batches, report.TrainLoss, report.SamplesPerSecond, report, Stage));
                (position, batch, lossSum, epoch) = (0, 0, 0, epoch + 1);
                clock.Restart();
                rng.Shuffle(order);
            }
            if (iteration == options.MaxIterations) assignments = ArgMax(SoftAssignments(encoder, data, mu), k);   // steps were taken since the last update
        }
        finally
        {
            encoder.Eval();
        }
        return (mu.ToArray(), assignments, iteration);
    }

    /// <summary>Each row's cluster by its codes [rows, d]: the argmax of the Student-t soft assignment, the rule DEC assigns by.</summary>
    public static int[] Assign(Tensor codes, Tensor mu)
    {
        using var _ = Tensor.NoGrad();
        using Tensor q = RowChunks.Map(codes, mu.Dim(0), 4096, rows => Assignment(rows, mu));
        return ArgMax(q.ToArray(), mu.Dim(0));
    }

    /// <summary>Student-t soft assignment (one degree of freedom): [rows, k], rows summing to 1.</summary>
    private static Tensor Assignment(Tensor z, Tensor mu)
    {
        Tensor squared = (z * z).Sum(1, keepDim: true) + (mu * mu).Sum(1) - 2f * Ops.MatMul(z, mu, transposeB: true);
        Tensor kernel = Ops.Pow(Ops.Clamp(squared, 0f, float.MaxValue) + 1f, -1f);
        return kernel / kernel.Sum(1, keepDim: true);
    }

    private static float[] SoftAssignments(Module encoder, Tensor data, Tensor mu)
    {
        encoder.Eval();
        using Tensor q = RowChunks.Map(data, mu.Dim(0), 4096, rows => Assignment(encoder.Forward(rows), mu));
        encoder.Train();
        return q.ToArray();
    }

    /// <summary>pᵢⱼ = (qᵢⱼ² / fⱼ) / Σⱼ' (qᵢⱼ'² / fⱼ'), fⱼ = Σᵢ qᵢⱼ: sharpens confident assignments and evens out cluster sizes.</summary>
    private static float[] Target(float[] q, int k)
    {
        int n = q.Length / k;
        var frequency = new double[k];
        for (int i = 0; i < q.Length; i++) frequency[i % k] += q[i];
        var p = new float[q.Length];
        for (int r = 0; r < n; r++)
        {
            double sum = 0;
            for (int j = 0; j < k; j++) sum += q[r * k + j] * (double)q[r * k + j] / frequency[j];
            for (int j = 0; j < k; j++) p[r * k + j] = (float)(q[r * k + j] * (double)q[r * k + j] / frequency[j] / sum);
        }
        return p;
    }

    private static int[] ArgMax(float[] q, int k)
    {
        var result = new int[q.Length / k];
        for (int r = 0; r < result.Length; r++)
        {
            ReadOnlySpan<float> row = q.AsSpan(r * k, k);
            result[r] = row.IndexOf(System.Numerics.Tensors.TensorPrimitives.Max(row));
        }
        return result;
    }
}
