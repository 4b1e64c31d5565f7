#!/usr/bin/env python3
"""Fixtures for tests/test_lightning_checkpoint.cpp (run with Debian's /usr/bin/python3 + torch).

PyTorch Lightning is not in Debian, so the checkpoints are written the way Lightning's
`Trainer.save_checkpoint` writes them: `torch.save` of a dict with the LightningModule's state
dict under "state_dict" (the model held as `self.model`, hence the "model." prefix) beside the
training state: epoch, global_step, "pytorch-lightning_version", optimizer and scheduler states
(a real AdamW after one step and a real scheduler), callbacks, loops and hyper-parameters. The
hyper-parameters hold what real ones hold: Lightning's AttributeDict (a dict subclass, pickled
under its real module name from a stand-in module written here), an argparse.Namespace, a
pathlib path and numpy scalars.

  lightning SRC.pt DST.ckpt   the state dict in SRC (a .pt the engine wrote) as a Lightning
                              checkpoint, plus DST.expected.json with its tensors
  prefixed  SRC.pt DST.ckpt   the same with a second module's tensors beside "model." (a loss
                              module "criterion.") so that only an explicit or found prefix works
  malicious DST.ckpt MARKER   a Lightning checkpoint whose hyper-parameters hold an object that
                              runs a shell command creating MARKER when Python unpickles it; the
                              script checks with torch.load that it really does (and removes MARKER)
"""
import argparse
import json
import os
import pathlib
import sys
import types

import numpy
import torch


def attribute_dict_class():
    """Lightning's AttributeDict under its real module path, so the pickle names it as Lightning does."""
    for name in ("pytorch_lightning", "pytorch_lightning.utilities", "pytorch_lightning.utilities.parsing"):
        sys.modules.setdefault(name, types.ModuleType(name))
    parsing = sys.modules["pytorch_lightning.utilities.parsing"]

    class AttributeDict(dict):
        def __getattr__(self, key):
            return self[key]

    AttributeDict.__module__ = "pytorch_lightning.utilities.parsing"
    AttributeDict.__qualname__ = "AttributeDict"
    parsing.AttributeDict = AttributeDict
    return AttributeDict


def training_state(state_dict):
    """Optimizer and scheduler states of a real AdamW step on these tensors."""
    params = [torch.nn.Parameter(t.clone().float()) for t in state_dict.values() if t.is_floating_point()]
    optimizer = torch.optim.AdamW(params, lr=0.01)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=10)
    sum(p.sum() for p in params).backward()
    optimizer.step()
    scheduler.step()
    return optimizer.state_dict(), scheduler.state_dict()


def lightning_checkpoint(model_state, extra_tensors=None):
    AttributeDict = attribute_dict_class()
    state_dict = {"model." + k: v for k, v in model_state.items()}
    state_dict.update(extra_tensors or {})
    optimizer, scheduler = training_state(model_state)
    hparams = AttributeDict(
        lr=0.01,
        d_model=128,
        args=argparse.Namespace(data_dir=pathlib.PosixPath("/data/speech_commands"), seed=1),
        log_dir=pathlib.PosixPath("lightning_logs/version_0"),
        dropout=numpy.float64(0.1),
        epochs=numpy.int64(12),
    )
    return {
        "epoch": 11,
        "global_step": 2472,
        "pytorch-lightning_version": "2.0.9",
        "state_dict": state_dict,
        "loops": {"fit_loop": {"state_dict": {}, "epoch_progress": {"total": {"ready": 12, "completed": 12}}}},
        "callbacks": {
            "ModelCheckpoint{'monitor': 'val_acc', 'mode': 'max'}": {
                "best_model_score": torch.tensor(0.953),
                "best_model_path": "/runs/epoch=11.ckpt",
                "dirpath": "/runs",
            }
        },
        "optimizer_states": [optimizer],
        "lr_schedulers": [scheduler],
        "hparams_name": "kwargs",
        "hyper_parameters": hparams,
    }


def write_expected(path, tensors):
    out = []
    for name, t in tensors.items():
        f = t.detach().to(torch.float32).contiguous()
        out.append({"name": name, "shape": list(f.shape), "values": [float(v) for v in f.reshape(-1).tolist()]})
    with open(path, "w") as fh:
        json.dump(out, fh)


class RunsCommand:
    """Unpickling this runs a shell command: what a malicious checkpoint hides in its hyper-parameters."""

    def __init__(self, command):
        self.command = command

    def __reduce__(self):
        return (os.system, (self.command,))


def main():
    cmd = sys.argv[1]
    if cmd in ("lightning", "prefixed"):
        src, dst = sys.argv[2], sys.argv[3]
        model_state = torch.load(src)
        extra = {"criterion.weight": torch.arange(10, dtype=torch.float32)} if cmd == "prefixed" else None
        ckpt = lightning_checkpoint(model_state, extra)
        torch.save(ckpt, dst)
        write_expected(dst + ".expected.json", model_state)
        return 0
    if cmd == "malicious":
        dst, marker = sys.argv[2], sys.argv[3]
        model_state = {"decoder.weight": torch.ones(2, 2)}
        ckpt = lightning_checkpoint(model_state)
        ckpt["hyper_parameters"]["callback"] = RunsCommand("touch " + marker)
        torch.save(ckpt, dst)
        # Proof that the file is dangerous: Python's own (unsafe) unpickling runs the command.
        torch.load(dst, weights_only=False) if "weights_only" in torch.load.__code__.co_varnames else torch.load(dst)
        if not os.path.exists(marker):
            print("the malicious fixture did not run its command in Python", file=sys.stderr)
            return 1
        os.remove(marker)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
