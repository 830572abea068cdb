using Latent.Data;
using Latent.Engine;
using Latent.Reporting;

namespace Latent.Applications.AnomalyDetection;

/// <summary>
/// Scores rows that arrive in parts (a large file read in chunks) in memory that does not grow with the data, with
/// exactly the scores of scoring all rows at once: rows (or windows) go through the network in blocks of a fixed
/// size counted from the first row, so results do not depend on how the rows were split into parts. A row is
/// reported once its block has been scored; <see cref="Finish"/> scores the rest. With windows (a time series), a
/// row's score is the mean of the scores of the windows that contain it, and rows after the last whole window take
/// that window's score.
/// <code>
/// AnomalyStream stream = detector.OpenStream();
/// foreach (Tensor chunk in chunks) Write(stream.Push(chunk));
/// Write(stream.Finish());
/// </code>
/// </summary>
public sealed class AnomalyStream
{
    private const int BlockValues = 1 << 20;   // values per block through the network, which bounds memory
    private const int MaxBlockRows = 1024;

    private readonly FeaturePreparation _features;
    private readonly IRowScorer _scorer;
    private readonly float _threshold;
    private readonly int _window, _stride, _sources, _blockRows;
    private long _rowsIn;
    private bool _finished;

    // Rows (or windows) waiting for their block to fill, and the position of the first of them.
    private readonly List<float> _block = [];
    private readonly List<long> _blockStarts = [];
    private long _blockFirst;

    // Windows only: prepared rows from _bufferStart on, the start of the next window to cut, and the running sums of
    // the contributions of the rows from _pendingStart on that scored windows have covered.
    private readonly List<float> _buffer = [];
    private long _bufferStart, _nextStart, _pendingStart;
    private readonly List<double> _contributionSums = [];
    private readonly List<int> _counts = [];
    private float[]? _lastWindow;   // contributions of the last scored window (its score is their sum)

    internal AnomalyStream(FeaturePreparation features, IRowScorer scorer, float threshold, int? window, int stride)
    {
        _features = features;
        _scorer = scorer;
        _threshold = threshold;
        _window = window ?? 0;
        _stride = stride;
        _sources = features.Sources.Length;
        _blockRows = Math.Clamp(BlockValues / scorer.Width, 1, MaxBlockRows);
    }

    /// <summary>Rows pushed so far.</summary>
    public long RowsIn => _rowsIn;

    /// <summary>Adds the next encoded rows [rows, input width]; returns the rows whose scores are now final, in order.</summary>
    /// <exception cref="ArgumentException">The rows have the wrong width or a cell that is not a finite number (the message names row and column).</exception>
    public AnomalyReport Push(Tensor encoded)
    {
        if (_finished) throw new InvalidOperationException("This stream has finished; open a new one to score more rows.");
        using Tensor prepared = _features.Apply(encoded, _rowsIn);
        _rowsIn += prepared.Dim(0);
        return _window == 0 ? PushRows(prepared) : PushWindows(prepared);
    }

    /// <summary>Adds the rows of a chunk of a table with the detector's columns.</summary>
    /// <exception cref="ArgumentException">The detector was fitted on plain numbers, not a table.</exception>
    /// <exception cref="InvalidDataException">The chunk's columns differ from the detector's.</exception>
    public AnomalyReport Push(CsvTable chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        TableSchema schema = _features.Schema ?? throw AnomalyDetector.FittedOnNumbers();
        using Tensor encoded = schema.Encode(chunk);
        return Push(encoded);
    }

    /// <summary>Ends the stream and returns the rows still waiting for their scores.</summary>
    /// <exception cref="ArgumentException">A time series was shorter than one window.</exception>
    public AnomalyReport Finish()
    {
        if (_finished) throw new InvalidOperationException("This stream has already finished.");
        _finished = true;
        if (_window == 0) return _blockStarts.Count > 0 ? ScoreRowBlock() : Report(_rowsIn, []);
        if (_blockStarts.Count > 0) ScoreWindowBlock();
        if (_lastWindow is null)
            throw new ArgumentException($"The series has {Counted.Of(_rowsIn, "row")}, fewer than the detector's window of {_window}; there is nothing to score.");
        int count = (int)(_rowsIn - _pendingStart);
        var contributions = new float[count * _sources];
        for (int i = 0; i < count; i++)
        {
            Span<float> c = contributions.AsSpan(i * _sources, _sources);
            if (i < _counts.Count) Mean(i, c);
            else _lastWindow.CopyTo(c);
        }
        return Report(_pendingStart, contributions);
    }

