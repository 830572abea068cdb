namespace Latent.Applications.SequenceToSequence;

/// <summary>How well predictions match the targets of some pairs.</summary>
/// <param name="Pairs">Pairs scored.</param>
/// <param name="ExactAccuracy">Share of pairs whose whole predicted sequence equals the target.</param>
/// <param name="TokenAccuracy">Share of target positions predicted right (a missing position counts as wrong).</param>
public sealed record Seq2SeqEvaluation(int Pairs, double ExactAccuracy, double TokenAccuracy);
