using System.CommandLine;
using System.Globalization;
using System.Text;
using Latent.Demo;

namespace Latent.Cli.Verbs;

/// <summary>`latent demo`: trains the digits autoencoder, prints progress and a few reconstructions.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var epochs = new Option<int>("--epochs") { Description = "Training epochs.", DefaultValueFactory = _ => 60 };
        var seed = new Option<ulong>("--seed") { Description = "Random seed (same seed, same result).", DefaultValueFactory = _ => 0 };
        var command = new Command("demo", "Train a small autoencoder on the bundled 8x8 digits and show what it learned.") { epochs, seed };
        command.SetAction((parse, cancel) => Task.FromResult(Run(parse.GetValue(epochs), parse.GetValue(seed), cancel)));
        return command;
    }

    private static int Run(int epochs, ulong seed, CancellationToken cancel)
    {
        if (epochs < 1) throw new UsageException("--epochs must be at least 1.");
        Console.WriteLine("Training a 64-32-8-32-64 autoencoder on 1,437 of the bundled 8x8 digits; 360 held out.");
        DemoResult result = DigitsDemo.Run(epochs, seed, e =>
        {
            if (e.Epoch == 1 || e.Epoch == e.Epochs || e.Epoch % 10 == 0)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"epoch {e.Epoch,4}/{e.Epochs}  train loss {e.TrainLoss:F4}  held-out MSE {e.TestMse:F4}  {e.SamplesPerSecond,9:N0} samples/s"));
        }, cancel);

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Held-out reconstruction error {result.TestMse:F4} per pixel from a code of {result.CodeSize} numbers " +
            $"(always answering the mean image: {result.MeanImageMse:F4})."));
        Console.WriteLine("Held-out digits (left) and their reconstructions (right):");
        Console.WriteLine(Render(result.Examples));
        return 0;
    }

    private static string Render(IReadOnlyList<(float[] Original, float[] Reconstruction)> examples)
    {
        const string shades = " .:-=+*#%@";
        var sb = new StringBuilder();
        for (int row = 0; row < Data.Digits.Side; row++)
        {
            foreach (var (original, rebuilt) in examples)
            {
                foreach (float[] image in new[] { original, rebuilt })
                {
                    for (int col = 0; col < Data.Digits.Side; col++)
                    {
                        float v = Math.Clamp(image[row * Data.Digits.Side + col], 0f, 1f);
                        char c = shades[(int)MathF.Round(v * (shades.Length - 1))];
                        sb.Append(c).Append(c);
                    }
                    sb.Append("  ");
                }
                sb.Append("    ");
            }
            sb.AppendLine();
        }
        return sb.ToString();
    }
}
