using Latent.Applications.Compression;
using Latent.Engine;
using Latent.Engine.Nn;
using Latent.Training;

namespace Latent.Models;

/// <summary>
/// One quality of a learned image codec (Ballé, Minnen, Singh, Hwang and Johnston 2018): the analysis transform maps an
/// image to a latent at 1/16 of its size, which is rounded to integers and range-coded; the synthesis transform maps the
/// integers back to an image. With a hyperprior (the default), a hyper-latent at 1/64 of the size is coded first under a
/// learned density per channel and tells the decoder the scale of each latent value, coded under a logistic of that
/// scale; without one, each latent channel has one learned density. Training replaces rounding by additive uniform
/// noise in the rate (so that gradients flow) and by rounding with a straight-through gradient in the synthesis (so that
/// the decoder learns on the values it will decode), and minimises rate + λ·distortion: bits per pixel plus
/// λ·255²·MSE of the reconstruction (CompressAI's scaling of λ). A larger λ gives more bits and a better image. After
/// training the densities are frozen into integer tables (<see cref="SymbolTable"/>), which are what the coder uses, so
/// that encoder and decoder agree bit for bit on any machine.
/// </summary>
/// <remarks>Images are [batch, 3, h, w] in [0, 1] with h and w multiples of <see cref="ImageCodecConfig.Alignment"/>.</remarks>
public sealed class ImageCodecModel : ITrainable
{
    internal const double TailMass = 1e-6;   // the probability left to the escape on each side of a table's values
    private const int MaxTableValues = 4095;
    private int _cropSize;

    internal ImageCodecModel(ImageCodecConfig config, float lambda)
    {
        config.Validate();
        if (!(lambda > 0) || !float.IsFinite(lambda)) throw new ArgumentException($"λ must be a positive number, not {lambda}.");
        Config = config;
        Lambda = lambda;
        Network = new ImageCodecNetwork(config, new Rng(config.Seed));
        Network.Eval();
    }

    /// <summary>The architecture.</summary>
    public ImageCodecConfig Config { get; }

    /// <summary>The weight of distortion against rate in training.</summary>
    public float Lambda { get; }

    /// <summary>How training went, or null for an opened model.</summary>
    public History? History { get; internal set; }

    internal ImageCodecNetwork Network { get; }

    /// <summary>The coding table of each channel of the factorised latent (set after training or opening).</summary>
    internal SymbolTable[]? Tables { get; set; }

    /// <summary>With a hyperprior: the ladder's tables and thresholds (<see cref="ScaleLadder"/>; set after training or opening).</summary>
    internal (SymbolTable[] Tables, float[] Thresholds)? Ladder { get; set; }

    Module ITrainable.Network => Network;

    /// <summary>Trains on square crops: rows of 3 × size × size values in [0, 1]; then freezes the density into tables.</summary>
    internal History Fit(Tensor crops, int cropSize, FitOptions options, IProgress<TrainingProgress>? progress, CancellationToken cancel)
    {
        _cropSize = cropSize;
        History = Trainer.Fit(this, crops, options, progress, cancel);
        Tables = BuildTables();
        if (Config.Hyperprior) Ladder = ScaleLadder.Shared;
        return History;
    }

    /// <summary>Starts from another model's weights (of the same architecture): fine-tuning a neighbouring quality.</summary>
    internal void CopyWeightsFrom(ImageCodecModel other)
    {
        foreach (var ((_, to), (_, from)) in Network.NamedTensors().Zip(other.Network.NamedTensors())) from.Span.CopyTo(to.Span);
    }

    Tensor ITrainable.Loss(Tensor batch, Rng rng)
    {
        int n = batch.Dim(0), s = _cropSize;
        Tensor x = batch.Reshape(n, 3, s, s);
        Tensor y = Network.Analyse(x);
        bool training = Network.IsTraining;
        Tensor Quantised(Tensor v) => training ? Ops.Add(v, Tensor.Uniform(rng, -0.5f, 0.5f, [.. v.Shape])) : Round(v);
        Tensor noisy = Quantised(y), bits;
        if (Config.Hyperprior)
        {
            Tensor z = Quantised(Network.HyperAnalyse(y));
            Tensor zBits = Ops.LogisticMixtureBits(z, Network.Means, Network.LogScales, Network.Logits);
            bits = Ops.Add(zBits, LogisticBits(noisy, ImageCodecNetwork.Scales(Network.HyperSynthesise(z))));
        }
        else bits = Ops.LogisticMixtureBits(noisy, Network.Means, Network.LogScales, Network.Logits);
        // Straight-through rounding: the synthesis sees the integers it will decode, and passes its gradient on to y unchanged.
        Tensor reconstruction = Network.Synthesise(training ? Ops.Add(y, RoundingOffset(y)) : noisy);
        Tensor bitsPerPixel = Ops.Scale(bits, 1f / (n * s * s));
        return Ops.Add(bitsPerPixel, Ops.Scale(Engine.Losses.Loss.Mse(reconstruction, x), Lambda * 255f * 255f));
    }

