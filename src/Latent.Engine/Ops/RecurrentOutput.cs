namespace Latent.Engine;

/// <summary>
/// What a recurrent layer returns for a sequence: the hidden state at every time step and the state it ends in.
/// </summary>
/// <param name="Output">[steps, batch, hidden]: the hidden state after each time step, in time order (also when the
/// layer reads the sequence backwards); zero at padded steps.</param>
/// <param name="Hidden">[batch, hidden]: the final hidden state (after each row's last real step).</param>
/// <param name="Cell">[batch, hidden]: the LSTM's final cell state; null for a GRU.</param>
public sealed record RecurrentOutput(Tensor Output, Tensor Hidden, Tensor? Cell);
