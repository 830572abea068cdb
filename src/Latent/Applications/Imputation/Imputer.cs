using System.Text.Json;
using Latent.Data;
using Latent.Engine;
using Latent.Models;
using Latent.Training;

namespace Latent.Applications.Imputation;

/// <summary>
/// Fills the holes of a table with a denoising autoencoder that learned, from the known cells, how each value
/// follows from the rest of its row (see <see cref="ImputationNetwork"/>), blended per column with two cheap members: the
/// mean of the nearest training rows that know the cell (<see cref="NeighbourMember"/>, as KNNImputer) and chained
/// ridge regressions (<see cref="RegressionMember"/>, as IterativeImputer). The blend's weights are learned on known
/// cells held out from training, cross-fitted on small tables (<see cref="ImputerOptions.BlendFraction"/>, <see cref="ImputationBlend"/>). Numeric columns are min-max scaled,
/// categorical columns one-hot encoded (a missing category is decoded to the most likely valid one), and text
/// columns with too many distinct values (ids, free text) pass through untouched. Known cells are never changed.
/// </summary>
/// <example>
/// <code>
/// CsvTable table = CsvTable.Read("survey.csv");
/// Imputer imputer = Imputer.Fit(table);
/// CsvOutput.Write("filled.csv", imputer.Transform(table));
/// </code>
/// </example>
[ModelKind("imputer", "an imputer")]
public sealed class Imputer : ISavedModel
{
    private const string ColumnsKey = "latent.imputer";
    private const int Chunk = 4096;   // rows per pass through the members: bounds memory on large tables
    private const string WeightsKey = "latent.imputer.weights";
    // Below this many held-out cells per column the blend's weights are mostly noise: the blend is then cross-fitted,
    // with the members trained once per fold and once more on every cell (cheap at that size). Ten folds, each hiding a
    // tenth of the known cells: with five, the members trained with many more holes than the table has, and the
    // neighbours, which suffer most from holes, lost weight they deserved (see ImputerOptions.BlendFraction).
    private const int MinBlendCells = 50, CrossFolds = 10;
    private const string DonorsName = "neighbours.donors", RegressionName = "regression.coefficients";

    private readonly ImputationNetwork _network;
    private readonly NeighbourMember? _neighbours;
    private readonly RegressionMember? _regression;
    private readonly ImputationBlend? _blend;
    private readonly MinMaxScaler _scaler;

    private Imputer(ImputationNetwork network, NeighbourMember? neighbours, RegressionMember? regression, ImputationBlend? blend, MinMaxScaler scaler,
        ImputerOptions options, TableSchema? schema, History? history)
    {
        _network = network;
        _neighbours = neighbours;
        _regression = regression;
        _blend = blend;
        _scaler = scaler;
        Options = options;
        Schema = schema;
        History = history;
    }

    /// <summary>The options it was fitted with.</summary>
    public ImputerOptions Options { get; }

    /// <summary>The imputed columns of a table (null when fitted on a tensor); other columns pass through.</summary>
    public TableSchema? Schema { get; }

    /// <summary>The training run (null after <see cref="Open"/>).</summary>
    public History? History { get; }

    /// <summary>How the members are weighed per column (null when the network works alone).</summary>
    internal ImputationBlend? Blend => _blend;

    /// <summary>Width of the encoded rows the network works on.</summary>
    public int Width => _network.Width;

    /// <summary>Learns to impute <paramref name="table"/>'s numeric and categorical columns from their known cells (all but <see cref="ImputerOptions.ExcludeColumns"/>).</summary>
    /// <exception cref="ArgumentException">An excluded column is not in the table, a column to impute has no values at all, or there is nothing to impute.</exception>
    public static Imputer Fit(CsvTable table, ImputerOptions? options = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        options ??= new ImputerOptions();
        options.Validate();
        TableSchema schema = TableImputation.SchemaFor(table, options.MaxCategories, options.ExcludeColumns);
        using Tensor encoded = schema.Encode(table);
        return Train(encoded, schema, options, progress, cancel);
    }

