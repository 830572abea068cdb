using Latent.Engine;

namespace Latent.Data;

/// <summary>
/// A fitted per-column scaling of rows [rows, columns]. Transforms return new tensors and never change their
/// input; NaN cells (missing values) stay NaN. Save a scaler with <see cref="ToJson"/> and load it with
/// <see cref="Scalers.FromJson"/>.
/// </summary>
public interface IScaler
{
    /// <summary>The scaler's name in JSON and on the command line: <c>min-max</c> or <c>standard</c>.</summary>
    string Kind { get; }

    /// <summary>The number of columns it was fitted on.</summary>
    int Columns { get; }

    /// <summary>The scaled copy of <paramref name="data"/> [rows, <see cref="Columns"/>].</summary>
    /// <exception cref="ArgumentException">The shape is not [rows, <see cref="Columns"/>].</exception>
    Tensor Transform(Tensor data);

    /// <summary>The unscaled copy of <paramref name="scaled"/>: <c>InverseTransform(Transform(x)) ≈ x</c>.</summary>
    /// <exception cref="ArgumentException">The shape is not [rows, <see cref="Columns"/>].</exception>
    Tensor InverseTransform(Tensor scaled);

    /// <summary>The fitted scaler as JSON, for a model file's metadata.</summary>
    string ToJson();
}
