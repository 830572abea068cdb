using System.Reflection;

namespace Latent.Models;

/// <summary>The classes marked with <see cref="ModelKindAttribute"/> in Latent's assembly, found once.</summary>
internal static class ModelKinds
{
    public sealed record Entry(string Kind, string Description, Type Type, Func<string, object> Open);

    private static readonly Lazy<Dictionary<string, Entry>> All = new(Discover);

    public static Entry? Find(string kind) => All.Value.GetValueOrDefault(kind);

    /// <summary>"a dense autoencoder" for the kind marked on <typeparamref name="T"/>.</summary>
    public static ModelKindAttribute Of<T>() => Of(typeof(T));

    public static ModelKindAttribute Of(Type type) => type.GetCustomAttribute<ModelKindAttribute>()
        ?? throw new InvalidOperationException($"{type.Name} has no [ModelKind].");

    private static Dictionary<string, Entry> Discover()
    {
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (Type type in typeof(ModelKinds).Assembly.GetTypes())
        {
            if (type.GetCustomAttribute<ModelKindAttribute>() is not { } attribute) continue;
            MethodInfo open = type.GetMethod("Open", BindingFlags.Public | BindingFlags.Static, [typeof(string)])
                ?? throw new InvalidOperationException($"{type.Name} is marked [ModelKind(\"{attribute.Kind}\")] but has no public static Open(string).");
            entries.Add(attribute.Kind, new Entry(attribute.Kind, attribute.Description, type, path => Invoke(open, path)));
        }
        return entries;
    }

    /// <summary>Calls Open, letting its own exceptions (a damaged file) through rather than wrapped.</summary>
    private static object Invoke(MethodInfo open, string path)
    {
        try
        {
            return open.Invoke(null, [path])!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }
}
