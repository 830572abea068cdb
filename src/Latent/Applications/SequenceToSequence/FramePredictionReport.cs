namespace Latent.Applications.SequenceToSequence;

/// <summary>
/// How close predicted frames come to the true ones, frame by frame (index 0 is the first predicted frame), beside the
/// simplest forecast: repeating the last observed frame. MSE per pixel and SSIM, averaged over clips.
/// </summary>
public sealed record FramePredictionReport(int Clips, double[] Mse, double[] Ssim, double[] RepeatMse, double[] RepeatSsim)
{
    /// <summary>Whether the prediction's MSE is below repetition's on every predicted frame.</summary>
    public bool BeatsRepetitionOnEveryFrame => Mse.Zip(RepeatMse).All(p => p.First < p.Second);
}
