namespace Latent.Applications.SequenceToSequence;

/// <summary>
/// How close predicted frames come to the true ones, frame by frame (index 0 is the first predicted frame), beside the
/// simplest forecast: repeating the last observed frame. MSE per pixel and SSIM, averaged over clips.
/// </summary>
public sealed record FramePredictionReport(int Clips, double[] Mse, double[] Ssim, double[] RepeatMse, double[] RepeatSsim)
{
    /// <summary>
    /// Whether the prediction beats repetition on every predicted frame by both measures: a lower MSE and a higher SSIM.
    /// MSE alone is no bar on moving digits: a digit moved a few pixels barely overlaps its old place, so a blurred
    /// guess, or even a black frame, has a lower MSE than repetition without drawing any digit.
    /// </summary>
    public bool BeatsRepetitionOnEveryFrame =>
        Mse.Zip(RepeatMse).All(p => p.First < p.Second) && Ssim.Zip(RepeatSsim).All(p => p.First > p.Second);
}
