namespace Latent.Applications.Recommendation;

/// <summary>One recommended item: its id and score (a predicted rating for explicit feedback, the chance of an interaction for implicit).</summary>
/// <param name="Item">The item's id.</param>
/// <param name="Score">What the ranking is by: higher first.</param>
public sealed record RecommendedItem(string Item, float Score);
