using Latent.Engine;
using Latent.Engine.Nn;

namespace Latent.Models.Sequence;

/// <summary>
/// Next-frame prediction as an encoder–decoder over time that moves pixels instead of drawing them (De Brabandere et al.
/// 2016's dynamic filter network, with an LSTM over convolutional frame codes as in Srivastava et al. 2015): at every
/// step a convolutional encoder reads the current frame beside its difference from the frame before (the motion), an
/// LSTM reads the frame's code, and a convolutional decoder (a transposed convolution, with the encoder's maps of the
/// current frame) says, for every pixel of the next frame, which of the 9×9 pixels around it in the current frame it is
/// made of (<see cref="Ops.DynamicFilter"/>). Those tap logits are made at a quarter of the frame's side and enlarged
/// bilinearly, so that neighbouring pixels move together: made per pixel, each pixel chose on its own and digits fell
/// apart into scattered dots. The next frame is a mixture of the current one's pixels, so it stays about as sharp; the
/// earlier decoder that drew frames from a code settled on a blurred average (SSIM 0.23 against repetition's 0.60).
/// The observed frames are encoded and decoded in one pass (each predicts the next, which the loss also scores); then
/// every future frame is made from the prediction before it. Frames are single-channel, with sides divisible by 8.
/// </summary>
internal sealed class FramePredictorNetwork : Module
{
    private static readonly int[] Widths = [16, 32, 64];   // feature maps at 1/2, 1/4 and 1/8 of the frame's side
    private const int Kernel = 9;     // a pixel comes from at most 4 pixels away: digits move 2–4 pixels a frame
    private const int TapScale = 2;   // the tap logits are made at 1/4 of the side (Widths[TapScale - 1]'s scale)

    private readonly Conv2d[] _down;
    private readonly ConvTranspose2d[] _up;
    private readonly Conv2d _taps;
    private readonly Linear _toCode, _fromState;
    private readonly Lstm _lstm;
    private readonly int _height, _width;

    public FramePredictorNetwork(int height, int width, int code, int hidden, Rng rng)
    {
        (_height, _width) = (height, width);
        int spatial = Widths[^1] * (height / 8) * (width / 8);
        _down = [.. Widths.Select((w, i) => new Conv2d(i == 0 ? 2 : Widths[i - 1], w, 3, stride: 2, padding: Padding2d.Same, activation: Activation.Relu, rng: rng))];
        for (int i = 0; i < _down.Length; i++) AddModule($"down{i}", _down[i]);
        _toCode = AddModule("to_code", new Linear(spatial, code, activation: Activation.Relu, rng: rng));
        _lstm = AddModule("lstm", new Lstm(code, hidden, rng: rng));
        _fromState = AddModule("from_state", new Linear(hidden, spatial, activation: Activation.Relu, rng: rng));
        // up[i] reads the decoder's maps at scale i joined with the current frame's: 2·Widths[i] channels in.
        _up = [.. Enumerable.Range(TapScale, Widths.Length - TapScale).Select(i => new ConvTranspose2d(2 * Widths[i], Widths[i - 1], 3, stride: 2,
            padding: Padding2d.Same, activation: Activation.Relu, rng: rng))];
        for (int i = 0; i < _up.Length; i++) AddModule($"up{i + TapScale}", _up[i]);
        // The tap logits come at a coarser scale and are enlarged: pixels near each other move together.
        _taps = AddModule("taps", new Conv2d(2 * Widths[TapScale - 1], Kernel * Kernel, 3, padding: Padding2d.Same, rng: rng));
        _taps.Bias!.Span[Kernel * Kernel / 2] = 5f;   // start from repeating the frame (the centre tap outweighs the other 80 about 2:1)
    }

    /// <summary>Not used: the network reads clips, see <see cref="Frames"/>.</summary>
    public override Tensor Forward(Tensor input) => throw new NotSupportedException("A frame predictor reads clips: use Frames.");

    /// <summary>
    /// Frames 1 … steps + future − 1 in [0, 1], [(steps − 1 + future) · batch, height · width] (time-major: frame t of clip
    /// b is row (t − 1)·batch + b), from the observed frames 0 … steps − 1 <paramref name="observed"/> [steps · batch,
    /// height · width] (time-major): frames 1 … steps − 1 each from the observed frame before it, the last
    /// <paramref name="future"/> rows the prediction.
    /// </summary>
    public Tensor Frames(Tensor observed, int steps, int future) => Run(observed, steps, future, temperature: 1, scoreObserved: true);

