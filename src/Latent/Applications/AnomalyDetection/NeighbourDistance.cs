using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using Latent.Engine;

namespace Latent.Applications.AnomalyDetection;

/// <summary>
/// kNN outlier scoring with subsampling (<see cref="AnomalyScorers.Neighbours"/>): each of several random samples of
/// fitted rows scores a row by its squared distance to its k-th nearest sample row, relative to the median of that
/// distance over the fitted rows; the samples' scores are averaged. Small samples, as in Isolation Forest, keep a
/// cluster of anomalies among the fitted rows from being each other's near neighbours, and the average over samples
/// removes most of the variance they bring. Feature j's share is (xⱼ − nⱼ)², nⱼ being the k-th nearest row's value.
/// </summary>
internal sealed class NeighbourDistance : IRowScorer
{
    public NeighbourDistance(Tensor[] samples, int neighbours, float[] medians)
    {
        if (samples.Length == 0 || samples.Length != medians.Length || neighbours < 1
            || samples.Any(s => s.Rank != 2 || s.Dim(0) < 2 || s.Dim(1) != samples[0].Dim(1)))
            throw new InvalidDataException("The detector's neighbour samples are inconsistent.");
        Samples = samples;
        Neighbours = neighbours;
        Medians = medians;
    }

    /// <summary>Each sample's rows [rows, Width].</summary>
    public Tensor[] Samples { get; }

    /// <summary>k, as asked for; a sample of n rows uses min(k, n − 1).</summary>
    public int Neighbours { get; }

    /// <summary>Each sample's median squared k-th neighbour distance over the fitted rows.</summary>
    public float[] Medians { get; }

    public int Width => Samples[0].Dim(1);

    /// <summary>
    /// Draws <see cref="AnomalyOptions.Members"/> samples of <see cref="AnomalyOptions.SampleRows"/> rows of
    /// <paramref name="rows"/> [rows, width], each from a generator forked in turn from <paramref name="rng"/>. A
    /// fitted row is not its own neighbour when the medians are measured, so that they describe new rows.
    /// </summary>
    public static NeighbourDistance Fit(Tensor rows, AnomalyOptions options, Rng rng, CancellationToken cancel)
    {
        int count = rows.Dim(0), width = rows.Dim(1);
        var samples = new Tensor[options.Members];
        var medians = new float[options.Members];
        var distances = new float[count];
        for (int m = 0; m < samples.Length; m++)
        {
            int[] chosen = rng.Fork().Permutation(count)[..Math.Min(count, options.SampleRows)];
            using (Tensor.NoGrad()) samples[m] = Ops.SelectRows(rows, chosen);
            var positionInSample = new int[count];
            Array.Fill(positionInSample, -1);
            for (int i = 0; i < chosen.Length; i++) positionInSample[chosen[i]] = i;
            int k = KFor(options.Neighbours, chosen.Length);
            Tensor sample = samples[m];
            ForRowBlocks(count, chosen.Length * width, (first, end) =>
            {
                ReadOnlySpan<float> x = rows.Span, s = sample.Span;
                var nearest = new NearestRows(k, chosen.Length);
                for (int r = first; r < end; r++)
                {
                    int neighbour = nearest.KthOf(x.Slice(r * width, width), s, width, positionInSample[r]);
                    distances[r] = SquaredDistance(x.Slice(r * width, width), s.Slice(neighbour * width, width));
                }
            });
            medians[m] = Ensemble.TypicalError(distances);
            cancel.ThrowIfCancellationRequested();
        }
        return new NeighbourDistance(samples, options.Neighbours, medians);
    }

    public void FeatureErrors(Tensor x, Span<float> errors)
    {
        int width = Width, rows = x.Dim(0);
        var sums = new float[rows * width];
        for (int m = 0; m < Samples.Length; m++)
        {
            Tensor sample = Samples[m];
            int sampleRows = sample.Dim(0), k = KFor(Neighbours, sampleRows);
            float weight = 1f / (Medians[m] * Samples.Length);
            ForRowBlocks(rows, sampleRows * width, (first, end) =>
            {
                ReadOnlySpan<float> values = x.Span, s = sample.Span;
                var nearest = new NearestRows(k, sampleRows);
                var difference = new float[width];
                for (int r = first; r < end; r++)
                {
                    ReadOnlySpan<float> row = values.Slice(r * width, width);
                    int neighbour = nearest.KthOf(row, s, width, skip: -1);
                    TensorPrimitives.Subtract(row, s.Slice(neighbour * width, width), difference);
                    TensorPrimitives.Multiply(difference, difference, difference);
                    Span<float> into = sums.AsSpan(r * width, width);
                    TensorPrimitives.MultiplyAdd(difference, weight, into, into);
                }
            });
        }
        sums.CopyTo(errors);
    }

    /// <summary>
    /// Runs <paramref name="work"/> on blocks [first, end) of the rows, in parallel on <see cref="Parallelism.Threads"/>
    /// when there is enough work (each row's result depends on that row alone, so the result is the same either way).
    /// </summary>
    private static void ForRowBlocks(int rows, long workPerRow, Action<int, int> work)
    {
        const long MinWorkPerBlock = 1 << 20;
        int blocks = (int)Math.Clamp(rows * workPerRow / MinWorkPerBlock, 1, Math.Min(rows, 4L * Parallelism.Threads));
        if (blocks == 1 || Parallelism.Threads == 1)
        {
            work(0, rows);
            return;
        }
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = Parallelism.Threads },
            b => work((int)((long)rows * b / blocks), (int)((long)rows * (b + 1) / blocks)));
    }

    private static int KFor(int neighbours, int sampleRows) => Math.Min(neighbours, sampleRows - 1);

    private static float SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float d = TensorPrimitives.Distance(a, b);
        return d * d;
    }

    /// <summary>Finds the k-th nearest sample row of a row, keeping the k nearest so far in order (k is small).</summary>
    private sealed class NearestRows(int k, int sampleRows)
    {
        private readonly float[] _distance = new float[k];
        private readonly int[] _index = new int[k];
        private readonly int _sampleRows = sampleRows;

        /// <summary>The position of the k-th nearest row of <paramref name="sample"/> to <paramref name="row"/>, leaving out position <paramref name="skip"/>; ties go to the earlier row.</summary>
        public int KthOf(ReadOnlySpan<float> row, ReadOnlySpan<float> sample, int width, int skip)
        {
            int found = 0;
            for (int s = 0; s < _sampleRows; s++)
            {
                if (s == skip) continue;
                float d = TensorPrimitives.Distance(row, sample.Slice(s * width, width));
                if (found == k && d >= _distance[k - 1]) continue;
                int at = found < k ? found++ : k - 1;
                while (at > 0 && _distance[at - 1] > d)
                {
                    _distance[at] = _distance[at - 1];
                    _index[at] = _index[at - 1];
                    at--;
                }
                _distance[at] = d;
                _index[at] = s;
            }
            return _index[k - 1];
        }
    }
}
