"""Latent model files in PyTorch, and PyTorch-trained models as Latent model files.

A Latent model file is safetensors: an 8-byte little-endian header length, a JSON header (each tensor's dtype,
shape and byte range, plus "__metadata__"), then the raw little-endian float32 tensors. The metadata says what the
model is: latent.format "1", latent.model (dense, conv or vae), latent.config (the architecture as JSON, the
*Config record of src/Latent/Models in snake_case), latent.scaler (optional {"kind", "offset", "divisor"}: rows are
scaled as (x - offset) / divisor before the encoder and back after the decoder) and latent.image (optional
[channels, height, width]). Tensors are named as the modules nest: encoder.0.weight, decoder.3.bias, ...

This script reads such a file with the standard library and numpy, builds the same network in PyTorch and runs it;
and it trains a model in PyTorch and writes it in the same layout, which ModelFile.Open reads like any other.

  /usr/bin/python3 bench/reference/latent_torch.py run JOBS.json
      JOBS.json: [{"model": "m.safetensors", "part": "encoder|decoder|all", "inputs": {"rows"|"code": "x.f32",
      "label": "y.f32"}, "output": "out.f32"}]; inputs and outputs are raw float32 rows (labels one-hot).
  /usr/bin/python3 bench/reference/latent_torch.py train --kind dense --config '{"inputs": 64, ...}' --data x.f32
      --out m.safetensors [--steps 200] [--reconstruction y.f32]
      trains a dense or convolutional autoencoder on the rows of x.f32 (Adam, batches of 64, MSE or, for a model whose
      loss is BinaryCrossEntropy, binary cross-entropy on logits), writes the Latent file, and optionally the model's
      reconstruction of those rows.

Needs numpy and torch (Debian: python3-numpy python3-torch); the tests run it with /usr/bin/python3.
"""
import argparse
import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

FORMAT_VERSION = "1"


# ---------------------------------------------------------------- safetensors

def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    metadata = header.pop("__metadata__", {})
    base = 8 + length
    tensors = {}
    for name, entry in header.items():
        if entry["dtype"] != "F32":
            raise ValueError(f"{path}: tensor {name} is {entry['dtype']}; Latent files hold F32")
        start, end = entry["data_offsets"]
        tensors[name] = np.frombuffer(data[base + start:base + end], dtype="<f4").reshape(entry["shape"]).copy()
    return tensors, metadata


def write_safetensors(path, tensors, metadata):
    header, offset, blobs = {"__metadata__": metadata}, 0, []
    for name, value in tensors.items():
        blob = np.ascontiguousarray(value, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(value.shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)   # 8-byte aligned data, as safetensors writers do
    temp = f"{path}.{os.getpid()}.tmp"
    with open(temp, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))
    os.replace(temp, path)   # atomic, like Latent's own saves


# ---------------------------------------------------------------- layers named and computed as Latent's

def activate(x, name):
    return {
        "Identity": lambda v: v, "Relu": F.relu, "LeakyRelu": lambda v: F.leaky_relu(v, 0.01), "Elu": F.elu,
        "Sigmoid": torch.sigmoid, "Tanh": torch.tanh, "Softplus": F.softplus,
    }[name](x)


def same_padding(size, span, stride):
    """The engine's "same": ceil(size / stride) outputs, the odd padding at the bottom or right."""
    outputs = (size + stride - 1) // stride
    total = max((outputs - 1) * stride + span - size, 0)
    return total // 2, total - total // 2


class Linear(nn.Module):
    def __init__(self, inputs, outputs, activation="Identity"):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(outputs, inputs))
        self.bias = nn.Parameter(torch.zeros(outputs))
        nn.init.kaiming_uniform_(self.weight, a=5 ** 0.5)   # PyTorch's nn.Linear start
        self.activation = activation

    def forward(self, x):
        return activate(F.linear(x, self.weight, self.bias), self.activation)