    /// <summary>
    /// Only the <paramref name="future"/> predicted frames, [future · batch, height · width] (time-major): the last rows of
    /// <see cref="Frames"/>, without the watched frames' one-step predictions. A <paramref name="temperature"/> below 1
    /// sharpens the softmax over each pixel's sources (see <see cref="Applications.SequenceToSequence.FramePredictorOptions.Temperature"/>).
    /// </summary>
    public Tensor Predict(Tensor observed, int steps, int future, float temperature) => Run(observed, steps, future, temperature, scoreObserved: false);

    private Tensor Run(Tensor observed, int steps, int future, float temperature, bool scoreObserved)
    {
        int batch = observed.Dim(0) / steps, from = scoreObserved ? 0 : steps - 1;   // the first observed step decoded
        Tensor frames = observed.Reshape(steps * batch, 1, _height, _width), motion = Motion(observed, steps, batch);
        var (maps, codes) = Encode(frames, motion);
        SequenceOutput run = _lstm.Run(codes.Reshape(steps, batch, codes.Dim(1)));
        Tensor Decoded(Tensor x) => Ops.Slice(x, 0, from * batch, (steps - from) * batch);
        var predicted = new List<Tensor>(future)
        {
            Decode(Decoded(run.Output.Reshape(steps * batch, _lstm.Outputs)), [.. maps.Select(Decoded)], Decoded(frames), temperature),
        };
        RecurrentState state = run.State;
        Tensor previous = Ops.Slice(frames, 0, (steps - 1) * batch, batch), current = Ops.Slice(predicted[0], 0, (steps - 1 - from) * batch, batch);
        for (int f = 1; f < future; f++)
        {
            Tensor change = Ops.Subtract(current, previous);
            (maps, codes) = Encode(current, change);
            run = _lstm.Run(codes.Reshape(1, batch, codes.Dim(1)), state);
            state = run.State;
            Tensor next = Decode(run.Output.Reshape(batch, _lstm.Outputs), maps, current, temperature);
            predicted.Add(next);
            (previous, current) = (current, next);
        }
        return Ops.Concat(predicted, axis: 0).Reshape((steps - from - 1 + future) * batch, _height * _width);
    }

    /// <summary>The encoder's maps at every scale and the codes of frames [n, 1, h, w] beside their motion.</summary>
    private (Tensor[] Maps, Tensor Codes) Encode(Tensor frames, Tensor motion)
    {
        var maps = new Tensor[_down.Length];
        Tensor x = Ops.Concat([frames, motion], axis: 1);
        for (int i = 0; i < _down.Length; i++) x = maps[i] = _down[i].Forward(x);
        return (maps, _toCode.Forward(x.Reshape(x.Dim(0), x.Length / x.Dim(0))));
    }

    /// <summary>The frames after <paramref name="frames"/> [n, 1, h, w]: each pixel a mixture of the 9×9 pixels around it, weighed by the decoder.</summary>
    private Tensor Decode(Tensor hidden, Tensor[] maps, Tensor frames, float temperature)
    {
        Tensor y = _fromState.Forward(hidden).Reshape([.. maps[^1].Shape]);
        for (int i = _up.Length - 1; i >= 0; i--) y = _up[i].Forward(Ops.Concat([y, maps[i + TapScale]], axis: 1));
        Tensor logits = Ops.Upsample(_taps.Forward(Ops.Concat([y, maps[TapScale - 1]], axis: 1)), 1 << TapScale, UpsampleMode.Bilinear);
        return Ops.DynamicFilter(frames, temperature == 1 ? logits : Ops.Scale(logits, 1 / temperature));
    }

    /// <summary>Each observed frame minus the one before it (zero for the first), [steps · batch, 1, h, w].</summary>
    private Tensor Motion(Tensor observed, int steps, int batch)
    {
        int pixels = observed.Dim(1);
        using (Tensor.NoGrad())
        {
            var motion = Tensor.Zeros(steps * batch, 1, _height, _width);
            if (steps > 1)
                System.Numerics.Tensors.TensorPrimitives.Subtract(observed.Span[(batch * pixels)..], observed.Span[..((steps - 1) * batch * pixels)], motion.Span[(batch * pixels)..]);
            return motion;
        }
    }
}
