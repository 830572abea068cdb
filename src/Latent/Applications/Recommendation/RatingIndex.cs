using Latent.Data;

namespace Latent.Applications.Recommendation;

/// <summary>
/// The users and items of a set of ratings numbered 0.. in order of first appearance, and every rating as
/// (user, item, value) numbers; a (user, item) pair rated twice keeps its later rating.
/// </summary>
internal sealed class RatingIndex
{
    private readonly Dictionary<string, int> _users, _items;

    private RatingIndex(string[] userIds, string[] itemIds, int[] users, int[] items, float[] values)
    {
        UserIds = userIds;
        ItemIds = itemIds;
        _users = Lookup(userIds);
        _items = Lookup(itemIds);
        User = users;
        Item = items;
        Value = values;
    }

    public string[] UserIds { get; }
    public string[] ItemIds { get; }
    public int[] User { get; }
    public int[] Item { get; }
    public float[] Value { get; }
    public int Count => User.Length;
    public int Users => UserIds.Length;
    public int Items => ItemIds.Length;

    public static RatingIndex Of(Ratings ratings)
    {
        var users = new Dictionary<string, int>(StringComparer.Ordinal);
        var items = new Dictionary<string, int>(StringComparer.Ordinal);
        var latest = new Dictionary<(int, int), int>();
        var u = new List<int>(ratings.Count);
        var i = new List<int>(ratings.Count);
        var v = new List<float>(ratings.Count);
        for (int row = 0; row < ratings.Count; row++)
        {
            int user = Number(users, ratings.Users[row]), item = Number(items, ratings.Items[row]);
            if (latest.TryGetValue((user, item), out int at))
            {
                v[at] = ratings.Values[row];
                continue;
            }
            latest[(user, item)] = u.Count;
            u.Add(user);
            i.Add(item);
            v.Add(ratings.Values[row]);
        }
        return new RatingIndex([.. users.Keys], [.. items.Keys], [.. u], [.. i], [.. v]);
    }

    /// <summary>Rebuilds an index from what <see cref="Recommender.Save"/> stored.</summary>
    public static RatingIndex Of(string[] userIds, string[] itemIds, int[] users, int[] items, float[] values) => new(userIds, itemIds, users, items, values);

    private static int Number(Dictionary<string, int> ids, string id)
    {
        if (!ids.TryGetValue(id, out int n)) ids[id] = n = ids.Count;
        return n;
    }

    private static Dictionary<string, int> Lookup(string[] ids)
    {
        var lookup = new Dictionary<string, int>(ids.Length, StringComparer.Ordinal);
        for (int n = 0; n < ids.Length; n++) lookup[ids[n]] = n;
        return lookup;
    }

    /// <summary>The user's number, or −1 for a user without training ratings.</summary>
    public int UserOf(string id) => _users.GetValueOrDefault(id, -1);

    /// <summary>The item's number, or −1 for an item without training ratings.</summary>
    public int ItemOf(string id) => _items.GetValueOrDefault(id, -1);

    /// <summary>Items (rows) by users (columns), holding the ratings or <paramref name="values"/> (one per rating).</summary>
    public RatingMatrix ByItem(float[]? values = null) => RatingMatrix.FromEntries(Items, Users, Item, User, values ?? Value);

    /// <summary>Users (rows) by items (columns), holding the ratings or <paramref name="values"/> (one per rating).</summary>
    public RatingMatrix ByUser(float[]? values = null) => RatingMatrix.FromEntries(Users, Items, User, Item, values ?? Value);
}
