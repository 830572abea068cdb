using Latent.Engine;
using Latent.Engine.Nn;

namespace Latent.Models;

/// <summary>Initialisations applied to a whole network once its layers are built.</summary>
internal static class NetworkInit
{
    /// <summary>
    /// <see cref="Init.FanInUniform"/> for every weight (rank 2 or more) and the bias registered beside it, in
    /// registration order: the same seed gives the same weights.
    /// </summary>
    public static void FanInUniform(Module network, Rng rng)
    {
        var all = network.NamedParameters().ToList();
        foreach (var (name, weight) in all)
        {
            if (!name.EndsWith("weight", StringComparison.Ordinal) || weight.Rank < 2) continue;
            Tensor? bias = all.FirstOrDefault(p => p.Name == name[..^"weight".Length] + "bias").Tensor;
            Init.FanInUniform(weight, bias, rng);
        }
    }
}
