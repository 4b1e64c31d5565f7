"""Fixtures for the engine's parity tests with PyTorch (run by tests/test_model.cpp).

  make OUT --config JSON --seed S --format pt|pth|plain|safetensors [--batch B]
      builds a random S4Classifier, saves its state dict as OUT/ref.<ext> with OUT/ref_config.json,
      and writes OUT/inputs.f32 (B x T float32) and OUT/logits.f32 (B x n_classes, PyTorch's output).
  check WEIGHTS CONFIG INPUTS OUT
      loads WEIGHTS (written by the engine) with torch.load into the PyTorch model, strictly,
      writes its logits on INPUTS to OUT, and re-saves the state dict as OUT.pt.
"""
import argparse
import collections
import json
import math
import os
import struct
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(__file__))
from s4_reference import S4Classifier, perturb  # noqa: E402


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        data = t.detach().contiguous().float().numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = {"format": "pt"}
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    """Reads F32 safetensors by hand (the safetensors package is not in Debian 12)."""
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    out = collections.OrderedDict()
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] != "F32":
            raise SystemExit("unexpected dtype %s for %s" % (info["dtype"], name))
        start, end = info["data_offsets"]
        out[name] = torch.from_numpy(np.frombuffer(data[start:end], dtype="<f4").copy()).reshape(info["shape"])
    return out


def test_inputs(batch, T, generator):
    """Random noise, a chirp and silence: varied enough that a wrong layer cannot hide."""
    x = torch.empty(batch, 1, T)
    t = torch.arange(T) / 16000.0
    for b in range(batch):
        kind = b % 3
        if kind == 0:
            x[b, 0] = 0.5 * torch.randn(T, generator=generator).clamp(-2, 2)
        elif kind == 1:
            x[b, 0] = 0.8 * torch.sin(2 * math.pi * (200 + 1500 * t) * t) * torch.exp(-3 * t)
        else:
            x[b, 0] = 1e-3 * torch.randn(T, generator=generator)
    return x


def make(args):
    cfg = json.loads(args.config)
    torch.manual_seed(args.seed)
    model = S4Classifier(**cfg)
    perturb(model, torch.Generator().manual_seed(args.seed + 1))
    model.eval()
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "ref_config.json"), "w") as f:
        json.dump(cfg, f)
    sd = model.state_dict()
    if args.format in ("pt", "pth"):
        torch.save(sd, os.path.join(args.out, "ref." + args.format))
    elif args.format == "plain":
        torch.save({k: v for k, v in sd.items()}, os.path.join(args.out, "ref.pt"))
    elif args.format == "safetensors":
        write_safetensors(os.path.join(args.out, "ref.safetensors"), sd)
    else:
        raise SystemExit("unknown format " + args.format)
    x = test_inputs(args.batch, cfg.get("seq_len", 16000), torch.Generator().manual_seed(args.seed + 2))
    with torch.no_grad():
        logits = model(x)
    x.numpy().astype("<f4").tofile(os.path.join(args.out, "inputs.f32"))
    logits.numpy().astype("<f4").tofile(os.path.join(args.out, "logits.f32"))


def check(args):
    with open(args.config) as f:
        cfg = json.load(f)
    model = S4Classifier(**cfg)
    sd = read_safetensors(args.weights) if args.weights.endswith(".safetensors") else torch.load(args.weights)
    if not isinstance(sd, collections.OrderedDict):
        raise SystemExit("engine-written state dict loads as %s, not OrderedDict" % type(sd).__name__)
    model.load_state_dict(sd, strict=True)
    model.eval()
    x = torch.from_numpy(np.fromfile(args.inputs, dtype="<f4")).reshape(-1, 1, cfg["seq_len"])
    with torch.no_grad():
        model(x).numpy().astype("<f4").tofile(args.out)
    torch.save(model.state_dict(), args.out + ".pt")


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("make")
    m.add_argument("out")
    m.add_argument("--config", required=True)
    m.add_argument("--seed", type=int, default=0)
    m.add_argument("--format", default="pt")
    m.add_argument("--batch", type=int, default=4)
    c = sub.add_parser("check")
    for name in ("weights", "config", "inputs", "out"):
        c.add_argument(name)
    args = p.parse_args()
    torch.set_num_threads(2)
    make(args) if args.cmd == "make" else check(args)


if __name__ == "__main__":
    main()