    /// <summary>Learns to impute a numeric matrix [rows, columns] whose unknown cells are NaN.</summary>
    /// <exception cref="ArgumentException">The data is not a matrix, holds an infinity, a column has no values, or <see cref="ImputerOptions.ExcludeColumns"/> names columns.</exception>
    public static Imputer Fit(Tensor data, ImputerOptions? options = null, IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        CheckMatrix(data, null);
        options ??= new ImputerOptions();
        options.Validate();
        if (options.ExcludeColumns is { Count: > 0 } names)
            throw new ArgumentException($"ExcludeColumns ({string.Join(", ", names)}) names table columns, but a matrix has none; select the columns to impute instead.");
        ReadOnlySpan<float> x = data.Span;
        int width = data.Dim(1);
        for (int c = 0; c < width; c++)
        {
            bool any = false;
            for (int i = c; i < x.Length && !any; i += width) any = !float.IsNaN(x[i]);
            if (!any) throw new ArgumentException($"Column {c} has no values at all, so there is nothing to learn it from.");
        }
        return Train(data, null, options, progress, cancel);
    }

    private static Imputer Train(Tensor encoded, TableSchema? schema, ImputerOptions options, IProgress<TrainingProgress>? progress, CancellationToken cancel)
    {
        MinMaxScaler scaler = MinMaxScaler.Fit(encoded);
        using Tensor scaled = scaler.Transform(encoded);
        float[] fill = ColumnMeans(scaled);
        var rng = new Rng(options.Seed).Fork();   // apart from the training's own stream
        if (options.Neighbours == 0 && options.RegressionRounds == 0)
        {
            var alone = new ImputationNetwork(fill, options, new Rng(options.Seed));
            return new Imputer(alone, null, null, null, scaler, options, schema, TrainNetwork(alone, scaled, options, progress, cancel));
        }

        // Weigh the members on held-out cells, each predicted by members fitted without it; then refit the cheap members on every cell.
        int[][] folds = HeldOutFolds(scaled, options.BlendFraction, rng);
        var sums = new ImputationBlend.Accumulator(scaled.Dim(1), MemberCount(options));
        ImputationNetwork? network = null;
        History? history = null;
        for (int f = 0; f < folds.Length; f++)
        {
            using Tensor taught = scaled.Detach();
            foreach (int i in folds[f]) taught.Span[i] = float.NaN;
            var foldNetwork = new ImputationNetwork(fill, options, new Rng(options.Seed));
            History foldHistory = TrainNetwork(foldNetwork, taught, options, folds.Length > 1 ? StagedProgress.Named(progress, $"blend fold {f + 1} of {folds.Length}") : progress, cancel);
            var neighbours = options.Neighbours > 0 ? NeighbourMember.Fit(taught, options.Neighbours, options.MaxDonors, fill, rng.Fork()) : null;
            var regression = options.RegressionRounds > 0 ? RegressionMember.Fit(taught, fill, options.RegressionRounds) : null;
            AddHeldOut(sums, foldNetwork, neighbours, regression, taught, scaled, folds[f]);
            neighbours?.Donors.Dispose();
            regression?.Coefficients.Dispose();
            if (folds.Length == 1) (network, history) = (foldNetwork, foldHistory);   // a large table's network is not trained twice
        }
        if (network is null)
        {
            network = new ImputationNetwork(fill, options, new Rng(options.Seed));
            history = TrainNetwork(network, scaled, options, StagedProgress.Named(progress, "all cells"), cancel);
        }
        return new Imputer(network,
            options.Neighbours > 0 ? NeighbourMember.Fit(scaled, options.Neighbours, options.MaxDonors, fill, rng.Fork()) : null,
            options.RegressionRounds > 0 ? RegressionMember.Fit(scaled, fill, options.RegressionRounds) : null,
            ImputationBlend.Fit(sums), scaler, options, schema, history);
    }

