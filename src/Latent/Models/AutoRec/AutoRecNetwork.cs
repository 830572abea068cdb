using Latent.Engine;
using Latent.Engine.Nn;

namespace Latent.Models.AutoRec;

/// <summary>
/// AutoRec's network: a row of ratings r ([inputs], 0 where unobserved) → h = f(r·W + b) → further hidden layers →
/// r̂ = h·Vᵀ + c ([inputs]). The encoder weight W is stored [inputs, hidden] so that a sparse row multiplies it at the
/// cost of its observed entries (<see cref="Ops.SparseMatMul"/>); the decoder is evaluated only where a loss or a
/// prediction needs it (<see cref="Ops.SampledLinear"/>).
/// </summary>
internal sealed class AutoRecNetwork : Module
{
    private readonly List<Linear> _middle = [];
    private readonly AutoRecOptions _options;

    public AutoRecNetwork(int inputs, AutoRecOptions options, Rng rng)
    {
        _options = options;
        int first = options.Hidden[0], last = options.Hidden[^1];
        // PyTorch's default initialisation, U(±1/√fan_in) for weights and biases, which the reference recipe was tuned with.
        float a = 1f / MathF.Sqrt(inputs), c = 1f / MathF.Sqrt(last);
        EncoderWeight = AddParameter("encoder.weight", Tensor.Uniform(rng, -a, a, inputs, first));
        EncoderBias = AddParameter("encoder.bias", Tensor.Uniform(rng, -a, a, first));
        for (int i = 1; i < options.Hidden.Length; i++)
        {
            var layer = new Linear(options.Hidden[i - 1], options.Hidden[i], activation: options.Activation, rng: rng);
            Init.FanInUniform(layer.Weight, layer.Bias, rng);
            _middle.Add(AddModule($"hidden.{i}", layer));
        }
        DecoderWeight = AddParameter("decoder.weight", Tensor.Uniform(rng, -c, c, inputs, last));
        DecoderBias = AddParameter("decoder.bias", Tensor.Uniform(rng, -c, c, inputs));
    }

    public Tensor EncoderWeight { get; }
    public Tensor EncoderBias { get; }
    public Tensor DecoderWeight { get; }
    public Tensor DecoderBias { get; }

    /// <summary>The weights the L2 penalty applies to (not the biases).</summary>
    public IEnumerable<Tensor> Weights => [EncoderWeight, .. _middle.Select(l => l.Weight), DecoderWeight];

    /// <summary>The last hidden layer's codes of sparse rows [n, inputs] → [n, last]; dropout only in training mode.</summary>
    public Tensor Encode(SparseMatrix rows, Rng rng)
    {
        Tensor h = Ops.Activate(Ops.SparseMatMul(rows, EncoderWeight) + EncoderBias, _options.Activation);
        h = Ops.Dropout(h, _options.Dropout, rng, IsTraining);
        foreach (Linear layer in _middle) h = Ops.Dropout(layer.Forward(h), _options.Dropout, rng, IsTraining);
        return h;
    }

    /// <summary>
    /// The full reconstruction of dense rows [n, inputs] (0 where unobserved) → [n, inputs], with dense products and no
    /// dropout: the plain form of the network, against which the sparse path is checked.
    /// </summary>
    public override Tensor Forward(Tensor input)
    {
        Tensor h = Ops.Activate(Ops.MatMul(input, EncoderWeight) + EncoderBias, _options.Activation);
        foreach (Linear layer in _middle) h = layer.Forward(h);
        return Ops.Linear(h, DecoderWeight, DecoderBias);
    }
}
