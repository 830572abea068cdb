using Latent.Engine;
using Latent.Engine.Nn;

namespace Latent.Models;

/// <summary>
/// The parameters of an <see cref="ImageCodecModel"/>: <c>analysis</c> (image → latent), <c>synthesis</c> (latent →
/// image) and the per-channel density of the latent, <c>density.means</c>, <c>density.log_scales</c> and
/// <c>density.logits</c> ([latent channels, components] each).
/// analysis: [batch, 3, h, w] with h, w multiples of 16 → [batch, M, h / 16, w / 16]; synthesis: back.
/// </summary>
internal sealed class ImageCodecNetwork : Module
{
    private const int Kernel = 5, Padding = 2;
    /// <summary>
    /// A fixed gain between the transforms and the quantiser, i.e. a quantisation step of 1/10 in the transforms' units.
    /// Glorot's weights give transforms whose output has a standard deviation of ~0.1, which training's unit noise (and
    /// rounding) would drown, so that the decoder learns nothing for thousands of steps; scaling the weights instead
    /// would make Adam's steps on them too small (or, on the synthesis side, too large) relative to their size.
    /// </summary>
    private const float LatentGain = 10;

    public ImageCodecNetwork(ImageCodecConfig config, Rng rng)
    {
        int n = config.Filters, m = config.LatentChannels, k = config.MixtureComponents;
        Analysis = AddModule("analysis", new Sequential(
            new Conv2d(3, n, Kernel, stride: 2, padding: Padding, rng: rng), new Gdn(n),
            new Conv2d(n, n, Kernel, stride: 2, padding: Padding, rng: rng), new Gdn(n),
            new Conv2d(n, n, Kernel, stride: 2, padding: Padding, rng: rng), new Gdn(n),
            new Conv2d(n, m, Kernel, stride: 2, padding: Padding, rng: rng)));
        Synthesis = AddModule("synthesis", new Sequential(
            new ConvTranspose2d(m, n, Kernel, stride: 2, padding: Padding, outputPadding: 1, rng: rng), new Gdn(n, inverse: true),
            new ConvTranspose2d(n, n, Kernel, stride: 2, padding: Padding, outputPadding: 1, rng: rng), new Gdn(n, inverse: true),
            new ConvTranspose2d(n, n, Kernel, stride: 2, padding: Padding, outputPadding: 1, rng: rng), new Gdn(n, inverse: true),
            new ConvTranspose2d(n, 3, Kernel, stride: 2, padding: Padding, outputPadding: 1, rng: rng)));
        Means = AddParameter("density.means", Tensor.Zeros(m, k));
        LogScales = AddParameter("density.log_scales", Tensor.Zeros(m, k));
        Logits = AddParameter("density.logits", Tensor.Zeros(m, k));
        // Components of growing width (s = 1, e, e², …) so that the density can be peaked and heavy-tailed from the start.
        for (int c = 0; c < m; c++)
            for (int j = 0; j < k; j++) LogScales.Span[c * k + j] = j;
    }

    public Sequential Analysis { get; }
    public Sequential Synthesis { get; }
    public Tensor Means { get; }
    public Tensor LogScales { get; }
    public Tensor Logits { get; }

    /// <summary>
    /// The latent of images in [0, 1]: the analysis of the images centred on 0 (zero-mean inputs train faster), times
    /// <see cref="LatentGain"/>.
    /// </summary>
    public Tensor Analyse(Tensor images) => Ops.Scale(Analysis.Forward(Ops.AddScalar(images, -0.5f)), LatentGain);

    /// <summary>Images from a (noisy or integer) latent: the synthesis of the latent over <see cref="LatentGain"/>, moved back to [0, 1]'s centre.</summary>
    public Tensor Synthesise(Tensor latent) => Ops.AddScalar(Synthesis.Forward(Ops.Scale(latent, 1 / LatentGain)), 0.5f);

    /// <summary>The reconstruction of images through the analysis and synthesis, without quantisation (not used: see the model).</summary>
    public override Tensor Forward(Tensor input) => Synthesise(Analyse(input));
}