    /// <summary>Adds the <paramref name="held"/> cells (unknown in <paramref name="taught"/>, known in <paramref name="scaled"/>) to the blend's sums.</summary>
    private static void AddHeldOut(ImputationBlend.Accumulator sums, ImputationNetwork network, NeighbourMember? neighbours, RegressionMember? regression,
        Tensor taught, Tensor scaled, int[] held)
    {
        int width = scaled.Dim(1);
        int[] rows = [.. held.Select(i => i / width).Distinct()];
        ReadOnlySpan<float> truth = scaled.Span;
        var cell = new float[sums.Members];
        for (int start = 0; start < rows.Length; start += Chunk)
        {
            int[] chunk = rows[start..Math.Min(rows.Length, start + Chunk)];
            using Tensor queries = Ops.SelectRows(taught, chunk);
            Tensor[] estimates = Estimates(network, neighbours, regression, queries);
            ReadOnlySpan<float> q = queries.Span;
            for (int i = 0; i < q.Length; i++)
            {
                float t = truth[chunk[i / width] * width + i % width];
                if (!float.IsNaN(q[i]) || float.IsNaN(t)) continue;   // known to the members, or unknown in the data
                for (int m = 0; m < cell.Length; m++) cell[m] = estimates[m].Span[i];
                sums.Add(i % width, cell, t);
            }
            foreach (Tensor estimate in estimates) estimate.Dispose();
        }
    }

    private static int MemberCount(ImputerOptions options) => 1 + (options.Neighbours > 0 ? 1 : 0) + (options.RegressionRounds > 0 ? 1 : 0);

    /// <summary>Every member's estimate of every cell of <paramref name="scaled"/> (the network's first).</summary>
    private static Tensor[] Estimates(ImputationNetwork network, NeighbourMember? neighbours, RegressionMember? regression, Tensor scaled)
    {
        var estimates = new List<Tensor> { network.Predict(scaled) };
        if (neighbours is not null) estimates.Add(neighbours.Impute(scaled));
        if (regression is not null) estimates.Add(regression.Impute(scaled));
        return [.. estimates];
    }

    /// <summary>
    /// The known cells the blend learns from, in folds: a seeded <paramref name="fraction"/> of them or, when that
    /// would leave the blend fewer than <see cref="MinBlendCells"/> per column (tables of about a thousand rows or fewer),
    /// every known cell in one of <see cref="CrossFolds"/> folds. A fold never takes a row's or a column's last known
    /// cell (the network and the neighbours still see every row and column).
    /// </summary>
    internal static int[][] HeldOutFolds(Tensor scaled, float fraction, Rng rng)
    {
        int width = scaled.Dim(1), rows = scaled.Dim(0);
        ReadOnlySpan<float> x = scaled.Span;
        var rowKnown = new int[rows];
        var columnKnown = new int[width];
        for (int i = 0; i < x.Length; i++)
        {
            if (float.IsNaN(x[i])) continue;
            rowKnown[i / width]++;
            columnKnown[i % width]++;
        }
        int folds = columnKnown.Average() * fraction < MinBlendCells ? CrossFolds : 1;
        var rowHeld = new int[folds, rows];
        var columnHeld = new int[folds, width];
        var held = new List<int>[folds];
        for (int f = 0; f < folds; f++) held[f] = [];
        for (int i = 0; i < x.Length; i++)
        {
            if (float.IsNaN(x[i])) continue;
            int f = folds > 1 ? (int)(rng.NextUInt64() % (ulong)folds) : 0;
            if (folds == 1 && rng.NextFloat() >= fraction) continue;
            int r = i / width, c = i % width;
            if (rowKnown[r] - rowHeld[f, r] < 2 || columnKnown[c] - columnHeld[f, c] < 2) continue;
            held[f].Add(i);
            rowHeld[f, r]++;
            columnHeld[f, c]++;
        }
        return [.. held.Select(cells => cells.ToArray())];
    }

    /// <summary>Trains the network on the rows of <paramref name="scaled"/> that know something: [values with the fill in unknown cells | known mask].</summary>
    private static History TrainNetwork(ImputationNetwork network, Tensor scaled, ImputerOptions options, IProgress<TrainingProgress>? progress, CancellationToken cancel)
    {
        int width = scaled.Dim(1);
        IReadOnlyList<float> fill = network.Fill;
        ReadOnlySpan<float> x = scaled.Span;
        var rows = new List<int>();
        for (int r = 0; r < scaled.Dim(0); r++)
            if (HasValue(x.Slice(r * width, width))) rows.Add(r);
        using Tensor training = Tensor.Zeros(rows.Count, 2 * width);
        Span<float> t = training.Span;
        for (int i = 0; i < rows.Count; i++)
        {
            for (int c = 0; c < width; c++)
            {
                float v = x[rows[i] * width + c];
                bool known = !float.IsNaN(v);
                t[i * 2 * width + c] = known ? v : fill[c];
                t[i * 2 * width + width + c] = known ? 1f : 0f;
            }
        }
        var fit = new FitOptions
        {
            Epochs = options.EpochsFor(rows.Count),
            BatchSize = options.BatchSize,
            LearningRate = options.LearningRate,
            ValidationFraction = 0,
            Seed = options.Seed,
        };
        return Trainer.Fit(network, training, fit, progress, cancel);
    }

