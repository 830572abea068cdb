using Latent.Engine;

namespace Latent.Data;

/// <summary>Creating and loading <see cref="IScaler"/>s by kind name.</summary>
public static class Scalers
{
    /// <summary>The kind names there are: <c>min-max</c>, <c>standard</c> and <c>robust</c>.</summary>
    public static IReadOnlyList<string> Kinds { get; } = [MinMaxScaler.KindName, StandardScaler.KindName, RobustScaler.KindName];

    /// <summary>Fits the scaler named <paramref name="kind"/> on <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">The kind is unknown (the message lists the known ones), or the data cannot be fitted.</exception>
    public static IScaler Fit(string kind, Tensor data) => kind switch
    {
        MinMaxScaler.KindName => MinMaxScaler.Fit(data),
        StandardScaler.KindName => StandardScaler.Fit(data),
        RobustScaler.KindName => RobustScaler.Fit(data),
        _ => throw new ArgumentException($"Unknown scaler '{kind}'; the known ones are {string.Join(", ", Kinds)}.", nameof(kind)),
    };

    /// <summary>The scaler that <see cref="IScaler.ToJson"/> wrote.</summary>
    /// <exception cref="InvalidDataException">The text is not a scaler's JSON.</exception>
    public static IScaler FromJson(string json)
    {
        ScalerJson dto = DataJsonContext.Parse(json, DataJsonContext.Default.ScalerJson, "scaler");
        if (dto.Offset is null || dto.Divisor is null || dto.Offset.Length != dto.Divisor.Length || dto.Offset.Length == 0)
            throw new InvalidDataException("The scaler JSON needs 'offset' and 'divisor' arrays of the same, non-zero length.");
        if (dto.Divisor.Any(d => !(double.IsFinite(d) && d != 0)) || dto.Offset.Any(o => !double.IsFinite(o)))
            throw new InvalidDataException("The scaler JSON holds a zero or non-finite divisor or offset.");
        return dto.Kind switch
        {
            MinMaxScaler.KindName => MinMaxScaler.FromParameters(dto.Offset, dto.Divisor),
            StandardScaler.KindName => StandardScaler.FromParameters(dto.Offset, dto.Divisor),
            RobustScaler.KindName => RobustScaler.FromParameters(dto.Offset, dto.Divisor),
            _ => throw new InvalidDataException($"The scaler JSON names the kind '{dto.Kind}'; the known ones are {string.Join(", ", Kinds)}."),
        };
    }
}
