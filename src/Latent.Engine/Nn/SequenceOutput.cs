namespace Latent.Engine.Nn;

/// <summary>A recurrent stack's outputs: the last layer's [steps, batch, directions · hidden] and the final state.</summary>
public sealed record SequenceOutput(Tensor Output, RecurrentState State);