    private static bool HasValue(ReadOnlySpan<float> row)
    {
        foreach (float v in row)
            if (!float.IsNaN(v)) return true;
        return false;
    }

    /// <summary>The rows with every NaN cell filled in; known cells are copied unchanged.</summary>
    /// <exception cref="ArgumentException">The rows are not [rows, <see cref="Width"/>] or hold an infinity.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> was triggered (checked between chunks of rows).</exception>
    public Tensor Transform(Tensor data, CancellationToken cancel = default)
    {
        CheckMatrix(data, Width);
        var result = data.Detach();
        Span<float> y = result.Span;
        for (int start = 0; start < data.Dim(0); start += Chunk)
        {
            cancel.ThrowIfCancellationRequested();
            int n = Math.Min(Chunk, data.Dim(0) - start);
            using Tensor rows = Tensor.FromArray(data.Span.Slice(start * Width, n * Width).ToArray(), n, Width);
            if (!HasNaN(rows.Span)) continue;
            using Tensor scaled = _scaler.Transform(rows);
            Tensor[] estimates = Estimates(_network, _neighbours, _regression, scaled);
            _blend?.Apply(estimates);
            using Tensor estimate = _scaler.InverseTransform(estimates[0]);
            foreach (Tensor member in estimates) member.Dispose();
            ReadOnlySpan<float> e = estimate.Span;
            Span<float> target = y.Slice(start * Width, n * Width);
            for (int i = 0; i < target.Length; i++)
                if (float.IsNaN(target[i])) target[i] = e[i];
        }
        return result;
    }

    private static bool HasNaN(ReadOnlySpan<float> values)
    {
        foreach (float v in values)
            if (float.IsNaN(v)) return true;
        return false;
    }

    /// <summary>
    /// The table with its missing cells filled: same columns in the same order, known cells with their original
    /// text, pass-through columns untouched, categorical cells filled with one of the column's categories.
    /// </summary>
    /// <exception cref="ArgumentException">The imputer was fitted on a matrix, not a table (an imputer opened from a file may be either, so this is bad input, not a bug).</exception>
    /// <param name="table">The table; its columns are matched by name.</param>
    /// <param name="exclude">Further columns left as they are (ids, labels the imputer was not fitted on).</param>
    /// <exception cref="InvalidDataException">The table's columns differ from those the imputer learned.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> was triggered.</exception>
    public CsvTable Transform(CsvTable table, IReadOnlyList<string>? exclude = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        TableSchema schema = Schema ?? throw new ArgumentException("This imputer was fitted on a matrix of numbers, not a table, so it cannot read a table's columns; impute a matrix instead.");
        return TableImputation.Fill(table, schema, rows => Transform(rows, cancel), exclude);
    }

    // ------------------------------------------------------------------ files

    /// <summary>Saves the imputer (network, donor rows and blend weights, scaling, columns, options) as one safetensors file, atomically.</summary>
    public void Save(string path) => ModelFile.Save(path, ((ISavedModel)this).Content());

    ModelContent ISavedModel.Content()
    {
        var metadata = new Dictionary<string, string> { [ColumnsKey] = JsonSerializer.Serialize(_network.Fill, ModelFile.Json) };
        List<(string Name, Tensor Tensor)> tensors = [.. _network.Network.NamedTensors()];
        if (_blend is not null) metadata[WeightsKey] = JsonSerializer.Serialize(_blend.Weights, ModelFile.Json);
        if (_neighbours is not null) tensors.Add((DonorsName, _neighbours.Donors));
        if (_regression is not null) tensors.Add((RegressionName, _regression.Coefficients));
        return ModelFile.Content(this, Options, tensors, History, _scaler, Schema is null ? null : new DataDescription(Schema: Schema), metadata);
    }