    /// <summary>
    /// −Σ log₂ of the mass a zero-mean logistic of each value's scale puts on [y − ½, y + ½], floored at 10⁻⁹; computed
    /// on |y|, where both sigmoids are small and keep their digits.
    /// </summary>
    private static Tensor LogisticBits(Tensor y, Tensor scales)
    {
        Tensor negated = Ops.Scale(Ops.Abs(y), -1);
        Tensor upper = Ops.Sigmoid(Ops.Divide(Ops.AddScalar(negated, 0.5f), scales));
        Tensor lower = Ops.Sigmoid(Ops.Divide(Ops.AddScalar(negated, -0.5f), scales));
        Tensor likelihood = Ops.Clamp(Ops.Subtract(upper, lower), 1e-9f, 1f);
        return Ops.Scale(Ops.Sum(Ops.Log(likelihood)), (float)(-1 / Math.Log(2)));
    }

    /// <summary>round(y) − y, outside the graph: added to y, it rounds the values but not the gradient.</summary>
    private static Tensor RoundingOffset(Tensor y)
    {
        Tensor offset = Round(y);
        System.Numerics.Tensors.TensorPrimitives.Subtract(offset.Span, y.Span, offset.Span);
        return offset;
    }

    private static Tensor Round(Tensor y)
    {
        var rounded = Tensor.Zeros([.. y.Shape]);
        Span<float> r = rounded.Span;
        ReadOnlySpan<float> v = y.Span;
        for (int i = 0; i < r.Length; i++) r[i] = MathF.Round(v[i]);
        return rounded;
    }

    private static int[] Symbols(Tensor values)
    {
        ReadOnlySpan<float> v = values.Span;
        var symbols = new int[v.Length];
        for (int i = 0; i < v.Length; i++) symbols[i] = (int)Math.Clamp(MathF.Round(v[i]), -1e9f, 1e9f);
        return symbols;
    }

    /// <summary>The payload of an image [1, 3, h, w] (h, w multiples of <see cref="ImageCodecConfig.Alignment"/>): the hyper-latent's symbols, if any, then the latent's.</summary>
    internal byte[] Encode(Tensor image)
    {
        SymbolTable[] tables = Tables ?? throw new InvalidOperationException("The codec has no coding tables yet.");
        int height = image.Dim(2) / ImageCodecConfig.Stride, width = image.Dim(3) / ImageCodecConfig.Stride;
        var encoder = new RangeEncoder();
        using (Tensor.NoGrad())
        {
            using Tensor y = Network.Analyse(image);
            int[] latent = Symbols(y);
            if (!Config.Hyperprior)
            {
                EncodeChannels(encoder, tables, latent, height * width);
                return encoder.Finish();
            }
            using Tensor z = Network.HyperAnalyse(y);
            int[] hyper = Symbols(z);
            EncodeChannels(encoder, tables, hyper, height * width / (ImageCodecConfig.HyperStride * ImageCodecConfig.HyperStride));
            SymbolTable[] valueTables = LatentTables(hyper, height, width);
            for (int i = 0; i < latent.Length; i++) valueTables[i].Encode(encoder, latent[i]);
        }
        return encoder.Finish();
    }

    /// <summary>The image [1, 3, 16·h, 16·w] that <see cref="Encode"/> wrote of an image with a latent of h × w positions.</summary>
    internal Tensor Decode(ReadOnlySpan<byte> payload, int height, int width)
    {
        SymbolTable[] tables = Tables ?? throw new InvalidOperationException("The codec has no coding tables yet.");
        var decoder = new RangeDecoder(payload);
        int[] latent;
        if (!Config.Hyperprior) latent = DecodeChannels(ref decoder, tables, height * width);
        else
        {
            int[] hyper = DecodeChannels(ref decoder, tables, height * width / (ImageCodecConfig.HyperStride * ImageCodecConfig.HyperStride));
            SymbolTable[] valueTables = LatentTables(hyper, height, width);
            latent = new int[valueTables.Length];
            for (int i = 0; i < latent.Length; i++) latent[i] = valueTables[i].Decode(ref decoder);
        }
        using (Tensor.NoGrad())
        {
            var values = new float[latent.Length];
            for (int i = 0; i < values.Length; i++) values[i] = latent[i];
            using Tensor y = Tensor.FromArray(values, 1, Config.LatentChannels, height, width);
            return Network.Synthesise(y);
        }
    }

