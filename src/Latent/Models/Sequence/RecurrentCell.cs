namespace Latent.Models.Sequence;

/// <summary>The recurrent cell of a sequence model.</summary>
public enum RecurrentCell
{
    /// <summary>Long short-term memory (Hochreiter &amp; Schmidhuber 1997): a cell state besides the hidden state.</summary>
    Lstm,

    /// <summary>Gated recurrent unit (Cho et al. 2014): three gates instead of four, no cell state; a quarter cheaper.</summary>
    Gru,
}