    /// <summary>Reads an imputer saved by <see cref="Save"/>; refuses other files with a clear message.</summary>
    /// <exception cref="InvalidDataException">The file is not an imputer, or is damaged.</exception>
    public static Imputer Open(string path)
    {
        var (content, options) = ModelFile.Read<Imputer, ImputerOptions>(path, o => o.Validate());
        float[] fill = ReadValues(path, content.Metadata, ColumnsKey, "fill values");
        var (scaler, data) = ModelFile.ReadData(path, content.Metadata);
        if (scaler is not MinMaxScaler minMax || minMax.Columns != fill.Length)
            throw new InvalidDataException($"'{path}' lacks the imputer's column scaling.");
        var network = new ImputationNetwork(fill, options, new Rng(0));
        var tensors = new Dictionary<string, Tensor>(content.Tensors);
        int width = fill.Length;
        NeighbourMember? neighbours = null;
        RegressionMember? regression = null;
        if (options.Neighbours > 0)
        {
            if (!tensors.Remove(DonorsName, out Tensor? donors) || donors.Rank != 2 || donors.Dim(1) != width)
                throw new InvalidDataException($"'{path}' lacks the imputer's neighbour rows.");
            neighbours = new NeighbourMember(donors, options.Neighbours, fill);
        }
        if (options.RegressionRounds > 0)
        {
            if (!tensors.Remove(RegressionName, out Tensor? coefficients) || !coefficients.Shape.SequenceEqual([options.RegressionRounds, width, width + 1]))
                throw new InvalidDataException($"'{path}' lacks the imputer's regression coefficients.");
            regression = new RegressionMember(coefficients, fill);
        }
        ImputationBlend? blend = null;
        if (neighbours is not null || regression is not null)
        {
            int members = MemberCount(options);
            float[] weights = ReadValues(path, content.Metadata, WeightsKey, "blend weights");
            if (weights.Length != width * members) throw new InvalidDataException($"'{path}' lacks the imputer's blend weights.");
            blend = new ImputationBlend(weights, members);
        }
        ModelFile.AssignTensors(path, network.Network, tensors);
        return new Imputer(network, neighbours, regression, blend, minMax, options, data?.Schema, history: null);
    }

    private static float[] ReadValues(string path, IReadOnlyDictionary<string, string> metadata, string key, string what)
    {
        try
        {
            return JsonSerializer.Deserialize<float[]>(metadata.GetValueOrDefault(key) ?? "", ModelFile.Json) ?? throw new JsonException();
        }
        catch (JsonException)
        {
            throw new InvalidDataException($"'{path}' lacks the imputer's {what}.");
        }
    }

    // ------------------------------------------------------------------ helpers

    /// <summary>Each column's mean over its non-NaN cells (0 for a column without values).</summary>
    internal static float[] ColumnMeans(Tensor data)
    {
        int width = data.Dim(1);
        var sum = new double[width];
        var count = new int[width];
        ReadOnlySpan<float> x = data.Span;
        for (int i = 0; i < x.Length; i++)
        {
            if (float.IsNaN(x[i])) continue;
            sum[i % width] += x[i];
            count[i % width]++;
        }
        return [.. sum.Select((s, c) => count[c] > 0 ? (float)(s / count[c]) : 0f)];
    }

    internal static void CheckMatrix(Tensor data, int? width)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Rank != 2 || data.Dim(0) == 0 || (width is { } w && data.Dim(1) != w))
            throw new ArgumentException($"Expected a matrix [rows, {(width is { } v ? v.ToString(System.Globalization.CultureInfo.InvariantCulture) : "columns")}] with at least one row; got shape [{string.Join(", ", data.Shape)}].");
        ReadOnlySpan<float> x = data.Span;
        for (int i = 0; i < x.Length; i++)
            if (float.IsInfinity(x[i]))
                throw new ArgumentException($"Row {i / data.Dim(1)}, column {i % data.Dim(1)} is infinite; mark unknown cells with NaN.");
    }
}
