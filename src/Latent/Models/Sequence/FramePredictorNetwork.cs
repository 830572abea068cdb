using Latent.Engine;
using Latent.Engine.Nn;

namespace Latent.Models.Sequence;

/// <summary>
/// Next-frame prediction as an encoder–decoder over time (Srivastava et al. 2015's "future predictor", with convolutional
/// frame codes): a convolutional encoder turns each observed frame into a code, an LSTM reads the codes, a second LSTM
/// starts from its state and runs one step per future frame, and a convolutional decoder (transposed convolutions) turns
/// each of its steps into a frame's logits. As in Denton &amp; Fergus 2018, the decoder also sees the encoder's feature maps
/// of the last observed frame at every scale (skip connections): the LSTM need only say where the content moves, not
/// redraw it from a code, which keeps predictions sharp; a last 3×3 convolution reads the decoder's output beside the last
/// frame's pixels. The encoder reads each frame beside its difference from the frame before, the motion the LSTM must
/// carry on. Frames are single-channel, with sides divisible by 8.
/// </summary>
internal sealed class FramePredictorNetwork : Module
{
    private static readonly int[] Widths = [16, 32, 64];   // feature maps at 1/2, 1/4 and 1/8 of the frame's side

    private readonly Conv2d[] _down;
    private readonly ConvTranspose2d[] _up;
    private readonly Conv2d _blend;
    private readonly Linear _toCode, _fromState;
    private readonly Lstm _encoder, _decoder;
    private readonly int _height, _width;

    public FramePredictorNetwork(int height, int width, int code, int hidden, Rng rng)
    {
        (_height, _width) = (height, width);
        int spatial = Widths[^1] * (height / 8) * (width / 8);
        _down = [.. Widths.Select((w, i) => new Conv2d(i == 0 ? 2 : Widths[i - 1], w, 3, stride: 2, padding: Padding2d.Same, activation: Activation.Relu, rng: rng))];
        for (int i = 0; i < _down.Length; i++) AddModule($"down{i}", _down[i]);
        _toCode = AddModule("to_code", new Linear(spatial, code, activation: Activation.Relu, rng: rng));
        _encoder = AddModule("encoder", new Lstm(code, hidden, rng: rng));
        _decoder = AddModule("decoder", new Lstm(1, hidden, rng: rng));
        _fromState = AddModule("from_state", new Linear(hidden, spatial, activation: Activation.Relu, rng: rng));
        // up[i] reads the decoder's maps at scale i joined with the last frame's: 2·Widths[i] channels in.
        _up = [.. Enumerable.Range(0, Widths.Length).Select(i => new ConvTranspose2d(2 * Widths[i], i == 0 ? 1 : Widths[i - 1], 3, stride: 2,
            padding: Padding2d.Same, activation: i == 0 ? Activation.Identity : Activation.Relu, rng: rng))];
        for (int i = 0; i < _up.Length; i++) AddModule($"up{i}", _up[i]);
        // At full size the last frame's own pixels join the decoder's output: copying them is one 3×3 kernel away.
        _blend = AddModule("blend", new Conv2d(2, 1, 3, padding: Padding2d.Same, rng: rng));
    }

    /// <summary>Not used: the network reads clips, see <see cref="Logits"/>.</summary>
    public override Tensor Forward(Tensor input) => throw new NotSupportedException("A frame predictor reads clips: use Logits.");

    /// <summary>
    /// The logits [future · batch, height · width] (time-major: frame t of clip b is row t·batch + b) of
    /// <paramref name="future"/> frames after the observed frames <paramref name="observed"/> [steps · batch, height · width] (time-major).
    /// </summary>
    public Tensor Logits(Tensor observed, int steps, int future)
    {
        int batch = observed.Dim(0) / steps;
        var maps = new Tensor[_down.Length];
        Tensor x = observed.Reshape(steps * batch, 1, _height, _width);
        Tensor lastFrame = Repeat(LastFrame(x, steps, batch), future);
        x = Ops.Concat([x, Motion(observed, steps, batch).Reshape(steps * batch, 1, _height, _width)], axis: 1);
        for (int i = 0; i < _down.Length; i++) x = maps[i] = _down[i].Forward(x);
        Tensor codes = _toCode.Forward(x.Reshape(steps * batch, x.Length / (steps * batch)));
        RecurrentState state = _encoder.Run(codes.Reshape(steps, batch, codes.Dim(1))).State;
        Tensor nothing = Tensor.Zeros(future, batch, 1);   // the decoder reads no input: it runs on from the encoder's state (kept for its backward)
        Tensor decoded = _decoder.Run(nothing, state).Output;
        Tensor y = _fromState.Forward(decoded.Reshape(future * batch, decoded.Dim(2)));
        for (int i = _up.Length - 1; i >= 0; i--)
        {
            Tensor skip = Repeat(LastFrame(maps[i], steps, batch), future);
            if (i == _up.Length - 1) y = y.Reshape([.. skip.Shape]);
            y = _up[i].Forward(Ops.Concat([y, skip], axis: 1));
        }
        return _blend.Forward(Ops.Concat([y, lastFrame], axis: 1)).Reshape(future * batch, _height * _width);
    }

    /// <summary>The last frame's maps [batch, C, h, w] once for each future frame: [future · batch, C, h, w] (time-major).</summary>
    private static Tensor Repeat(Tensor last, int future) => future == 1 ? last : Ops.Concat([.. Enumerable.Repeat(last, future)], axis: 0);

    /// <summary>Each frame minus the one before it (zero for the first): where the content moved, which the encoder sees as a second channel.</summary>
    private static Tensor Motion(Tensor observed, int steps, int batch)
    {
        if (steps == 1) return Tensor.Zeros(batch, observed.Dim(1));
        int pixels = observed.Dim(1);
        using (Tensor.NoGrad())
        {
            var motion = Tensor.Zeros(steps * batch, pixels);
            System.Numerics.Tensors.TensorPrimitives.Subtract(observed.Span[(batch * pixels)..], observed.Span[..((steps - 1) * batch * pixels)], motion.Span[(batch * pixels)..]);
            return motion;
        }
    }

    /// <summary>The maps of the last observed frame of every clip: the last <paramref name="batch"/> rows of time-major maps.</summary>
    private static Tensor LastFrame(Tensor maps, int steps, int batch) => Ops.Slice(maps, 0, (steps - 1) * batch, batch);
}
