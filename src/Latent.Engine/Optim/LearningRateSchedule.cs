namespace Latent.Engine.Optim;

/// <summary>
/// Changes an optimizer's learning rate over time. Call <see cref="Step"/> once per epoch (or per step, as
/// the schedule's length was counted); the rate for epoch e is <see cref="RateAt"/>(e).
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>A schedule that starts from <paramref name="optimizer"/>'s current learning rate.</summary>
    protected LearningRateSchedule(Optimizer optimizer)
    {
        Optimizer = optimizer;
        InitialRate = optimizer.LearningRate;
    }

    /// <summary>The optimizer whose learning rate this schedule sets.</summary>
    public Optimizer Optimizer { get; }
    /// <summary>The learning rate when the schedule was created.</summary>
    public float InitialRate { get; }

    /// <summary>How many times <see cref="Step"/> has been called.</summary>
    public int Epoch { get; private set; }

    /// <summary>The learning rate after <paramref name="epoch"/> steps.</summary>
    public abstract float RateAt(int epoch);

    /// <summary>Moves to the next epoch and sets the optimizer's learning rate for it.</summary>
    public void Step() => Optimizer.LearningRate = RateAt(++Epoch);
}

/// <summary>Multiplies the rate by <c>gamma</c> every <c>stepSize</c> epochs.</summary>
public sealed class StepSchedule : LearningRateSchedule
{
    /// <summary>Multiplies the rate by <paramref name="gamma"/> every <paramref name="stepSize"/> epochs.</summary>
    public StepSchedule(Optimizer optimizer, int stepSize, float gamma = 0.1f) : base(optimizer)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepSize);
        StepSize = stepSize;
        Gamma = gamma;
    }

    /// <summary>Epochs between reductions.</summary>
    public int StepSize { get; }
    /// <summary>The factor applied at each reduction.</summary>
    public float Gamma { get; }

    /// <inheritdoc/>
    public override float RateAt(int epoch) => InitialRate * MathF.Pow(Gamma, epoch / StepSize);
}

/// <summary>Cosine annealing from the initial rate to <c>minimumRate</c> over <c>length</c> epochs, then constant.</summary>
public sealed class CosineSchedule : LearningRateSchedule
{
    /// <summary>Anneals to <paramref name="minimumRate"/> over <paramref name="length"/> epochs.</summary>
    public CosineSchedule(Optimizer optimizer, int length, float minimumRate = 0f) : base(optimizer)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        Length = length;
        MinimumRate = minimumRate;
    }

    /// <summary>Epochs until the minimum rate is reached.</summary>
    public int Length { get; }
    /// <summary>The rate at the end of the annealing.</summary>
    public float MinimumRate { get; }

    /// <inheritdoc/>
    public override float RateAt(int epoch) =>
        MinimumRate + (InitialRate - MinimumRate) * 0.5f * (1f + MathF.Cos(MathF.PI * Math.Min(epoch, Length) / Length));
}
