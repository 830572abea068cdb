using System.Globalization;
using System.Text;
using Latent.Demo;

namespace Latent.Cli;

/// <summary>`latent demo`: trains the digits autoencoder, prints progress and a few reconstructions.</summary>
internal static class DemoCommand
{
    public static int Run(Options options, CancellationToken cancel)
    {
        int epochs = options.Int("--epochs", 60, min: 1, max: 100_000);
        ulong seed = options.ULong("--seed", 0);
        options.EnsureAllUsed();

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
