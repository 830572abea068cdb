namespace Latent.Training;

/// <summary>Progress of one stage of a longer fit (a member, a fold, a quality level), told to the caller with that stage named.</summary>
internal static class StagedProgress
{
    /// <summary><paramref name="progress"/> with every report's <see cref="TrainingProgress.Stage"/> set to <paramref name="stage"/> (null when there is no one to tell).</summary>
    public static IProgress<TrainingProgress>? Named(IProgress<TrainingProgress>? progress, string stage) =>
        progress is null ? null : new InlineProgress<TrainingProgress>(p => progress.Report(p with { Stage = stage }));
}
