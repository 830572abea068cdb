using Latent.Engine;
using Latent.Models;
using Latent.Models.Sequence;
using Latent.Training;

namespace Latent.Applications.AnomalyDetection;

/// <summary>
/// The detector's autoencoders. Each member trains on its own random sample of rows, with its own code size unless
/// one is given, and measures errors relative to its median error on the fitted rows, so that members with larger
/// errors in general do not outvote the rest. A row's error for feature j is the mean over members of
/// (x̂ⱼ − xⱼ)² / median; its score is the sum over features, so 1 is about a typical fitted row.
/// </summary>
internal sealed class Ensemble : IRowScorer
{
    private const int Chunk = 4096;   // rows per pass at inference: bounds memory on big inputs

    public Ensemble(IAutoencoder[] members, float[] medians)
    {
        if (members.Length == 0 || members.Length != medians.Length || members.Any(m => m.Inputs != members[0].Inputs))
            throw new InvalidDataException("The detector's ensemble is inconsistent.");
        Members = members;
        Medians = medians;
    }

    public IAutoencoder[] Members { get; }

    /// <summary>Each member's median summed squared error over the fitted rows.</summary>
    public float[] Medians { get; }

    public int Width => Members[0].Inputs;

    /// <summary>
    /// Trains <see cref="AnomalyOptions.Members"/> autoencoders on <paramref name="samples"/> [rows, width]. Each
    /// member's generator is forked, in turn, from <paramref name="rng"/>; from it the member draws its sample (a
    /// permutation), its code size (unless given), its initial weights' seed and its training seed, in that order.
    /// Progress is reported per member (Stage "member 3 of 10").
    /// </summary>
    public static Ensemble Train(Tensor samples, AnomalyOptions options, Rng rng, IProgress<TrainingProgress>? progress, CancellationToken cancel)
    {
        int rows = samples.Dim(0), width = samples.Dim(1);
        var members = new IAutoencoder[options.Members];
        for (int m = 0; m < members.Length; m++)
        {
            Rng memberRng = rng.Fork();
            int[] order = memberRng.Permutation(rows);
            int code = options.CodeSize ?? Math.Max(1, (int)Math.Round(width * (0.25 + 0.25 * memberRng.NextFloat())));
            members[m] = options.Autoencoder == DetectorAutoencoder.Lstm
                ? new SequenceAutoencoder(new SequenceAutoencoderConfig
                {
                    Steps = options.Window!.Value, Features = width / options.Window.Value, Hidden = options.Hidden?[0] ?? 64,
                    Scaling = Scaling.None, Seed = memberRng.NextUInt64(),
                })
                : new DenseAutoencoder(new DenseAutoencoderConfig
                {
                    Inputs = width,
                    Hidden = options.Hidden ?? [Math.Max(8, 2 * code)],
                    CodeSize = code,
                    Activation = options.Activation,
                    CodeActivation = Activation.Identity,
                    Output = Activation.Identity,
                    Scaling = Scaling.None,
                    Seed = memberRng.NextUInt64(),
                });
            Tensor sample;
            using (Tensor.NoGrad()) sample = Ops.SelectRows(samples, order.AsSpan(0, Math.Min(rows, options.SampleRows)));
            string stage = $"member {m + 1} of {members.Length}";
            using (sample)
                new EnsembleMember(members[m], sample, options).Train(memberRng.NextUInt64(), StagedProgress.Named(progress, stage), cancel);
            cancel.ThrowIfCancellationRequested();
        }

        var medians = new float[members.Length];
        for (int m = 0; m < members.Length; m++)
        {
            var totals = new float[rows];
            ForEachChunk(samples, (chunk, first) =>
            {
                using Tensor squared = SquaredErrors(members[m], chunk);
                RowSums(squared.Span, width, totals.AsSpan(first, chunk.Dim(0)));
            });
            medians[m] = TypicalError(totals);
        }
        return new Ensemble(members, medians);
    }

    /// <summary>The per-feature errors of <paramref name="x"/> [rows, Width] (see the class summary) into <paramref name="errors"/> [rows × Width].</summary>
    public void FeatureErrors(Tensor x, Span<float> errors)
    {
        int width = Width;
        errors.Clear();
        float[] buffer = new float[errors.Length];
        for (int m = 0; m < Members.Length; m++)
        {
            float weight = 1f / (Medians[m] * Members.Length);
            IAutoencoder member = Members[m];
            ForEachChunk(x, (chunk, first) =>
            {
                using Tensor squared = SquaredErrors(member, chunk);
                squared.Span.CopyTo(buffer.AsSpan(first * width));
            });
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(buffer, weight, errors, errors);
        }
    }

    private static Tensor SquaredErrors(IAutoencoder member, Tensor x)
    {
        using (Tensor.NoGrad())
        {
            using Tensor rebuilt = member.Reconstruct(x);
            using Tensor difference = rebuilt - x;
            return difference * difference;
        }
    }

    private static void ForEachChunk(Tensor x, Action<Tensor, int> action)
    {
        int rows = x.Dim(0);
        if (rows <= Chunk)
        {
            action(x, 0);
            return;
        }
        int[] indices = new int[Chunk];
        for (int start = 0; start < rows; start += Chunk)
        {
            int n = Math.Min(Chunk, rows - start);
            for (int i = 0; i < n; i++) indices[i] = start + i;
            Tensor chunk;
            using (Tensor.NoGrad()) chunk = Ops.SelectRows(x, indices.AsSpan(0, n));
            using (chunk) action(chunk, start);
        }
    }

    internal static void RowSums(ReadOnlySpan<float> values, int width, Span<float> sums)
    {
        for (int r = 0; r < sums.Length; r++) sums[r] = System.Numerics.Tensors.TensorPrimitives.Sum(values.Slice(r * width, width));
    }

    /// <summary>The median, or the mean when the median is 0 (a member that rebuilds most rows exactly), or 1.</summary>
    internal static float TypicalError(float[] totals)
    {
        float[] sorted = [.. totals];
        Array.Sort(sorted);
        float median = (sorted[(sorted.Length - 1) / 2] + sorted[sorted.Length / 2]) / 2;
        if (median > 0) return median;
        float mean = sorted.Average();
        return mean > 0 ? mean : 1f;
    }
}
