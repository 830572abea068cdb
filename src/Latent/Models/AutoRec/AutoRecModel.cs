using Latent.Data;
using Latent.Engine;
using Latent.Engine.Losses;
using Latent.Engine.Nn;
using Latent.Training;

namespace Latent.Models.AutoRec;

/// <summary>
/// AutoRec trained on a sparse rating matrix whose rows are its inputs (items for I-AutoRec, users for U-AutoRec).
/// The loss counts observed ratings only: Σ over observed (r − r̂)² + (λ/2)·Σ‖W‖², divided by the number of observed
/// ratings in the batch (a scale Rprop ignores and Adam barely notices) and with the penalty's share of a mini-batch in
/// proportion to its rows. A training batch is a list of row numbers ([n, 1]): only those rows become a sparse batch.
/// </summary>
internal sealed class AutoRecModel : ITrainable
{
    private readonly RatingMatrix _matrix;
    private readonly AutoRecOptions _options;
    private Tensor? _codes;

    /// <param name="matrix">Rows are the network's inputs (items by users for I-AutoRec).</param>
    /// <param name="options">The network and its training.</param>
    /// <param name="rng">Draws the initial weights.</param>
    public AutoRecModel(RatingMatrix matrix, AutoRecOptions options, Rng rng)
    {
        _matrix = matrix;
        _options = options;
        Net = new AutoRecNetwork(matrix.Columns, options, rng);
    }

    public AutoRecNetwork Net { get; }

    public Module Network => Net;

    public Tensor Loss(Tensor batch, Rng rng)
    {
        int[] rows = RowsOf(batch);
        SparseMatrix x = _matrix.Batch(rows);
        Tensor h = Net.Encode(_options.InputDropout > 0 && Net.IsTraining ? _matrix.Batch(rows, _options.InputDropout, rng) : x, rng);
        var pairRows = new int[x.NonZeros];
        for (int i = 0; i < rows.Length; i++) pairRows.AsSpan(x.RowStarts[i], x.RowStarts[i + 1] - x.RowStarts[i]).Fill(i);
        Tensor predicted = Ops.SampledLinear(h, Net.DecoderWeight, Net.DecoderBias, pairRows, x.ColumnIndices);
        Tensor squared = Engine.Losses.Loss.Mse(predicted, Tensor.FromArray(x.Values, x.NonZeros), reduction: Reduction.Sum);
        float share = (float)rows.Length / _matrix.Rows;
        Tensor? penalty = null;
        if (_options.L2 > 0)
            foreach (Tensor w in Net.Weights)
            {
                Tensor term = Ops.Sum(w * w);
                penalty = penalty is null ? term : penalty + term;
            }
        Tensor loss = penalty is null ? squared : squared + penalty * (_options.L2 / 2 * share);
        return loss * (1f / Math.Max(1, x.NonZeros));
    }

    private static int[] RowsOf(Tensor batch)
    {
        ReadOnlySpan<float> ids = batch.Span;
        var rows = new int[ids.Length];
        for (int i = 0; i < rows.Length; i++) rows[i] = (int)ids[i];
        return rows;
    }

    /// <summary>Trains on every row; the loop's data is the list of row numbers.</summary>
    public History Fit(IProgress<TrainingProgress>? progress, CancellationToken cancel, ulong seed)
    {
        using Tensor rows = Tensor.FromArray([.. Enumerable.Range(0, _matrix.Rows).Select(r => (float)r)], _matrix.Rows, 1);
        var fit = new FitOptions
        {
            Epochs = _options.Epochs,
            BatchSize = _options.BatchSize ?? _matrix.Rows,
            LearningRate = _options.LearningRate,
            Optimizer = _options.Optimizer == AutoRecOptimizer.Rprop ? OptimizerKind.Rprop : OptimizerKind.Adam,
            ValidationFraction = 0,
            RestoreBestWeights = false,
            Seed = seed,
        };
        History history = Trainer.Fit(this, rows, fit, progress, cancel);
        _codes = null;
        return history;
    }

    /// <summary>The last hidden layer's codes of every row [rows, last], computed once after training (inference mode).</summary>
    public Tensor Codes
    {
        get
        {
            if (_codes is { } codes) return codes;
            lock (_matrix)
            {
                if (_codes is not null) return _codes;
                using var _ = Tensor.NoGrad();
                Net.Eval();
                int[] all = [.. Enumerable.Range(0, _matrix.Rows)];
                return _codes = Net.Encode(_matrix.Batch(all), new Rng(0));
            }
        }
    }

    /// <summary>The reconstructed rating at (row, column) of the matrix (item, user for I-AutoRec).</summary>
    public float Predict(int row, int column)
    {
        int k = Codes.Dim(1);
        return System.Numerics.Tensors.TensorPrimitives.Dot(Codes.Span.Slice(row * k, k), Net.DecoderWeight.Span.Slice(column * k, k)) + Net.DecoderBias.Span[column];
    }
}
