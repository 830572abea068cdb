namespace Latent.Engine.Optim;

/// <summary>
/// Changes an optimizer's learning rate over time. Call <see cref="Step"/> once per epoch (or per step, as
/// the schedule's length was counted); the rate for epoch e is <see cref="RateAt"/>(e).
/// </summary>
public abstract class LearningRateSchedule
{
    protected LearningRateSchedule(Optimizer optimizer)
    {
        Optimizer = optimizer;
        InitialRate = optimizer.LearningRate;
    }

    public Optimizer Optimizer { get; }
    public float InitialRate { get; }

    /// <summary>How many times <see cref="Step"/> has been called.</summary>
    public int Epoch { get; private set; }

    /// <summary>The learning rate after <paramref name="epoch"/> steps.</summary>
    public abstract float RateAt(int epoch);

    public void Step() => Optimizer.LearningRate = RateAt(++Epoch);
}

/// <summary>Multiplies the rate by <c>gamma</c> every <c>stepSize</c> epochs.</summary>
public sealed class StepSchedule : LearningRateSchedule
{
    public StepSchedule(Optimizer optimizer, int stepSize, float gamma = 0.1f) : base(optimizer)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepSize);
        StepSize = stepSize;
        Gamma = gamma;
    }

    public int StepSize { get; }
    public float Gamma { get; }

    public override float RateAt(int epoch) => InitialRate * MathF.Pow(Gamma, epoch / StepSize);
}

/// <summary>Cosine annealing from the initial rate to <c>minimumRate</c> over <c>length</c> epochs, then constant.</summary>
public sealed class CosineSchedule : LearningRateSchedule
{
    public CosineSchedule(Optimizer optimizer, int length, float minimumRate = 0f) : base(optimizer)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        Length = length;
        MinimumRate = minimumRate;
    }

    public int Length { get; }
    public float MinimumRate { get; }

    public override float RateAt(int epoch) =>
        MinimumRate + (InitialRate - MinimumRate) * 0.5f * (1f + MathF.Cos(MathF.PI * Math.Min(epoch, Length) / Length));
}
