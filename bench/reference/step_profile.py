#!/usr/bin/python3
"""Where one warm training step's time goes in PyTorch, for the models the Latent benchmarks compare with.

What it measures
  The models, optimiser and batch of the shared reference scripts (shared/reference): dense_ae.py
  (784-128-64-32-64-128-784 ReLU/sigmoid, MSE, batch 256), hinton_ae.py (784-1000-500-250-30 logistic,
  BCE with logits, batch 256), vae.py (784-400-20, BCE + KL, batch 128) and conv_denoise.py (the Keras
  convolutional denoiser, BCE, batch 128); Adam 1e-3; MNIST training images (noisy inputs for the denoiser).
  Per model: --warm steps untimed, then --steps steps under torch.profiler (CPU activities). Each profiled
  operator of the calling thread is put in one kind, walking the operator tree from the top:
    gemm         aten::mm / addmm / bmm (inclusive time)
    convolution  any operator whose name contains "conv" (inclusive: oneDNN's GEMMs are inside it)
    loss         any operator whose name contains "loss" or "binary_cross_entropy" (inclusive)
    optimiser    Optimizer.step (inclusive)
    elementwise  every other aten:: operator (its self time; its children are classified on their own)
  Autograd-engine and Python time outside operators is framework overhead: wall time minus the kinds.
  The VAE's KL term is made of element-wise operators in PyTorch (ours is one fused loss op): it counts as
  element-wise here. Step time = the mean of --steps steps timed without the profiler; the profiler slows small
  operators down a lot, so the kinds are each kind's share of the next --steps profiled steps, times that step time.

Options: --models=dense,hinton,vae,conv  --warm=20  --steps=30  --threads=2  (+ shared/reference/common.py's)
Last stdout line: JSON {"models": {name: {"step_ms", "profiled_step_ms", "seconds": {kind: s per step}, "overhead_s"}}, + common keys}
Run: /usr/bin/python3 bench/reference/step_profile.py --threads=2   (LATENT_DATA names the data folder)
"""
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.environ.get("LATENT_REFERENCE") or os.path.join(HERE, "..", "..", "..", "shared", "reference"))
import common  # noqa: E402

common.maybe_reexec_blas()

KINDS = ("gemm", "convolution", "elementwise", "loss", "optimiser")


def build(name, torch, nn, F):
    """(model, loss(batch) -> tensor, batch size) exactly as the shared reference script builds them."""
    if name == "dense":
        model = nn.Sequential(
            nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(),
            nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 784), nn.Sigmoid())
        return model, lambda x, _: nn.functional.mse_loss(model(x), x), 256
    if name == "hinton":
        model = nn.Sequential(
            nn.Linear(784, 1000), nn.Sigmoid(), nn.Linear(1000, 500), nn.Sigmoid(), nn.Linear(500, 250), nn.Sigmoid(),
            nn.Linear(250, 30), nn.Linear(30, 250), nn.Sigmoid(), nn.Linear(250, 500), nn.Sigmoid(),
            nn.Linear(500, 1000), nn.Sigmoid(), nn.Linear(1000, 784))
        return model, lambda x, _: F.binary_cross_entropy_with_logits(model(x), x), 256
    if name == "vae":
        fc1, fc21, fc22, fc3, fc4 = (nn.Linear(784, 400), nn.Linear(400, 20), nn.Linear(400, 20),
                                     nn.Linear(20, 400), nn.Linear(400, 784))
        model = nn.ModuleList([fc1, fc21, fc22, fc3, fc4])

        def loss(x, _):
            h = F.relu(fc1(x))
            mu, logvar = fc21(h), fc22(h)
            z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
            r = torch.sigmoid(fc4(F.relu(fc3(z))))
            return F.binary_cross_entropy(r, x, reduction="sum") - 0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
        return model, loss, 128
    if name == "conv":
        model = nn.Sequential(
            nn.Conv2d(1, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2, ceil_mode=True),
            nn.Conv2d(64, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2, ceil_mode=True),
            nn.Conv2d(32, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2, ceil_mode=True),
            nn.Conv2d(16, 16, 3, padding=1), nn.ReLU(), nn.Upsample(scale_factor=2, mode="nearest"),
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.Upsample(scale_factor=2, mode="nearest"),
            nn.Conv2d(32, 64, 3, padding=0), nn.ReLU(), nn.Upsample(scale_factor=2, mode="nearest"),
            nn.Conv2d(64, 1, 3, padding=1), nn.Sigmoid())
        for mod in model:
            if isinstance(mod, nn.Conv2d):
                nn.init.xavier_uniform_(mod.weight)
                nn.init.zeros_(mod.bias)
        return model, lambda x, noisy: F.binary_cross_entropy(model(noisy), x), 128
    raise SystemExit(f"error: unknown model '{name}' (expected dense, hinton, vae or conv)")


