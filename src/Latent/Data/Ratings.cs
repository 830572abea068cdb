namespace Latent.Data;

/// <summary>
/// Rows of (user, item, rating[, time]): what a <see cref="Applications.Recommendation.Recommender"/> learns from.
/// Users and items are ids as text (MovieLens numbers them; other data may not); ratings are finite numbers (1 for
/// every row of implicit feedback: a view, a click, a purchase); times are optional Unix seconds.
/// <see cref="RatingsFile.Read"/> reads MovieLens files and CSV.
/// </summary>
/// <example>
/// <code>
/// var ratings = new Ratings(["ann", "ann", "bob"], ["film-1", "film-2", "film-1"], [5f, 3f, 4f]);
/// </code>
/// </example>
public sealed class Ratings
{
    /// <summary>The rows, one per index of the arrays (the arrays are kept, not copied: do not change them afterwards).</summary>
    /// <exception cref="ArgumentException">The arrays differ in length, an id is empty, or a rating is not a finite number.</exception>
    public Ratings(string[] users, string[] items, float[] values, long[]? times = null)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(values);
        if (items.Length != users.Length || values.Length != users.Length || (times is not null && times.Length != users.Length))
            throw new ArgumentException($"Ratings need one user, item, rating{(times is null ? "" : " and time")} per row; got {users.Length} users, {items.Length} items, {values.Length} ratings{(times is null ? "" : $" and {times.Length} times")}.");
        for (int i = 0; i < users.Length; i++)
        {
            if (string.IsNullOrEmpty(users[i]) || string.IsNullOrEmpty(items[i])) throw new ArgumentException($"Rating row {i} has an empty user or item id.");
            if (!float.IsFinite(values[i])) throw new ArgumentException($"Rating row {i} (user {users[i]}, item {items[i]}) has the rating {values[i]}, which is not a finite number.");
        }
        Users = users;
        Items = items;
        Values = values;
        Times = times;
    }

    /// <summary>Each row's user id.</summary>
    public IReadOnlyList<string> Users { get; }

    /// <summary>Each row's item id.</summary>
    public IReadOnlyList<string> Items { get; }

    /// <summary>Each row's rating (1 for implicit feedback).</summary>
    public IReadOnlyList<float> Values { get; }

    /// <summary>Each row's time (Unix seconds), or null when the data has none.</summary>
    public IReadOnlyList<long>? Times { get; }

    /// <summary>The number of rows.</summary>
    public int Count => Users.Count;

    /// <summary>The rows at <paramref name="rows"/>, in that order (to split a file into training and validation parts).</summary>
    public Ratings Select(IEnumerable<int> rows)
    {
        int[] chosen = [.. rows];
        return new Ratings([.. chosen.Select(r => Users[r])], [.. chosen.Select(r => Items[r])], [.. chosen.Select(r => Values[r])],
            Times is null ? null : [.. chosen.Select(r => Times[r])]);
    }
}
