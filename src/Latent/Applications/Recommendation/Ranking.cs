namespace Latent.Applications.Recommendation;

/// <summary>The top of a ranking by score, leaving some items out.</summary>
internal static class Ranking
{
    /// <summary>
    /// The indices of the <paramref name="n"/> highest scores, highest first (ties: lower index first), leaving out the
    /// indices in <paramref name="excluded"/> (ascending). NaN scores rank last.
    /// </summary>
    public static int[] Top(ReadOnlySpan<float> scores, int n, ReadOnlySpan<int> excluded)
    {
        // A min-heap of the best n so far: its root is the weakest of them.
        var heap = new PriorityQueue<int, (float Score, int Index)>(n + 1, Comparer<(float Score, int Index)>.Create(Weaker));
        for (int i = 0; i < scores.Length; i++)
        {
            if (excluded.BinarySearch(i) >= 0) continue;
            float s = float.IsNaN(scores[i]) ? float.NegativeInfinity : scores[i];
            if (heap.Count < n) heap.Enqueue(i, (s, i));
            else if (heap.TryPeek(out _, out var weakest) && Weaker(weakest, (s, i)) < 0) heap.EnqueueDequeue(i, (s, i));
        }
        var top = new int[heap.Count];
        for (int k = top.Length - 1; k >= 0; k--) top[k] = heap.Dequeue();
        return top;
    }

    /// <summary>Negative when a ranks below b: a lower score, or the same score and a higher index.</summary>
    private static int Weaker((float Score, int Index) a, (float Score, int Index) b) =>
        a.Score != b.Score ? a.Score.CompareTo(b.Score) : b.Index.CompareTo(a.Index);
}