def kind_of(name):
    if name.startswith("Optimizer.step"):
        return "optimiser"
    if name in ("aten::mm", "aten::addmm", "aten::bmm"):
        return "gemm"
    if "conv" in name:
        return "convolution"
    if "loss" in name or "binary_cross_entropy" in name:
        return "loss"
    if name.startswith("aten::"):
        return "elementwise"
    return None   # framework: the autograd engine, Python, profiler annotations


def classify(event, seconds):
    kind = kind_of(event.name)
    if kind in ("gemm", "convolution", "loss", "optimiser"):
        seconds[kind] += event.cpu_time_total / 1e6
        return
    if kind == "elementwise":
        seconds[kind] += event.self_cpu_time_total / 1e6
    for child in event.cpu_children:
        classify(child, seconds)


def profile(name, torch, nn, F, X, warm, steps):
    model, loss_of, batch = build(name, torch, nn, F)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    gen = torch.Generator().manual_seed(0)
    if name == "conv":
        X = X.view(-1, 1, 28, 28)
    noisy = (X + 0.5 * torch.randn(X.shape, generator=gen)).clamp(0, 1) if name == "conv" else X
    batches = [torch.randint(0, X.shape[0], (batch,), generator=gen) for _ in range(warm + 2 * steps)]

    def step(rows):
        opt.zero_grad()
        loss = loss_of(X[rows], noisy[rows])
        loss.backward()
        opt.step()
        return loss.item()

    for rows in batches[:warm]:
        step(rows)
    start = time.perf_counter()
    for rows in batches[warm:warm + steps]:
        step(rows)
    plain = (time.perf_counter() - start) / steps
    with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU]) as prof:
        start = time.perf_counter()
        for rows in batches[warm + steps:]:
            step(rows)
        wall = time.perf_counter() - start
    seconds = dict.fromkeys(KINDS, 0.0)
    main_thread = None
    for event in prof.events():
        if event.cpu_parent is None:
            main_thread = main_thread if main_thread is not None else event.thread
            if event.thread == main_thread:
                classify(event, seconds)
    # The profiler slows every operator down (a lot for small ones), so the kinds are its shares of the profiled
    # step, scaled to the step time measured without it.
    scale = plain / (wall / steps)
    per_step = {k: scale * v / steps for k, v in seconds.items()}
    return {"step_ms": 1e3 * plain, "profiled_step_ms": 1e3 * wall / steps, "seconds": per_step,
            "overhead_s": max(0.0, plain - sum(per_step.values()))}


def main():
    common.check_args(valued=("models", "warm", "steps"))
    models = common.arg("models", "dense,hinton,vae,conv").split(",")
    warm, steps = common.arg("warm", 20, int), common.arg("steps", 30, int)
    torch, _ = common.setup_torch(seed=0)
    import torch.nn as nn
    import torch.nn.functional as F

    log = common.Tee("step_profile")
    log(common.header("step_profile (one warm training step, torch.profiler)"))
    Xtr, _, _, _, note = common.load_mnist("mnist")
    log(f"# data: {note}; {warm} warm-up steps, then {steps} profiled steps per model; {torch.get_num_threads()} threads")
    X = torch.from_numpy(Xtr)
    result = {}
    for name in models:
        r = profile(name, torch, nn, F, X, warm, steps)
        shares = "  ".join(f"{k} {100 * r['seconds'][k] / (r['step_ms'] / 1e3):.0f}%" for k in KINDS)
        log(f"{name}: {r['step_ms']:.3f} ms/step ({r['profiled_step_ms']:.3f} profiled)  {shares}  overhead {100 * r['overhead_s'] / (r['step_ms'] / 1e3):.0f}%")
        result[name] = r
    log.finish({"models": result, "warm": warm, "steps": steps, "threads": torch.get_num_threads()})


if __name__ == "__main__":
    main()
