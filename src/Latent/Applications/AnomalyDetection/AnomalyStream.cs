using Latent.Data;
using Latent.Engine;

namespace Latent.Applications.AnomalyDetection;

/// <summary>
/// Scores rows that arrive in parts (a large file read in chunks) in memory that does not grow with the data, and
/// gives the same scores as scoring all rows at once. Without windows every row is scored as it arrives. With
/// windows (a time series), a row's score is the mean of the scores of the windows that contain it, so it is
/// reported once the last such window has been seen; rows after the last whole window take that window's score.
/// <code>
/// AnomalyStream stream = detector.OpenStream();
/// foreach (Tensor chunk in chunks) Write(stream.Push(chunk));
/// Write(stream.Finish());
/// </code>
/// </summary>
public sealed class AnomalyStream
{
    private readonly FeaturePreparation _features;
    private readonly Ensemble _ensemble;
    private readonly float _threshold;
    private readonly int _window, _stride, _sources;
    private long _rowsIn;
    private bool _finished;

    // Windows only: prepared rows from _bufferStart on, the next window's start, and the running sums of the
    // contributions of the rows from _pendingStart on that windows have covered.
    private readonly List<float> _buffer = [];
    private long _bufferStart, _nextStart, _pendingStart;
    private readonly List<double> _contributionSums = [];
    private readonly List<int> _counts = [];
    private float[]? _lastWindow;   // contributions of the last window (its score is their sum)

    internal AnomalyStream(FeaturePreparation features, Ensemble ensemble, float threshold, int? window, int stride)
    {
        _features = features;
        _ensemble = ensemble;
        _threshold = threshold;
        _window = window ?? 0;
        _stride = stride;
        _sources = features.Sources.Length;
    }

    /// <summary>Rows pushed so far.</summary>
    public long RowsIn => _rowsIn;

    /// <summary>Scores the next encoded rows [rows, input width]; returns the rows whose scores are final (all of them without windows).</summary>
    /// <exception cref="ArgumentException">The rows have the wrong width or a cell that is not a finite number (the message names row and column).</exception>
    public AnomalyReport Push(Tensor encoded)
    {
        if (_finished) throw new InvalidOperationException("This stream has finished; open a new one to score more rows.");
        using Tensor prepared = _features.Apply(encoded, _rowsIn);
        long first = _rowsIn;
        _rowsIn += prepared.Dim(0);
        return _window == 0 ? ScoreRows(prepared, first) : PushWindows(prepared);
    }

    /// <summary>Scores the rows of a chunk of a table with the detector's columns.</summary>
    /// <exception cref="InvalidOperationException">The detector was fitted on plain numbers, not a table.</exception>
    /// <exception cref="InvalidDataException">The chunk's columns differ from the detector's.</exception>
    public AnomalyReport Push(CsvTable chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        TableSchema schema = _features.Schema ?? throw new InvalidOperationException("This detector was fitted on plain numbers, not a table; push tensors.");
        using Tensor encoded = schema.Encode(chunk);
        return Push(encoded);
    }

    /// <summary>Ends the stream and returns the rows still waiting for their scores (none without windows).</summary>
    /// <exception cref="ArgumentException">A time series was shorter than one window.</exception>
    public AnomalyReport Finish()
    {
        if (_finished) throw new InvalidOperationException("This stream has already finished.");
        _finished = true;
        if (_window == 0) return Empty(_rowsIn);
        if (_lastWindow is null)
            throw new ArgumentException($"The series has {_rowsIn} rows, fewer than the detector's window of {_window}; there is nothing to score.");
        int count = (int)(_rowsIn - _pendingStart);
        var scores = new float[count];
        var contributions = new float[count * _sources];
        for (int i = 0; i < count; i++)
        {
            Span<float> c = contributions.AsSpan(i * _sources, _sources);
            if (i < _counts.Count && _counts[i] > 0)
                for (int j = 0; j < _sources; j++) c[j] = (float)(_contributionSums[i * _sources + j] / _counts[i]);
            else _lastWindow.CopyTo(c);
            scores[i] = Sum(c);
        }
        return new AnomalyReport(_pendingStart, scores, _threshold, _features.Sources, contributions);
    }

    private AnomalyReport ScoreRows(Tensor prepared, long first)
    {
        int rows = prepared.Dim(0), width = prepared.Dim(1);
        var errors = new float[rows * width];
        _ensemble.FeatureErrors(prepared, errors);
        var contributions = new float[rows * _sources];
        var scores = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            Span<float> c = contributions.AsSpan(r * _sources, _sources);
            for (int j = 0; j < width; j++) c[_features.SourceOf[j]] += errors[r * width + j];
            scores[r] = Sum(c);
        }
        return new AnomalyReport(first, scores, _threshold, _features.Sources, contributions);
    }

    private AnomalyReport PushWindows(Tensor prepared)
    {
        int width = prepared.Dim(1), windowWidth = _window * width;
        _buffer.AddRange(prepared.Span);
        var starts = new List<long>();
        for (; _nextStart + _window <= _rowsIn; _nextStart += _stride) starts.Add(_nextStart);
        if (starts.Count > 0)
        {
            using Tensor windows = Tensor.Zeros(starts.Count, windowWidth);
            Span<float> w = windows.Span;
            for (int i = 0; i < starts.Count; i++)
                for (int k = 0; k < windowWidth; k++) w[i * windowWidth + k] = _buffer[(int)(starts[i] - _bufferStart) * width + k];
            var errors = new float[starts.Count * windowWidth];
            _ensemble.FeatureErrors(windows, errors);
            var contribution = new float[_sources];
            for (int i = 0; i < starts.Count; i++)
            {
                Array.Clear(contribution);
                for (int k = 0; k < windowWidth; k++) contribution[_features.SourceOf[k % width]] += errors[i * windowWidth + k];
                Accumulate(starts[i], contribution);
                _lastWindow = [.. contribution];
            }
        }

        // Rows before the next window's start are in no later window: their scores are final.
        int final = (int)(Math.Min(_nextStart, _rowsIn) - _pendingStart);
        var scores = new float[final];
        var contributions = new float[final * _sources];
        for (int i = 0; i < final; i++)
        {
            for (int j = 0; j < _sources; j++) contributions[i * _sources + j] = (float)(_contributionSums[i * _sources + j] / _counts[i]);
            scores[i] = Sum(contributions.AsSpan(i * _sources, _sources));
        }
        var report = new AnomalyReport(_pendingStart, scores, _threshold, _features.Sources, contributions);
        _counts.RemoveRange(0, final);
        _contributionSums.RemoveRange(0, final * _sources);
        _pendingStart += final;
        int drop = (int)(Math.Min(_nextStart, _rowsIn) - _bufferStart);
        _buffer.RemoveRange(0, drop * width);
        _bufferStart += drop;
        return report;
    }

    private void Accumulate(long start, float[] contribution)
    {
        for (long t = start; t < start + _window; t++)
        {
            int i = (int)(t - _pendingStart);
            while (_counts.Count <= i)
            {
                _counts.Add(0);
                for (int j = 0; j < _sources; j++) _contributionSums.Add(0);
            }
            _counts[i]++;
            for (int j = 0; j < _sources; j++) _contributionSums[i * _sources + j] += contribution[j];
        }
    }

    private AnomalyReport Empty(long first) => new(first, [], _threshold, _features.Sources, []);

    private static float Sum(ReadOnlySpan<float> values) => System.Numerics.Tensors.TensorPrimitives.Sum(values);
}
