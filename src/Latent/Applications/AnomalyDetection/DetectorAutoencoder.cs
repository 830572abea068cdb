namespace Latent.Applications.AnomalyDetection;

/// <summary>The kind of the autoencoders in a detector's ensemble (<see cref="AnomalyOptions.Autoencoder"/>).</summary>
public enum DetectorAutoencoder
{
    /// <summary>Fully connected: a row, or a whole window, in one step.</summary>
    Dense,

    /// <summary>An LSTM encoder and decoder over the steps of each window (needs <see cref="AnomalyOptions.Window"/>).</summary>
    Lstm,
}
