using System.Diagnostics;
using System.Globalization;
using Latent.Engine;
using Latent.Engine.Kernels.Convolution;

namespace Latent.Bench;

/// <summary>
/// `conv-layers`: forward and forward+backward time of each convolution of the conv-denoise model at batch 128, with
/// im2col + GEMM and with the direct stride-1 kernel, in GFLOP/s (2·out·in·KH·KW·OH·OW·batch per product); this is
/// how <see cref="DirectConvolution.Suits"/> was chosen. Also max pooling and nearest upsampling, in ms.
/// Options: --threads=N (1), --batch=N (128), --repeats=N (5).
/// </summary>
internal static class ConvLayerBenchmark
{
    private static readonly (int In, int Out, int Size, bool Same)[] Layers =
    [
        (1, 64, 28, true), (64, 32, 14, true), (32, 16, 7, true), (16, 16, 4, true), (16, 32, 8, true), (32, 64, 16, false), (64, 1, 28, true),
    ];

    public static int Run(string[] args)
    {
        int threads = BenchOptions.Int(args, "--threads", 1), batch = BenchOptions.Int(args, "--batch", 128), repeats = BenchOptions.Int(args, "--repeats", 5);
        Parallelism.Threads = threads;
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"# conv-layers: batch {batch}, {threads} thread(s), median CPU time of {repeats}; GFLOP/s forward | forward+backward");
        Console.WriteLine("| layer | im2col+GEMM fwd | im2col+GEMM fwd+bwd | direct fwd | direct fwd+bwd | auto picks (forward, backward) |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | --- |");
        var rng = new Rng(1);
        foreach (var (cin, cout, size, same) in Layers)
        {
            var x = Tensor.Uniform(rng, 0f, 1f, batch, cin, size, size);
            var w = Tensor.Uniform(rng, -0.1f, 0.1f, cout, cin, 3, 3);
            var b = Tensor.Zeros(cout);
            w.RequiresGrad = b.RequiresGrad = true;
            x.RequiresGrad = cin > 1;   // a first layer needs no input gradient
            Padding2d padding = same ? Padding2d.Same : Padding2d.Valid;
            int outSize = same ? size : size - 2;
            double flop = 2.0 * cout * cin * 9 * outSize * outSize * batch;
            var results = new List<string>();
            var forwardBackward = new Dictionary<ConvAlgorithm, double>();   // GFLOP/s
            foreach (ConvAlgorithm algorithm in new[] { ConvAlgorithm.Im2ColGemm, ConvAlgorithm.Direct })
            {
                ConvolutionJob.Algorithm = algorithm;
                double forward = Median(repeats, () =>
                {
                    using (Tensor.NoGrad()) Ops.Conv2d(x, w, b, padding: padding, activation: Activation.Relu).Dispose();
                });
                double both = Median(repeats, () =>
                {
                    Ops.Sum(Ops.Conv2d(x, w, b, padding: padding, activation: Activation.Relu)).Backward();
                    x.ZeroGrad();
                    w.ZeroGrad();
                    b.ZeroGrad();
                });
                double backwardFlop = flop * (x.RequiresGrad ? 2 : 1);
                results.Add((flop / forward / 1e9).ToString("F1", inv));
                forwardBackward[algorithm] = (flop + backwardFlop) / both / 1e9;
                results.Add(forwardBackward[algorithm].ToString("F1", inv));
            }
            ConvolutionJob.Algorithm = ConvAlgorithm.Auto;
            var geometry = new ConvGeometry(cin, size, size, 3, 3, 1, 1, 1, 1, 1, 1, outSize, outSize);
            string Pick(bool backward) => DirectConvolution.Suits(geometry, cout, backward) ? "direct" : "GEMM";
            string picks = $"{Pick(false)}, {Pick(true)}";
            Console.WriteLine($"| {cin}→{cout} {size}×{size}{(same ? " same" : "")} | {string.Join(" | ", results)} | {picks} |");
            Results.Add(new($"{cin}→{cout} {size}×{size} forward+backward, direct kernel", forwardBackward[ConvAlgorithm.Direct], "GFLOP/s", HigherIsBetter: true)
            {
                Peer = "im2col+GEMM", PeerValue = forwardBackward[ConvAlgorithm.Im2ColGemm], PeerKind = PeerKind.Baseline, Detail = true,
                Note = $"CPU time, {threads} thread(s), batch {batch}; auto picks {picks} (forward, backward)",
            });
        }

        var big = Tensor.Uniform(rng, 0f, 1f, batch, 64, 28, 28);
        big.RequiresGrad = true;
        var small = Tensor.Uniform(rng, 0f, 1f, batch, 64, 14, 14);
        small.RequiresGrad = true;
        Console.WriteLine(string.Create(inv, $"max-pool 2×2 {batch}×64×28×28: forward {Median(repeats, () => { using (Tensor.NoGrad()) Ops.MaxPool2d(big, 2).Dispose(); }) * 1e3:F2} ms, " +
            $"forward+backward {Median(repeats, () => { Ops.Sum(Ops.MaxPool2d(big, 2)).Backward(); big.ZeroGrad(); }) * 1e3:F2} ms"));
        Console.WriteLine(string.Create(inv, $"upsample ×2 {batch}×64×14×14: forward {Median(repeats, () => { using (Tensor.NoGrad()) Ops.Upsample(small, 2).Dispose(); }) * 1e3:F2} ms, " +
            $"forward+backward {Median(repeats, () => { Ops.Sum(Ops.Upsample(small, 2)).Backward(); small.ZeroGrad(); }) * 1e3:F2} ms"));
        return 0;
    }

    /// <summary>
    /// Median seconds of CPU time (this process, all threads) per call, after at least half a second of calls so that
    /// the JIT has optimised the hot methods. CPU time rather than wall time: this machine is often shared, and the
    /// comparison here is between kernels, not a wall-clock claim.
    /// </summary>
    private static double Median(int repeats, Action action)
    {
        long warm = Stopwatch.GetTimestamp();
        for (int i = 0; i < 3 || Stopwatch.GetElapsedTime(warm).TotalSeconds < 0.5; i++) action();
        var times = new double[repeats];
        var process = Process.GetCurrentProcess();
        for (int i = 0; i < repeats; i++)
        {
            process.Refresh();
            TimeSpan start = process.TotalProcessorTime;
            action();
            process.Refresh();
            times[i] = (process.TotalProcessorTime - start).TotalSeconds;
        }
        Array.Sort(times);
        return times[repeats / 2];
    }
}
