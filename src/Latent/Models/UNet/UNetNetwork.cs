using Latent.Engine;
using Latent.Engine.Nn;

namespace Latent.Models;

/// <summary>
/// The layers of a <see cref="UNet"/> and its forward pass: <c>down.i</c> is level i's block (level 0 at full size),
/// <c>up.i</c> the upsampling into level i (transposed convolutions only) and <c>join.i</c> the block after the skip
/// of level i is concatenated, <c>head</c> the output convolution.
/// input: [batch, in, h, w] of any size; output: [batch, out, h, w].
/// </summary>
internal sealed class UNetNetwork : Module
{
    private readonly UNetConfig _config;
    private readonly Sequential[] _down, _join;
    private readonly ConvTranspose2d?[] _up;
    private readonly Conv2d _head;

    public UNetNetwork(UNetConfig config, Rng rng)
    {
        _config = config;
        int[] widths = config.Widths;
        int k = config.KernelSize, pad = (k - 1) / 2;
        _down = new Sequential[widths.Length];
        for (int level = 0; level < widths.Length; level++)
        {
            var block = new Sequential();
            int channels = level == 0 ? config.InChannels : widths[level - 1];
            if (level > 0 && config.Downsampling == Downsampling.MaxPool) block.Add(new MaxPool2d(2, padding: Padding2d.Same));
            for (int i = 0; i < config.ConvolutionsPerBlock; i++)
            {
                // Symmetric padding with stride 2 keeps output j centred on input 2j, which nearest ×2 maps back to 2j and 2j + 1.
                int stride = level > 0 && i == 0 && config.Downsampling == Downsampling.StridedConv ? 2 : 1;
                AddConv(block, new Conv2d(channels, widths[level], k, stride: stride, padding: pad, activation: Hidden, rng: rng), widths[level]);
                channels = widths[level];
            }
            _down[level] = AddModule($"down.{level}", block);
        }
        _up = new ConvTranspose2d?[widths.Length - 1];
        _join = new Sequential[widths.Length - 1];
        for (int level = widths.Length - 2; level >= 0; level--)
        {
            int below = widths[level + 1];
            if (config.Upsampling == Upsampling.TransposedConv)
                _up[level] = AddModule($"up.{level}", new ConvTranspose2d(below, below, 2, stride: 2, activation: config.Activation, rng: rng));
            var block = new Sequential();
            int channels = below + widths[level];
            for (int i = 0; i < config.ConvolutionsPerBlock; i++)
            {
                AddConv(block, new Conv2d(channels, widths[level], k, padding: pad, activation: Hidden, rng: rng), widths[level]);
                channels = widths[level];
            }
            _join[level] = AddModule($"join.{level}", block);
        }
        int head = config.HeadKernelSize ?? k;
        _head = AddModule("head", new Conv2d(widths[0], config.OutChannels, head, padding: (head - 1) / 2, rng: rng));
    }

    /// <summary>With batch norm, convolutions stay linear and the activation follows the normalisation.</summary>
    private Activation Hidden => _config.BatchNorm ? Activation.Identity : _config.Activation;

    private void AddConv(Sequential block, Conv2d conv, int channels)
    {
        block.Add(conv);
        if (!_config.BatchNorm) return;
        block.Add(new BatchNorm2d(channels));
        block.Add(new ActivationLayer(_config.Activation));
    }

    public override Tensor Forward(Tensor input)
    {
        if (input.Rank != 4 || input.Dim(1) != _config.InChannels || input.Dim(2) < 1 || input.Dim(3) < 1)
            throw new ArgumentException($"This U-Net takes images [batch, {_config.InChannels}, height, width]; got [{string.Join(", ", input.Shape)}].");
        var skips = new Tensor[_down.Length];
        Tensor x = input;
        for (int level = 0; level < _down.Length; level++) x = skips[level] = _down[level].Forward(x);
        // Without a graph (inference) nothing else refers to the intermediate maps: each goes back to the pool once used.
        bool release = skips[0].IsLeaf && !skips[0].RequiresGrad;
        for (int level = _down.Length - 2; level >= 0; level--)
        {
            Tensor skip = skips[level];
            Tensor up = Crop(Upsample(level, x), skip.Dim(2), skip.Dim(3), release);
            Tensor joined = Ops.Concat([up, skip], 1);
            if (release)
            {
                up.Dispose();
                x.Dispose();
                skip.Dispose();
            }
            x = _join[level].Forward(joined);
            if (release) joined.Dispose();
        }
        Tensor output = _head.Forward(x);
        if (release) x.Dispose();
        return output;
    }

    private Tensor Upsample(int level, Tensor x) => _up[level] is { } transposed
        ? transposed.Forward(x)
        : Ops.Upsample(x, 2, _config.Upsampling == Upsampling.Bilinear ? UpsampleMode.Bilinear : UpsampleMode.Nearest);

    /// <summary>The top-left height × width of the upsampled map: doubling ⌈n / 2⌉ overshoots an odd n by one row or column.</summary>
    private static Tensor Crop(Tensor x, int height, int width, bool release)
    {
        Tensor result = x;
        if (result.Dim(2) != height) result = Ops.Slice(result, 2, 0, height);
        if (result.Dim(3) != width)
        {
            Tensor rows = result;
            result = Ops.Slice(rows, 3, 0, width);
            if (release && rows != x) rows.Dispose();
        }
        if (release && result != x) x.Dispose();
        return result;
    }
}
