using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using Latent.Engine;

namespace Latent.Training;

/// <summary>
/// Polyak averaging for <see cref="FitOptions.AverageWeights"/>: an exponential moving average of a model's state
/// (parameters and buffers), updated after every training step, that can take the training weights' place for
/// evaluation and at the end. Its decay ramps up as (1 + t) / (10 + t) over the first steps, so that the average does
/// not drag the initial weights along for thousands of steps.
/// </summary>
internal sealed class WeightAverage
{
    private readonly IReadOnlyList<Tensor> _state;
    private readonly float[][] _average;
    private readonly float _decay;
    private long _steps;

    public WeightAverage(IReadOnlyList<Tensor> state, float decay)
    {
        _state = state;
        _decay = decay;
        _average = [.. state.Select(t => t.ToArray())];
    }

    /// <summary>Whether the model holds the average now (and its training weights are kept here).</summary>
    public bool InModel { get; private set; }

    /// <summary>Moves the average towards the model's current (training) weights.</summary>
    public void Update()
    {
        if (InModel) throw new InvalidOperationException("The average cannot be updated while the model holds it.");
        _steps++;
        float decay = Math.Min(_decay, (1f + _steps) / (10f + _steps));
        for (int i = 0; i < _state.Count; i++) TensorPrimitives.Lerp(_average[i], _state[i].Span, 1f - decay, _average[i]);
    }

    /// <summary>Puts the average in the model (keeping the training weights), or the training weights back.</summary>
    public void Hold(bool average)
    {
        if (InModel == average) return;
        for (int i = 0; i < _state.Count; i++)
        {
            Span<float> model = _state[i].Span, kept = _average[i];
            for (int j = 0; j < model.Length; j++) (model[j], kept[j]) = (kept[j], model[j]);
        }
        InModel = average;
    }
}
