using Latent.Applications.SequenceToSequence;
using Latent.Tests.Applications.SequenceToSequence;
using Latent.Training;

namespace Latent.Tests.Applications.Contract;

/// <summary>A small GRU encoder–decoder on variable-length reversal; its predictions for fixed sources must not change.</summary>
public sealed class Seq2SeqContract : ApplicationContract<Seq2Seq>
{
    private static readonly SequencePair[] Train = SequenceTasks.Make(200, 6, 2, 5, reverse: true, seed: 1);
    private static readonly SequencePair[] Test = SequenceTasks.Make(12, 6, 2, 5, reverse: true, seed: 2);

    protected override Seq2Seq Fit(ulong seed, IProgress<TrainingProgress>? progress = null) =>
        Seq2Seq.Fit(Train, new Seq2SeqOptions
        {
            Cell = Latent.Models.Sequence.RecurrentCell.Gru, Hidden = 16, Layers = 2, Bidirectional = true, Dropout = 0.1f, EmbeddingSize = 8,
            Training = new FitOptions { Epochs = 2, BatchSize = 16, Seed = seed },
        }, progress);

    protected override float[] Use(Seq2Seq app)
    {
        string[][] greedy = app.Predict([.. Test.Select(p => p.Source)]);
        string[] beam = app.Predict(Test[0].Source, beam: 3);
        Seq2SeqEvaluation evaluation = app.Evaluate(Test);
        return [.. greedy.Concat([beam]).SelectMany(tokens => tokens.Select(t => float.Parse(t[1..])).Append(-1f)),
            (float)evaluation.ExactAccuracy, (float)evaluation.TokenAccuracy];
    }

    protected override IEnumerable<(Action, string)> BadInputs(Seq2Seq app) =>
    [
        (() => app.Predict(Array.Empty<string>()), "Source 0 is an empty sequence"),
        (() => app.Predict(Test[0].Source, beam: 0), "beam width must be at least 1"),
        (() => app.Evaluate([]), "at least one pair"),
        (() => Seq2Seq.Fit(Train[..1]), "at least 2 training pairs"),
        (() => Seq2Seq.Fit([Train[0], new SequencePair(["t1"], [])]), "Pair 1 has an empty target"),
        (() => Seq2Seq.Fit(Train, new Seq2SeqOptions { TeacherForcing = 1.5f }), "Teacher forcing"),
        (() => Seq2Seq.Fit(Train, new Seq2SeqOptions { Hidden = 0 }), "Hidden must be"),
        (() => Seq2Seq.Fit([.. Train, new SequencePair(["t1", "</s>"], ["t2"])]), "'</s>' is reserved"),
    ];

    protected override IEnumerable<object> CallerData => [.. Train.Concat(Test).SelectMany(p => new object[] { p.Source, p.Target })];

    protected override Seq2Seq Open(string path) => Seq2Seq.Open(path);
}
