namespace Latent.Engine.Nn;

/// <summary>
/// The state a recurrent layer stack carries between calls: [layers · directions, batch, hidden], in PyTorch's order
/// (layer 0 forwards, layer 0 backwards, layer 1 forwards, …). <see cref="Cell"/> is the LSTM's cell state (null for a GRU).
/// </summary>
public sealed record RecurrentState(Tensor Hidden, Tensor? Cell);
