namespace Latent.Models;

/// <summary>
/// Marks a class saved as a Latent model file of <paramref name="kind"/> (the file's <c>latent.model</c>); the class
/// has a <c>public static T Open(string path)</c>. <see cref="ModelFile.Open"/> finds it by this attribute, so a new
/// model kind or application is registered by the file that defines it.
/// </summary>
/// <param name="kind">The kind written into the file, e.g. "dense".</param>
/// <param name="description">What it is, for messages: "a dense autoencoder".</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ModelKindAttribute(string kind, string description) : Attribute
{
    /// <summary>The kind written into the file, e.g. "dense".</summary>
    public string Kind { get; } = kind;
    /// <summary>What it is, for messages: "a dense autoencoder".</summary>
    public string Description { get; } = description;
}
