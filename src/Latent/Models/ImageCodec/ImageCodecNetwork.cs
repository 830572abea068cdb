using Latent.Engine;
using Latent.Engine.Nn;

namespace Latent.Models;

/// <summary>
/// The parameters of an <see cref="ImageCodecModel"/>: <c>analysis</c> (image → latent), <c>synthesis</c> (latent →
/// image), with a hyperprior <c>hyper_analysis</c> (latent → hyper-latent) and <c>hyper_synthesis</c> (hyper-latent →
/// the scale of each latent value), and the per-channel density of the factorised latent (the hyper-latent, or else the
/// latent): <c>density.means</c>, <c>density.log_scales</c> and <c>density.logits</c> ([channels, components] each).
/// analysis: [batch, 3, h, w] with h, w multiples of 16 → [batch, M, h / 16, w / 16]; synthesis: back; hyper_analysis:
/// [batch, M, h', w'] with h', w' multiples of 4 → [batch, N, h' / 4, w' / 4]; hyper_synthesis: back to M channels.
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
    internal const float LatentGain = 10;

    /// <summary>The smallest scale of a latent value's logistic (CompressAI's lower bound on its Gaussian's): below it the tables would be all one value.</summary>
    internal const float MinScale = 0.11f;

    public ImageCodecNetwork(ImageCodecConfig config, Rng rng)
    {
        int n = config.Filters, m = config.LatentChannels, k = config.MixtureComponents, f = config.FactorisedChannels;
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
        if (config.Hyperprior)
        {
            // Ballé et al. 2018's hyper transforms (CompressAI's bmshj2018-hyperprior) made local: 2×2 stride-2 kernels
            // instead of 5×5 ones and 1×1 instead of 3×3, so that each hyper-latent value describes one 4×4 block of the
            // latent (a 64×64 block of the image) and nothing else. Training crops of 64×64 then show the hyper transforms
            // exactly what a large image will, with no borders; with overlapping kernels a codec trained on such crops
            // spent 1.7× the bits on photographs. A softplus replaces the last ReLU so that no scale can die at its bound.
            HyperAnalysis = AddModule("hyper_analysis", new Sequential(
                new Conv2d(m, n, 1, activation: Activation.Relu, rng: rng),
                new Conv2d(n, n, 2, stride: 2, activation: Activation.Relu, rng: rng),
                new Conv2d(n, n, 2, stride: 2, rng: rng)));
            HyperSynthesis = AddModule("hyper_synthesis", new Sequential(
                new ConvTranspose2d(n, n, 2, stride: 2, activation: Activation.Relu, rng: rng),
                new ConvTranspose2d(n, n, 2, stride: 2, activation: Activation.Relu, rng: rng),
                new Conv2d(n, m, 1, rng: rng)));
        }
        Means = AddParameter("density.means", Tensor.Zeros(f, k));
        LogScales = AddParameter("density.log_scales", Tensor.Zeros(f, k));
        Logits = AddParameter("density.logits", Tensor.Zeros(f, k));
        // Components of growing width (s = 1, e, e², …) so that the density can be peaked and heavy-tailed from the start.
        for (int c = 0; c < f; c++)
            for (int j = 0; j < k; j++) LogScales.Span[c * k + j] = j;
    }

    public Sequential Analysis { get; }
    public Sequential Synthesis { get; }
    public Sequential? HyperAnalysis { get; }
    public Sequential? HyperSynthesis { get; }
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

    /// <summary>The hyper-latent of a latent: the hyper analysis of its magnitudes (the scales do not depend on signs), in quantiser units.</summary>
    public Tensor HyperAnalyse(Tensor latent) => Ops.Scale(HyperAnalysis!.Forward(Ops.Scale(Ops.Abs(latent), 1 / LatentGain)), LatentGain);

    /// <summary>The raw output of the hyper synthesis, from which <see cref="Scales"/> are made.</summary>
    public Tensor HyperSynthesise(Tensor hyperLatent) => HyperSynthesis!.Forward(Ops.Scale(hyperLatent, 1 / LatentGain));

    /// <summary>The scale of each latent value's logistic from the hyper synthesis' raw output: <see cref="MinScale"/> + gain·softplus(raw).</summary>
    public static Tensor Scales(Tensor raw) => Ops.AddScalar(Ops.Scale(Ops.Softplus(raw), LatentGain), MinScale);

    /// <summary>The reconstruction of images through the analysis and synthesis, without quantisation (not used: see the model).</summary>
    public override Tensor Forward(Tensor input) => Synthesise(Analyse(input));
}
