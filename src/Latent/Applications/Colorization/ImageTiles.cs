namespace Latent.Applications.Colorization;

/// <summary>
/// Overlapping tiles over a large image, and the weights that blend their predictions: each tile's weight rises linearly
/// across the overlap from its border, so a pixel moves smoothly from one tile's prediction to the next one's and no seam
/// shows where a tile ends (where its prediction is least reliable: the network saw zero padding there).
/// </summary>
internal static class ImageTiles
{
    /// <summary>
    /// (start, length) of the tiles along one axis of <paramref name="size"/> pixels: tiles of <paramref name="tile"/> pixels
    /// sharing <paramref name="overlap"/>, each starting at a multiple of <paramref name="align"/> (so that a network that
    /// halves the image sees the same pixel grid in every tile); the last one reaches the end and may be up to
    /// align − 1 pixels longer. One tile when the image fits.
    /// </summary>
    public static List<(int Start, int Length)> Along(int size, int tile, int overlap, int align)
    {
        var tiles = new List<(int, int)>();
        if (size <= tile)
        {
            tiles.Add((0, size));
            return tiles;
        }
        int step = Math.Max(align, (tile - overlap) / align * align);
        for (int start = 0; ; start += step)
        {
            if (start + tile >= size)
            {
                int last = Math.Max(0, (size - tile) / align * align);
                if (tiles.Count == 0 || last > tiles[^1].Item1) tiles.Add((last, size - last));
                else tiles[^1] = (tiles[^1].Item1, size - tiles[^1].Item1);
                return tiles;
            }
            tiles.Add((start, tile));
        }
    }

    /// <summary>
    /// The blending weight of each position of a tile along one axis: 1 inside, falling linearly towards a border the tile
    /// shares with a neighbour (over <paramref name="overlap"/> pixels, never to 0); the image's own borders keep weight 1.
    /// </summary>
    public static float[] Ramp(int length, int overlap, bool before, bool after)
    {
        var w = new float[length];
        for (int i = 0; i < length; i++)
        {
            float v = 1;
            if (before && overlap > 0) v = Math.Min(v, (i + 1f) / (overlap + 1));
            if (after && overlap > 0) v = Math.Min(v, (length - i) / (overlap + 1f));
            w[i] = v;
        }
        return w;
    }
}
