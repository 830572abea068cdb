using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Latent.Cli;

/// <summary>
/// System.CommandLine's parse errors as sentences for a user: "--epochs must be a whole number, not 'abc'" rather than
/// "Cannot parse argument 'abc' for option '--epochs' as expected type 'System.Int32'". No .NET type name gets through.
/// </summary>
internal static partial class ParseErrors
{
    /// <summary>The one error to show (an unrecognised token first: it names what the user mistyped), as a sentence without its full stop.</summary>
    public static string Describe(IReadOnlyList<ParseError> errors)
    {
        ParseError first = errors.OrderBy(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal) ? 0 : 1).First();
        return Describe(first).TrimEnd('.');
    }

    public static string Describe(ParseError error)
    {
        OptionResult? option = error.SymbolResult as OptionResult ?? error.SymbolResult?.Parent as OptionResult;
        string? name = option?.IdentifierToken?.Value ?? option?.Option.Name;
        if (option is not null && name is not null)
        {
            Type type = Nullable.GetUnderlyingType(option.Option.ValueType) ?? option.Option.ValueType;
            if (type.IsArray) type = type.GetElementType()!;
            if (WhatItTakes(type) is { } takes && error.SymbolResult!.Tokens.FirstOrDefault(t => !Parses(type, t.Value)) is { } bad)
                return $"{name} must be {takes}, not '{bad.Value}'";
            if (NotAmong().Match(error.Message) is { Success: true } m)
            {
                string[] choices = [.. Quoted().Matches(m.Groups["choices"].Value).Select(c => c.Groups[1].Value)];
                return $"{name} must be one of {string.Join(", ", choices)}, not '{m.Groups["value"].Value}'";
            }
        }
        if (Required().Match(error.Message) is { Success: true } required) return $"{required.Groups[1].Value} is required";
        if (NoValue().Match(error.Message) is { Success: true } missing) return $"{missing.Groups[1].Value} needs a value";
        return TypeName().Replace(error.Message, "");
    }

    private static string? WhatItTakes(Type type) =>
        type == typeof(int) || type == typeof(long) ? "a whole number"
        : type == typeof(uint) || type == typeof(ulong) ? "a whole number of 0 or more"
        : type == typeof(float) || type == typeof(double) ? "a number"
        : null;

    private static bool Parses(Type type, string text)
    {
        var inv = CultureInfo.InvariantCulture;
        return type == typeof(int) ? int.TryParse(text, NumberStyles.Integer, inv, out _)
            : type == typeof(long) ? long.TryParse(text, NumberStyles.Integer, inv, out _)
            : type == typeof(uint) ? uint.TryParse(text, NumberStyles.Integer, inv, out _)
            : type == typeof(ulong) ? ulong.TryParse(text, NumberStyles.Integer, inv, out _)
            : type == typeof(float) ? float.TryParse(text, NumberStyles.Float, inv, out _)
            : double.TryParse(text, NumberStyles.Float, inv, out _);
    }

    [GeneratedRegex(@"^Argument '(?<value>.*)' not recognized\. Must be one of:(?<choices>.*)$", RegexOptions.Singleline)]
    private static partial Regex NotAmong();

    [GeneratedRegex("'([^']*)'")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"^Option '(.+)' is required\.$")]
    private static partial Regex Required();

    [GeneratedRegex(@"^Required argument missing for option: '(.+)'\.$")]
    private static partial Regex NoValue();

    /// <summary>A .NET type name in a message we have no better sentence for.</summary>
    [GeneratedRegex(@" as expected type '[^']*'")]
    private static partial Regex TypeName();
}
