using System.CommandLine;

namespace Latent.Cli.Verbs;

/// <summary>
/// The options of a verb that fits something and can apply a saved one instead (impute, reduce, cluster): --save
/// keeps what was fitted, --model applies it to new data, and the options that only shape fitting are refused with --model.
/// </summary>
internal static class FitOrApply
{
    /// <param name="what">"imputer", "reducer", ...</param>
    /// <param name="verb">The verb, for the help text.</param>
    public static Option<string?> Save(string what, string verb) => new("--save")
    {
        Description = $"Also save the fitted {what} (.safetensors), to apply it to new data with 'latent {verb} --model'.",
    };

    public static Option<string?> Model(string what, string verb) => new("--model")
    {
        Description = $"Apply the {what} file saved by 'latent {verb} --save' instead of fitting one.",
    };

    /// <summary>With --model, refuses the first of <paramref name="fitting"/> given on the command line (a default does not count).</summary>
    /// <exception cref="UsageException">One of them was given.</exception>
    public static void RefuseFittingOptions(ParseResult parse, string what, params IEnumerable<Option> fitting)
    {
        if (fitting.Select(parse.GetResult).FirstOrDefault(r => r is { Implicit: false }) is { } given)
        {
            string name = given.IdentifierToken?.Value ?? given.Option.Name;   // as typed: --clusters or -k
            throw new UsageException($"{name} is a setting for fitting, and --model applies the saved {what} as it was fitted; leave {name} out.");
        }
    }
}
