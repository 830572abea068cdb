using Latent.Reporting;

namespace Latent.Tests.Reporting;

public class CountedTests
{
    [Theory]
    [InlineData(1, "seed", null, "1 seed")]
    [InlineData(0, "seed", null, "0 seeds")]
    [InlineData(5, "row", null, "5 rows")]
    [InlineData(60000, "row", null, "60,000 rows")]
    [InlineData(1, "anomaly", "anomalies", "1 anomaly")]
    [InlineData(12, "anomaly", "anomalies", "12 anomalies")]
    public void ACountAgreesWithItsNoun(long count, string one, string? many, string expected) => Assert.Equal(expected, Counted.Of(count, one, many));
}
