using Latent.Engine.Diagnostics;

namespace Latent.Engine.Autograd;

/// <summary>
/// Reverse-mode differentiation over the graph that operations recorded: orders the graph topologically
/// from the loss, then runs each node's backward rule in reverse order. A node's gradient and its
/// intermediate storage go back to the pool as soon as its rule has run, which keeps memory bounded.
/// </summary>
internal static class Backprop
{
    private static int _stamp;

    public static void Run(Tensor root)
    {
        if (root.Length != 1)
            throw new InvalidOperationException(
                $"Backward() needs a scalar loss; this tensor has shape {Shapes.Format(root.ShapeArray)}. Reduce it first, e.g. with Sum() or Mean().");
        if (!root.TracksGrad)
            throw new InvalidOperationException(
                "Backward() was called on a tensor that does not depend on anything that requires gradients (or was computed under NoGrad).");

        List<Tensor> order = TopologicalOrder(root);
        root.GradTarget(out _).Fill(1f);
        for (int i = order.Count - 1; i >= 0; i--)
        {
            Tensor node = order[i];
            GradFn? fn = node.GradFn;
            if (fn is null) continue; // a leaf: its gradient is the result
            Tensor? grad = node.Grad;
            if (grad is not null)
            {
                // A node's own work is element-wise; the GEMMs, convolutions and losses inside it count as theirs.
                using var profile = StepProfiler.Measure(WorkKind.Elementwise);
                fn.Backward(node, grad.Span);
            }
            fn.ReleaseSaved();
            node.ReleaseGrad();
            node.GradFn = null;
            if (node != root && node.Length > 1) node.Dispose(); // keep scalars: users read partial losses
        }
    }

    /// <summary>Nodes such that every node comes after all of its inputs (iterative DFS; graphs can be deep).</summary>
    private static List<Tensor> TopologicalOrder(Tensor root)
    {
        int stamp = Interlocked.Increment(ref _stamp);
        var order = new List<Tensor>();
        var stack = new Stack<(Tensor Node, int NextInput)>();
        root.VisitStamp = stamp;
        stack.Push((root, 0));
        while (stack.Count > 0)
        {
            var (node, next) = stack.Pop();
            Tensor[] inputs = node.GradFn?.Inputs ?? [];
            if (next < inputs.Length)
            {
                stack.Push((node, next + 1));
                Tensor input = inputs[next];
                if (input.TracksGrad && input.VisitStamp != stamp)
                {
                    input.VisitStamp = stamp;
                    stack.Push((input, 0));
                }
            }
            else
            {
                order.Add(node);
            }
        }
        return order;
    }
}