    /// <summary>The table of every latent value of a latent of height × width positions, from its decoded hyper-latent.</summary>
    private SymbolTable[] LatentTables(int[] hyper, int height, int width)
    {
        var (ladder, thresholds) = Ladder ?? throw new InvalidOperationException("The codec has no hyperprior tables yet.");
        int[] indices = ExactHyperSynthesis.ScaleIndices(Network.HyperSynthesis!, hyper, height / ImageCodecConfig.HyperStride, width / ImageCodecConfig.HyperStride, thresholds);
        return [.. indices.Select(i => ladder[i])];
    }

    /// <summary>Codes values channel by channel, <paramref name="positions"/> per channel, each channel with its table.</summary>
    private static void EncodeChannels(RangeEncoder encoder, SymbolTable[] tables, int[] symbols, int positions)
    {
        for (int c = 0; c < tables.Length; c++)
            for (int p = 0; p < positions; p++) tables[c].Encode(encoder, symbols[c * positions + p]);
    }

    private static int[] DecodeChannels(ref RangeDecoder decoder, SymbolTable[] tables, int positions)
    {
        var symbols = new int[tables.Length * positions];
        for (int c = 0; c < tables.Length; c++)
            for (int p = 0; p < positions; p++) symbols[c * positions + p] = tables[c].Decode(ref decoder);
        return symbols;
    }

    /// <summary>
    /// Each channel's density as an integer table: the values whose bins hold all but 10⁻⁶ of the mass on either side
    /// (at most 4095 of them), each with its probability under the mixture, computed in double.
    /// </summary>
    internal SymbolTable[] BuildTables()
    {
        int m = Config.FactorisedChannels, k = Config.MixtureComponents;
        float[] means = Network.Means.ToArray(), logScales = Network.LogScales.ToArray(), logits = Network.Logits.ToArray();
        var tables = new SymbolTable[m];
        for (int c = 0; c < m; c++)
        {
            var mixture = new LogisticMixture(means.AsSpan(c * k, k), logScales.AsSpan(c * k, k), logits.AsSpan(c * k, k));
            int low = mixture.Quantile(TailMass), high = mixture.Quantile(1 - TailMass);
            if (high - low + 1 > MaxTableValues)
            {
                int centre = mixture.Quantile(0.5);
                (low, high) = (centre - MaxTableValues / 2, centre + MaxTableValues / 2);
            }
            var probabilities = new double[high - low + 1];
            for (int v = low; v <= high; v++) probabilities[v - low] = mixture.Mass(v);
            tables[c] = SymbolTable.FromProbabilities(low, probabilities);
        }
        return tables;
    }

    /// <summary>A mixture of logistics in double precision, for building tables.</summary>
    private sealed class LogisticMixture
    {
        private readonly double[] _means, _scales, _weights;

        public LogisticMixture(ReadOnlySpan<float> means, ReadOnlySpan<float> logScales, ReadOnlySpan<float> logits)
        {
            _means = [.. means.ToArray().Select(v => (double)v)];
            _scales = [.. logScales.ToArray().Select(v => Math.Exp(v))];
            double max = logits.ToArray().Max();
            _weights = [.. logits.ToArray().Select(v => Math.Exp(v - max))];
            double sum = _weights.Sum();
            for (int j = 0; j < _weights.Length; j++) _weights[j] /= sum;
        }

        private static double Sigmoid(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));

        private double Cdf(double x)
        {
            double sum = 0;
            for (int j = 0; j < _means.Length; j++) sum += _weights[j] * Sigmoid((x - _means[j]) / _scales[j]);
            return sum;
        }

        /// <summary>The mass of [v − ½, v + ½].</summary>
        public double Mass(int v)
        {
            double sum = 0;
            for (int j = 0; j < _means.Length; j++)
            {
                double upper = (v + 0.5 - _means[j]) / _scales[j], lower = (v - 0.5 - _means[j]) / _scales[j];
                sum += _weights[j] * (lower > 0 ? Sigmoid(-lower) - Sigmoid(-upper) : Sigmoid(upper) - Sigmoid(lower));
            }
            return sum;
        }

        /// <summary>The integer nearest the point below which <paramref name="p"/> of the mass lies (bisection, clamped to ±10⁶).</summary>
        public int Quantile(double p)
        {
            double low = -1e6, high = 1e6;
            for (int i = 0; i < 60; i++)
            {
                double middle = (low + high) / 2;
                if (Cdf(middle) < p) low = middle;
                else high = middle;
            }
            return (int)Math.Round(low);
        }
    }
}