class Conv(nn.Module):
    """A convolution with explicit (top, bottom, left, right) zero padding, or "same" resolved per input size."""

    def __init__(self, inputs, outputs, kernel, stride=1, padding=(0, 0, 0, 0), activation="Identity"):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(outputs, inputs, kernel, kernel))
        self.bias = nn.Parameter(torch.zeros(outputs))
        nn.init.kaiming_uniform_(self.weight, a=5 ** 0.5)
        self.kernel, self.stride, self.padding, self.activation = kernel, stride, padding, activation

    def forward(self, x):
        if self.padding == "same":
            top, bottom = same_padding(x.shape[2], self.kernel, self.stride)
            left, right = same_padding(x.shape[3], self.kernel, self.stride)
        else:
            top, bottom, left, right = self.padding
        x = F.pad(x, (left, right, top, bottom))
        return activate(F.conv2d(x, self.weight, self.bias, stride=self.stride), self.activation)


class ConvTranspose(nn.Module):
    """A transposed convolution with "same" padding: input * stride positions, the overhang cut evenly."""

    def __init__(self, inputs, outputs, kernel, stride, activation="Identity"):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(inputs, outputs, kernel, kernel))
        self.bias = nn.Parameter(torch.zeros(outputs))
        nn.init.kaiming_uniform_(self.weight, a=5 ** 0.5)
        self.kernel, self.stride, self.activation = kernel, stride, activation

    def forward(self, x):
        full = F.conv_transpose2d(x, self.weight, stride=self.stride)
        top = max(self.kernel - self.stride, 0) // 2
        height, width = x.shape[2] * self.stride, x.shape[3] * self.stride
        full = F.pad(full, (0, max(top + width - full.shape[3], 0), 0, max(top + height - full.shape[2], 0)))
        y = full[:, :, top:top + height, top:top + width] + self.bias.view(1, -1, 1, 1)
        return activate(y, self.activation)


class BatchNorm(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(channels))
        self.bias = nn.Parameter(torch.zeros(channels))
        self.register_buffer("running_mean", torch.zeros(channels))
        self.register_buffer("running_var", torch.ones(channels))

    def forward(self, x):
        return F.batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias, self.training, 0.1, 1e-5)


class Act(nn.Module):
    def __init__(self, activation):
        super().__init__()
        self.activation = activation

    def forward(self, x):
        return activate(x, self.activation)


class MaxPoolSame(nn.Module):
    def forward(self, x):
        top, bottom = same_padding(x.shape[2], 2, 2)
        left, right = same_padding(x.shape[3], 2, 2)
        return F.max_pool2d(F.pad(x, (left, right, top, bottom), value=float("-inf")), 2)


class Upsample(nn.Module):
    def __init__(self, mode):
        super().__init__()
        self.mode = mode

    def forward(self, x):
        if self.mode == "nearest":
            return F.interpolate(x, scale_factor=2, mode="nearest")
        return F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)


class Reshape(nn.Module):
    def __init__(self, *shape):
        super().__init__()
        self.shape = shape

    def forward(self, x):
        return x.reshape(x.shape[0], *self.shape)


class CenterCrop(nn.Module):
    def __init__(self, height, width):
        super().__init__()
        self.height, self.width = height, width

    def forward(self, x):
        top, left = (x.shape[2] - self.height) // 2, (x.shape[3] - self.width) // 2
        return x[:, :, top:top + self.height, left:left + self.width]


# ---------------------------------------------------------------- the three model kinds, as src/Latent/Models builds them

def dense_layers(c):
    code_activation = "Sigmoid" if c.get("sparsity") == "KullbackLeibler" else c.get("code_activation", "Identity")
    widths = [c["inputs"], *c.get("hidden", [128, 64]), c.get("code_size", 32)]
    last = "Identity" if logits(c) else c.get("output", "Sigmoid")
    activation = c.get("activation", "Relu")
    encoder = [Linear(widths[i], widths[i + 1], code_activation if i + 2 == len(widths) else activation) for i in range(len(widths) - 1)]
    decoder = [Linear(widths[i], widths[i - 1], last if i == 1 else activation) for i in range(len(widths) - 1, 0, -1)]
    return encoder, decoder


