namespace Latent.Engine.Autograd;

/// <summary>
/// How one operation propagates gradients: the output tensor holds it, and <see cref="Backprop"/> calls
/// <see cref="Backward"/> once the output's gradient is complete.
/// </summary>
internal abstract class GradFn(params Tensor[] inputs)
{
    /// <summary>The operation's inputs, in the order the graph is walked.</summary>
    public Tensor[] Inputs { get; } = inputs;

    /// <summary>Adds the gradient of every input that tracks gradients, given the output and its gradient.</summary>
    public abstract void Backward(Tensor output, ReadOnlySpan<float> gradOutput);

    /// <summary>Frees tensors saved for the backward pass (masks, statistics) once it has run.</summary>
    public virtual void ReleaseSaved() { }

    /// <summary>Makes <paramref name="output"/> part of the graph when any input tracks gradients and recording is on.</summary>
    public static Tensor Record(Tensor output, GradFn? fn)
    {
        if (fn is not null) output.GradFn = fn;
        return output;
    }

    /// <summary>Whether an operation on these inputs must record a gradient function.</summary>
    public static bool Needed(Tensor a) => GradMode.IsEnabled && a.TracksGrad;
    public static bool Needed(Tensor a, Tensor b) => GradMode.IsEnabled && (a.TracksGrad || b.TracksGrad);
}
