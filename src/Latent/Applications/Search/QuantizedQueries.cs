namespace Latent.Applications.Search;

/// <summary>
/// Queries turned into what <see cref="QuantizedScan"/> multiplies with byte codes, padded to whole blocks of
/// <see cref="PanelScan.QueryBlock"/>. With a code value x_j = low_j + step_j · c_j, the squared distance to q is
/// Σ (step_j c_j)² + Σ w_j c_j + a constant of the query, where w_j = 2 step_j (low_j − q_j); the cosine score is
/// −(Σ q_j low_j + Σ w_j c_j) / ‖x‖ with w_j = q_j step_j (q of unit length). The weights w are rounded to signed bytes
/// (the largest to ±127) and <see cref="Scale"/> turns their integer dot product back; what remains of the
/// rounding moves each code's score by an amount that grows with how far its bytes are from the middle, small against
/// the gaps between neighbours once the candidates are re-ranked on the full codes.
/// </summary>
internal sealed class QuantizedQueries
{
    public QuantizedQueries(QuantizedCodes codes, ReadOnlySpan<float> queries, int count, DistanceMetric metric)
    {
        int dim = codes.Dimension, groups = codes.Groups, padded = (count + PanelScan.QueryBlock - 1) / PanelScan.QueryBlock * PanelScan.QueryBlock;
        Cosine = metric == DistanceMetric.Cosine;
        Weights = new int[padded * groups];
        Scale = new float[padded];
        Offset = new float[padded];
        var w = new float[dim];
        for (int query = 0; query < padded; query++)
        {
            ReadOnlySpan<float> q = queries.Slice(Math.Min(query, count - 1) * dim, dim);   // padding repeats the last query
            float largest = 0, offset = 0;
            for (int j = 0; j < dim; j++)
            {
                w[j] = Cosine ? q[j] * codes.Steps[j] : 2 * codes.Steps[j] * (codes.Lows[j] - q[j]);
                offset += q[j] * codes.Lows[j];
                largest = Math.Max(largest, Math.Abs(w[j]));
            }
            float scale = largest > 0 ? largest / 127 : 1;
            double rounding = 0;
            for (int j = 0; j < dim; j++)
            {
                int b = (int)Math.Clamp(MathF.Round(w[j] / scale), -127, 127);
                Weights[query * groups + j / QuantizedCodes.GroupValues] |= (b & 0xFF) << (8 * (j % QuantizedCodes.GroupValues));
                rounding += w[j] - (double)scale * b;
            }
            Scale[query] = scale;
            // The rounding of the weights moves every code's dot product by Σ rounding_j · c_j; its part at mid-range bytes,
            // 128 Σ rounding_j, is the same for every code and is put back here. That matters for cosine, whose scores are
            // divided by each code's norm; for squared distances it would be a constant, which ranks nothing.
            Offset[query] = Cosine ? (float)(offset + 128 * rounding) : 0;
        }
    }

    /// <summary>[query][group]: four signed bytes per int, value j of the group in byte j.</summary>
    public int[] Weights { get; }

    /// <summary>Per query, what one unit of the integer dot product is worth.</summary>
    public float[] Scale { get; }

    /// <summary>Per query, the cosine score's Σ q_j low_j (0 for Euclidean).</summary>
    public float[] Offset { get; }

    /// <summary>Whether the scores are cosine distances (else squared Euclidean).</summary>
    public bool Cosine { get; }
}