def valid_levels(code, target, levels, kernel, upsampling):
    """ConvAutoencoder.ValidLevels: which decoder levels use an unpadded convolution to land on the image size."""
    if upsampling == "TransposedConv" or kernel == 1 or levels > 16:
        return [False] * levels
    for mask in range(1 << levels):
        size = code
        for level in range(levels):
            if size <= 0:
                break
            if (mask >> (levels - 1 - level)) & 1:
                size -= kernel - 1
            size *= 2
        if size == target:
            return [bool((mask >> (levels - 1 - level)) & 1) for level in range(levels)]
    return [False] * levels


def conv_layers(c):
    k, batch_norm = c.get("kernel_size", 3), c.get("batch_norm", False)
    activation = c.get("activation", "Relu")
    hidden = "Identity" if batch_norm else activation
    same = ((k - 1) // 2, k - 1 - (k - 1) // 2, (k - 1) // 2, k - 1 - (k - 1) // 2)

    def add_conv(stack, conv, filters):
        stack.append(conv)
        if batch_norm:
            stack += [BatchNorm(filters), Act(activation)]

    encoder, channels, height, width = [], c["channels"], c["height"], c["width"]
    for filters in c.get("filters", [64, 32, 16]):
        if c.get("downsampling", "MaxPool") == "MaxPool":
            add_conv(encoder, Conv(channels, filters, k, 1, same, hidden), filters)
            encoder.append(MaxPoolSame())
        else:
            add_conv(encoder, Conv(channels, filters, k, 2, "same", hidden), filters)
        channels, height, width = filters, (height + 1) // 2, (width + 1) // 2
    code_shape, spatial = (channels, height, width), channels * height * width
    decoder = []
    if c.get("code_size") is not None:
        encoder += [Reshape(spatial), Linear(spatial, c["code_size"])]
        decoder += [Linear(c["code_size"], spatial, activation), Reshape(*code_shape)]
    decoder_filters = c.get("decoder_filters") or list(reversed(c.get("filters", [64, 32, 16])))
    upsampling = c.get("upsampling", "Nearest")
    rows = valid_levels(height, c["height"], len(decoder_filters), k, upsampling)
    columns = valid_levels(width, c["width"], len(decoder_filters), k, upsampling)
    for level, filters in enumerate(decoder_filters):
        if upsampling == "TransposedConv":
            add_conv(decoder, ConvTranspose(channels, filters, k, 2, hidden), filters)
            height, width = 2 * height, 2 * width
        else:
            pad = ((0, 0) if rows[level] else same[:2]) + ((0, 0) if columns[level] else same[2:])
            add_conv(decoder, Conv(channels, filters, k, 1, pad, hidden), filters)
            decoder.append(Upsample("bilinear" if upsampling == "Bilinear" else "nearest"))
            height = 2 * (height - (k - 1) if rows[level] else height)
            width = 2 * (width - (k - 1) if columns[level] else width)
        channels = filters
    decoder.append(Conv(channels, c["channels"], k, 1, same, "Identity" if logits(c) else c.get("output", "Sigmoid")))
    if (height, width) != (c["height"], c["width"]):
        decoder.append(CenterCrop(c["height"], c["width"]))
    return encoder, decoder, code_shape


def vae_layers(c):
    code, classes, activation = c.get("code_size", 20), c.get("classes", 0), c.get("activation", "Relu")
    image = c.get("image")
    if image is None:
        widths = [c["inputs"] + classes, *c.get("hidden", [400])]
        encoder = [Linear(widths[i], widths[i + 1], activation) for i in range(len(widths) - 1)] + [Linear(widths[-1], 2 * code)]
        back = [code + classes, *reversed(c.get("hidden", [400]))]
        decoder = [Linear(back[i], back[i + 1], activation) for i in range(len(back) - 1)] + [Linear(back[-1], c["inputs"])]
        return encoder, decoder
    k, filters = c.get("kernel_size", 3), c.get("filters", [32, 64])
    channels, height, width = image["channels"], image["height"], image["width"]
    encoder = [Reshape(channels, height, width)]
    for f in filters:
        encoder.append(Conv(channels, f, k, 2, "same", activation))
        channels, height, width = f, height // 2, width // 2
    flat = channels * height * width
    encoder += [Reshape(flat), Linear(flat, 2 * code)]
    decoder = [Linear(code + classes, flat, activation), Reshape(channels, height, width)]
    for f in [*list(reversed(filters))[1:], filters[0]]:
        decoder.append(ConvTranspose(channels, f, k, 2, activation))
        channels = f
    pad = (k - 1) // 2
    decoder += [Conv(channels, image["channels"], k, 1, (pad, k - 1 - pad, pad, k - 1 - pad)), Reshape(image["channels"] * image["height"] * image["width"])]
    return encoder, decoder


def logits(c):
    return c.get("loss") == "BinaryCrossEntropy"


class LatentModel(nn.Module):
    """One Latent autoencoder: encoder and decoder named as in its file, with its scaling and output rule."""

    def __init__(self, kind, config, scaler=None):
        super().__init__()
        self.kind, self.config = kind, config
        self.code_shape = None
        if kind == "dense":
            encoder, decoder = dense_layers(config)
        elif kind == "conv":
            encoder, decoder, self.code_shape = conv_layers(config)
        elif kind == "vae":
            encoder, decoder = vae_layers(config)
            if config.get("likelihood") == "Gaussian":
                self.log_scale = nn.Parameter(torch.zeros(config["inputs"]))
        else:
            raise ValueError(f"this script knows dense, conv and vae models, not {kind}")
        self.encoder, self.decoder = nn.Sequential(*encoder), nn.Sequential(*decoder)
        self.offset = self.divisor = None
        if scaler is not None:
            self.offset = torch.tensor(scaler["offset"], dtype=torch.float32)
            self.divisor = torch.tensor(scaler["divisor"], dtype=torch.float32)

    @property
    def code_size(self):
        c = self.config
        if self.kind == "conv" and c.get("code_size") is None:
            return int(np.prod(self.code_shape))
        return c.get("code_size", 32 if self.kind == "dense" else 20)

    def scale(self, x):
        return x if self.offset is None else (x - self.offset) / self.divisor

    def unscale(self, y):
        return y if self.offset is None else y * self.divisor + self.offset

    def encode(self, rows, label=None):
        c = self.config
        if self.kind == "conv":
            h = self.encoder(rows.reshape(-1, c["channels"], c["height"], c["width"]))
            return h.reshape(h.shape[0], -1)
        x = self.scale(rows)
        if self.kind == "vae":
            h = self.encoder(torch.cat([x, label], 1) if label is not None and c.get("image") is None else x)
            return h[:, :self.code_size]   # the posterior means
        return self.encoder(x)

    def decode_raw(self, code, label=None):
        """The decoder's output rows in the scaled space, before the sigmoid of a model that emits logits."""
        if self.kind == "conv":
            y = self.decoder(code.reshape(-1, *self.code_shape) if self.config.get("code_size") is None else code)
            return y.reshape(y.shape[0], -1)
        return self.decoder(torch.cat([code, label], 1) if label is not None else code)

    def decode(self, code, label=None):
        c = self.config
        sigmoid = c.get("likelihood", "Bernoulli") == "Bernoulli" if self.kind == "vae" else logits(c)
        y = self.decode_raw(code, label)
        return self.unscale(torch.sigmoid(y) if sigmoid else y)

    def reconstruct(self, rows, label=None):
        return self.decode(self.encode(rows, label), label)


def open_model(path):
    tensors, metadata = read_safetensors(path)
    if metadata.get("latent.format") != FORMAT_VERSION:
        raise ValueError(f"{path} is not a Latent model file of format {FORMAT_VERSION}")
    scaler = json.loads(metadata["latent.scaler"]) if "latent.scaler" in metadata else None
    model = LatentModel(metadata["latent.model"], json.loads(metadata["latent.config"]), scaler)
    model.load_state_dict({name: torch.from_numpy(value) for name, value in tensors.items()}, strict=True)
    return model.eval()


def save_model(model, path, data_image=None):
    metadata = {"latent.format": FORMAT_VERSION, "latent.model": model.kind, "latent.config": json.dumps(model.config)}
    if model.offset is not None:
        kind = model.config.get("scaling", "Standard")
        metadata["latent.scaler"] = json.dumps({"kind": "min-max" if kind == "MinMax" else "standard",
                                                "offset": model.offset.double().tolist(), "divisor": model.divisor.double().tolist()})
    if data_image is not None:
        metadata["latent.image"] = json.dumps(data_image)
    write_safetensors(path, {name: value.detach().numpy() for name, value in model.state_dict().items()}, metadata)


# ---------------------------------------------------------------- commands

def read_rows(path, width):
    values = np.fromfile(path, dtype="<f4")
    return torch.from_numpy(values.reshape(-1, width).copy())


def run(jobs_path):
    with open(jobs_path) as f:
        jobs = json.load(f)
    for job in jobs:
        model = open_model(job["model"])
        inputs = job["inputs"]
        classes = model.config.get("classes", 0) if model.kind == "vae" else 0
        label = read_rows(inputs["label"], classes) if "label" in inputs else None
        with torch.no_grad():
            if job["part"] == "decoder":
                out = model.decode(read_rows(inputs["code"], model.code_size), label)
            else:
                rows = read_rows(inputs["rows"], model_inputs(model))
                out = model.encode(rows, label) if job["part"] == "encoder" else model.reconstruct(rows, label)
        out.numpy().astype("<f4").tofile(job["output"])
        print(f"{job['model']} {job['part']}: {tuple(out.shape)}")


def model_inputs(model):
    c = model.config
    return c["channels"] * c["height"] * c["width"] if model.kind == "conv" else c["inputs"]


def train(args):
    torch.manual_seed(args.seed)
    config = json.loads(args.config)
    model = LatentModel(args.kind, config)
    rows = read_rows(args.data, model_inputs(model))
    scaling = config.get("scaling", "None")
    if scaling in ("Standard", "MinMax"):
        x = rows.double()
        if scaling == "Standard":
            offset, spread = x.mean(0), x.std(0, unbiased=False)
        else:
            offset, spread = x.min(0).values, x.max(0).values - x.min(0).values
        spread[spread == 0] = 1
        model.offset, model.divisor = offset.float(), spread.float()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for step in range(args.steps):
        batch = rows[torch.randint(len(rows), (64,))]
        output, target = model.decode_raw(model.encode(batch)), model.scale(batch)
        loss = F.binary_cross_entropy_with_logits(output, target) if logits(config) else F.mse_loss(output, target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    image = [config["channels"], config["height"], config["width"]] if args.kind == "conv" else None
    save_model(model, args.out, image)
    if args.reconstruction:
        with torch.no_grad():
            model.reconstruct(rows).numpy().astype("<f4").tofile(args.reconstruction)
    print(f"trained a {args.kind} model for {args.steps} steps (last loss {loss.item():.4f}); wrote {args.out}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser("run", help="run Latent model files in PyTorch")
    run_parser.add_argument("jobs")
    train_parser = commands.add_parser("train", help="train a model in PyTorch and write it as a Latent model file")
    train_parser.add_argument("--kind", choices=["dense", "conv"], default="dense")
    train_parser.add_argument("--config", required=True)
    train_parser.add_argument("--data", required=True)
    train_parser.add_argument("--out", required=True)
    train_parser.add_argument("--steps", type=int, default=200)
    train_parser.add_argument("--seed", type=int, default=0)
    train_parser.add_argument("--reconstruction")
    args = parser.parse_args()
    torch.set_num_threads(1)
    if args.command == "run":
        run(args.jobs)
    else:
        train(args)


if __name__ == "__main__":
    sys.exit(main())
