namespace Latent.Engine.Losses;

/// <summary>How a loss turns per-element values into one number.</summary>
public enum Reduction
{
    /// <summary>Average over elements (over the elements where the mask is 1, for masked losses).</summary>
    Mean,
    /// <summary>Total over all elements.</summary>
    Sum,
    /// <summary>Total divided by the batch size (first dimension): a per-example sum, as VAEs use.</summary>
    BatchMean,
}
