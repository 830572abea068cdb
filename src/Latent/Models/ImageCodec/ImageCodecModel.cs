using Latent.Applications.Compression;
using Latent.Engine;
using Latent.Engine.Nn;
using Latent.Training;

namespace Latent.Models;

/// <summary>
/// One quality of a learned image codec (Ballé, Minnen, Singh, Hwang and Johnston 2018, factorised prior): the analysis
/// transform maps an image to a latent at 1/16 of its size, which is rounded to integers and range-coded under a learned
/// density per latent channel; the synthesis transform maps the integers back to an image. Training replaces rounding by
/// additive uniform noise (so that gradients flow) and minimises rate + λ·distortion: bits per pixel of the noisy latent
/// under the density, plus λ·255²·MSE of the reconstruction (CompressAI's scaling of λ). A larger λ gives more bits and
/// a better image. After training the density is frozen into integer tables (<see cref="SymbolTable"/>), which are what
/// the coder uses, so that encoder and decoder agree bit for bit on any machine.
/// </summary>
/// <remarks>Images are [batch, 3, h, w] in [0, 1] with h and w multiples of <see cref="ImageCodecConfig.Stride"/>.</remarks>
public sealed class ImageCodecModel : ITrainable
{
    private const double TailMass = 1e-6;   // the probability left to the escape on each side of a table's values
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

    /// <summary>The coding table of each latent channel (set after training or opening).</summary>
    internal SymbolTable[]? Tables { get; set; }

    Module ITrainable.Network => Network;

    /// <summary>Trains on square crops: rows of 3 × size × size values in [0, 1]; then freezes the density into tables.</summary>
    internal History Fit(Tensor crops, int cropSize, FitOptions options, IProgress<TrainingProgress>? progress, CancellationToken cancel)
    {
        _cropSize = cropSize;
        History = Trainer.Fit(this, crops, options, progress, cancel);
        Tables = BuildTables();
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
        Tensor noisy = Network.IsTraining ? Ops.Add(y, Tensor.Uniform(rng, -0.5f, 0.5f, [.. y.Shape])) : Round(y);
        Tensor bits = Ops.LogisticMixtureBits(noisy, Network.Means, Network.LogScales, Network.Logits);
        Tensor reconstruction = Network.Synthesise(noisy);
        Tensor bitsPerPixel = Ops.Scale(bits, 1f / (n * s * s));
        return Ops.Add(bitsPerPixel, Ops.Scale(Engine.Losses.Loss.Mse(reconstruction, x), Lambda * 255f * 255f));
    }

    private static Tensor Round(Tensor y)
    {
        var rounded = Tensor.Zeros([.. y.Shape]);
        Span<float> r = rounded.Span;
        ReadOnlySpan<float> v = y.Span;
        for (int i = 0; i < r.Length; i++) r[i] = MathF.Round(v[i]);
        return rounded;
    }

    /// <summary>The integer latent of images [1, 3, h, w] (h, w multiples of 16), channel by channel: [M, h / 16, w / 16] values.</summary>
    internal int[] Quantise(Tensor image)
    {
        using (Tensor.NoGrad())
        {
            using Tensor y = Network.Analyse(image);
            ReadOnlySpan<float> v = y.Span;
            var symbols = new int[v.Length];
            for (int i = 0; i < v.Length; i++) symbols[i] = (int)Math.Clamp(MathF.Round(v[i]), -1e9f, 1e9f);
            return symbols;
        }
    }

    /// <summary>The image [1, 3, 16·h, 16·w] of an integer latent of h × w positions.</summary>
    internal Tensor Reconstruct(int[] symbols, int height, int width)
    {
        using (Tensor.NoGrad())
        {
            var latent = new float[symbols.Length];
            for (int i = 0; i < latent.Length; i++) latent[i] = symbols[i];
            using Tensor y = Tensor.FromArray(latent, 1, Config.LatentChannels, height, width);
            return Network.Synthesise(y);
        }
    }

    /// <summary>Range-codes an integer latent of <paramref name="positions"/> values per channel.</summary>
    internal byte[] Encode(int[] symbols, int positions)
    {
        SymbolTable[] tables = Tables ?? throw new InvalidOperationException("The codec has no coding tables yet.");
        var encoder = new RangeEncoder();
        for (int c = 0; c < tables.Length; c++)
            for (int p = 0; p < positions; p++) tables[c].Encode(encoder, symbols[c * positions + p]);
        return encoder.Finish();
    }

    /// <summary>Reads what <see cref="Encode"/> wrote.</summary>
    internal int[] Decode(ReadOnlySpan<byte> payload, int positions)
    {
        SymbolTable[] tables = Tables ?? throw new InvalidOperationException("The codec has no coding tables yet.");
        var symbols = new int[tables.Length * positions];
        var decoder = new RangeDecoder(payload);
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
        int m = Config.LatentChannels, k = Config.MixtureComponents;
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