    private AnomalyReport PushRows(Tensor prepared)
    {
        int width = prepared.Dim(1);
        ReadOnlySpan<float> x = prepared.Span;
        var parts = new List<AnomalyReport>();
        for (int r = 0; r < prepared.Dim(0); r++)
        {
            if (_blockStarts.Count == 0) _blockFirst = _rowsIn - prepared.Dim(0) + r;
            _block.AddRange(x.Slice(r * width, width));
            _blockStarts.Add(_blockFirst + _blockStarts.Count);
            if (_blockStarts.Count == _blockRows) parts.Add(ScoreRowBlock());
        }
        return Concat(parts);
    }

    /// <summary>Scores the waiting rows: each row's contributions are its feature errors summed per source column.</summary>
    private AnomalyReport ScoreRowBlock()
    {
        int rows = _blockStarts.Count, width = _scorer.Width;
        float[] errors = ScoreBlock(rows);
        var contributions = new float[rows * _sources];
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < width; j++) contributions[r * _sources + _features.SourceOf[j]] += errors[r * width + j];
        return Report(_blockFirst, contributions);
    }

    private AnomalyReport PushWindows(Tensor prepared)
    {
        int width = prepared.Dim(1), windowWidth = _window * width;
        _buffer.AddRange(prepared.Span);
        for (; _nextStart + _window <= _rowsIn; _nextStart += _stride)
        {
            int offset = (int)(_nextStart - _bufferStart) * width;
            for (int k = 0; k < windowWidth; k++) _block.Add(_buffer[offset + k]);
            _blockStarts.Add(_nextStart);
            if (_blockStarts.Count == _blockRows) ScoreWindowBlock();
        }
        int drop = (int)(Math.Min(_nextStart, _rowsIn) - _bufferStart);
        _buffer.RemoveRange(0, drop * width);
        _bufferStart += drop;

        // A row is final once every window containing it (they start at or before it) has been scored.
        long finalEnd = Math.Min(_blockStarts.Count > 0 ? _blockStarts[0] : _nextStart, _rowsIn);
        int final = (int)(finalEnd - _pendingStart);
        var contributions = new float[final * _sources];
        for (int i = 0; i < final; i++) Mean(i, contributions.AsSpan(i * _sources, _sources));
        AnomalyReport report = Report(_pendingStart, contributions);
        _counts.RemoveRange(0, final);
        _contributionSums.RemoveRange(0, final * _sources);
        _pendingStart += final;
        return report;
    }

    /// <summary>Scores the waiting windows and adds each window's contributions to every row it covers.</summary>
    private void ScoreWindowBlock()
    {
        int windows = _blockStarts.Count, windowWidth = _scorer.Width, width = windowWidth / _window;
        float[] errors = ScoreBlock(windows);
        var contribution = new float[_sources];
        for (int i = 0; i < windows; i++)
        {
            Array.Clear(contribution);
            for (int k = 0; k < windowWidth; k++) contribution[_features.SourceOf[k % width]] += errors[i * windowWidth + k];
            for (long t = _blockStarts[i]; t < _blockStarts[i] + _window; t++)
            {
                int row = (int)(t - _pendingStart);
                while (_counts.Count <= row)
                {
                    _counts.Add(0);
                    for (int j = 0; j < _sources; j++) _contributionSums.Add(0);
                }
                _counts[row]++;
                for (int j = 0; j < _sources; j++) _contributionSums[row * _sources + j] += contribution[j];
            }
            _lastWindow = [.. contribution];
        }
        _blockStarts.Clear();
    }

    /// <summary>The feature errors of the waiting block [count × width]; empties the block.</summary>
    private float[] ScoreBlock(int count)
    {
        int width = _scorer.Width;
        using Tensor block = Tensor.FromArray(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_block), count, width);
        var errors = new float[count * width];
        _scorer.FeatureErrors(block, errors);
        _block.Clear();
        if (_window == 0) _blockStarts.Clear();
        return errors;
    }

    private void Mean(int row, Span<float> into)
    {
        for (int j = 0; j < _sources; j++) into[j] = (float)(_contributionSums[row * _sources + j] / _counts[row]);
    }

    private AnomalyReport Report(long first, float[] contributions)
    {
        int rows = contributions.Length / _sources;
        var scores = new float[rows];
        for (int r = 0; r < rows; r++) scores[r] = System.Numerics.Tensors.TensorPrimitives.Sum(contributions.AsSpan(r * _sources, _sources));
        return new AnomalyReport(first, scores, _threshold, _features.Sources, contributions);
    }

    private AnomalyReport Concat(List<AnomalyReport> parts) =>
        parts.Count == 0 ? Report(_blockStarts.Count > 0 ? _blockFirst : _rowsIn, []) : AnomalyReport.Concat(parts, _threshold, _features.Sources);
}
