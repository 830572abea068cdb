using Latent.Engine;

namespace Latent.Engine.Tests.Recurrent;

/// <summary>The fused LSTM and GRU passes against finite differences, through several steps, with and without padding.</summary>
public class RecurrentGradientTests
{
    // Hidden size 9: one 8-lane block and a one-lane tail in every gate loop.
    private const int Steps = 4, Batch = 3, Hidden = 9;

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Lstm(bool reverse, bool padded)
    {
        int[] lengths = padded ? [4, 2, 0] : [];
        GradCheck.Check(x => Flatten(Ops.LstmRecurrence(x[0], x[1], x[2], x[3], lengths, reverse)),
            [GradCheck.Random(1, -2f, 2f, 0f, Steps, Batch, 4 * Hidden), GradCheck.Random(2, 4 * Hidden, Hidden),
             GradCheck.Random(3, Batch, Hidden), GradCheck.Random(4, Batch, Hidden)], samplesPerInput: 40);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Gru(bool reverse, bool padded)
    {
        int[] lengths = padded ? [1, 4, 3] : [];
        GradCheck.Check(x => Flatten(Ops.GruRecurrence(x[0], x[1], x[2], x[3], lengths, reverse)),
            [GradCheck.Random(5, -2f, 2f, 0f, Steps, Batch, 3 * Hidden), GradCheck.Random(6, 3 * Hidden, Hidden),
             GradCheck.Random(7, 3 * Hidden), GradCheck.Random(8, Batch, Hidden)], samplesPerInput: 40);
    }

    [Fact]
    public void LstmFromAZeroState() =>
        GradCheck.Check(x => Flatten(Ops.LstmRecurrence(x[0], x[1])),
            [GradCheck.Random(9, -2f, 2f, 0f, Steps, Batch, 4 * Hidden), GradCheck.Random(10, 4 * Hidden, Hidden)]);

    [Fact]
    public void StackedBidirectionalLayers()
    {
        var rng = new Rng(11);
        var lstm = new Engine.Nn.Lstm(5, Hidden, layers: 2, bidirectional: true, rng: rng);
        var gru = new Engine.Nn.Gru(5, Hidden, layers: 2, bidirectional: true, rng: rng);
        GradCheck.Check(v => lstm.Run(v[0]).Output, [GradCheck.Random(12, Steps, Batch, 5)]);
        GradCheck.Check(v => gru.Run(v[0]).State.Hidden, [GradCheck.Random(13, Steps, Batch, 5)]);
        lstm.ZeroGrad();   // the checks above left gradients in the parameters
        gru.ZeroGrad();
        Tensor x = GradCheck.Random(14, Steps, Batch, 5);
        GradCheck.Check(v => Ops.Concat([lstm.Run(x).Output.Reshape(-1), gru.Run(x).Output.Reshape(-1)], 0),
            [.. lstm.Parameters(), .. gru.Parameters()], samplesPerInput: 6);
    }

    private static Tensor Flatten(RecurrentOutput o) => o.Cell is null
        ? Ops.Concat([o.Output.Reshape(-1), o.Hidden.Reshape(-1)], 0)
        : Ops.Concat([o.Output.Reshape(-1), o.Hidden.Reshape(-1), o.Cell.Reshape(-1)], 0);
}
