#!/usr/bin/env python3
"""Seed corpora for the fuzzers, from valid files made here (Debian's /usr/bin/python3 + torch).

  make_seeds.py OUT SOURCE_DIR   writes OUT/<fuzzer>/<seed> for pickle, pt, safetensors, config,
                                 session and audio.
Small files on purpose: the fuzzers mutate them thousands of times a second.
"""
import collections
import io
import json
import math
import os
import struct
import sys
import wave
import zipfile

import torch


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)


def main(out, source):
    torch.manual_seed(0)
    base = torch.randn(3, 4)
    dicts = {
        "tiny": collections.OrderedDict(w=torch.randn(2, 3), b=torch.zeros(2)),
        "dtypes": {"f64": torch.randn(3, dtype=torch.float64), "f16": torch.randn(2).half(),
                   "i64": torch.arange(3), "u8": torch.tensor([1, 2], dtype=torch.uint8),
                   "bool": torch.tensor([True, False])},
        "views": {"base": base, "t": base.t(), "row": base[1], "slice": base[:, ::2],
                  "param": torch.nn.Parameter(torch.ones(2))},
        "module": torch.nn.Sequential(torch.nn.Conv1d(1, 2, 3), torch.nn.LayerNorm(2)).state_dict(),
        "nested": {"state_dict": collections.OrderedDict(w=torch.ones(2)), "epoch": 3},
    }
    for name, sd in dicts.items():
        for proto in (2, 4):
            buf = io.BytesIO()
            torch.save(sd, buf, pickle_protocol=proto)
            data = buf.getvalue()
            write(os.path.join(out, "pt", "%s_p%d.pt" % (name, proto)), data)
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                pkl = [n for n in z.namelist() if n.endswith("/data.pkl")][0]
                write(os.path.join(out, "pickle", "%s_p%d.pkl" % (name, proto)), z.read(pkl))

    # safetensors written by hand (the package is not installed), several dtypes.
    def st(entries, metadata=None):
        header, data = collections.OrderedDict(), b""
        if metadata:
            header["__metadata__"] = metadata
        for name, dtype, shape, raw in entries:
            header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
            data += raw
        text = json.dumps(header).encode()
        text += b" " * ((8 - len(text) % 8) % 8)
        return struct.pack("<Q", len(text)) + text + data
    write(os.path.join(out, "safetensors", "f32.safetensors"),
          st([("w", "F32", [2, 2], struct.pack("<4f", 1, 2, 3, 4)), ("b", "F32", [2], struct.pack("<2f", 5, 6))],
             {"format": "pt"}))
    write(os.path.join(out, "safetensors", "mixed.safetensors"),
          st([("a", "F16", [2], struct.pack("<2e", 1.5, -2)), ("b", "I64", [1], struct.pack("<q", 7)),
              ("c", "BF16", [1], b"\x80\x3f"), ("d", "BOOL", [2], b"\x01\x00"), ("e", "F32", [0, 3], b"")]))

    config = open(os.path.join(source, "resources", "models", "s4_kws_config.json"), "rb").read()
    write(os.path.join(out, "config", "bundled_config.json"), config)
    write(os.path.join(out, "config", "aliases_config.json"), json.dumps(
        {"input_dim": 1, "state_dim": 8, "hidden_dim": 4, "num_layers": 1, "stride": 10, "input_length": 100,
         "num_classes": 2, "labels": ["a", "b"], "prenorm": True, "sample_rate": 8000}).encode())

    session = {"format": "s4scope-session", "version": 1, "audio": {"path": "clip.wav", "offset_s": 0.25},
               "model": "bundled", "method": "lrp_gamma", "target": 2,
               "params": {"lrp_gamma": {"gamma": 0.25}, "smoothgrad": {"samples": 8, "sigma": 0.1}},
               "comparison": {"methods": ["gradient", "integrated_gradients"], "shared_scale": False,
                              "correlation": "spearman"}}
    write(os.path.join(out, "session", "session.s4session"), json.dumps(session, indent=1).encode())

    def wav(path, rate, channels, width, frames):
        buf = io.BytesIO()
        with wave.open(buf, "wb") as w:
            w.setnchannels(channels)
            w.setsampwidth(width)
            w.setframerate(rate)
            samples = bytearray()
            for i in range(frames):
                v = math.sin(i * 0.3) * 0.5
                for _ in range(channels):
                    if width == 1:
                        samples += bytes([int(128 + v * 127)])
                    else:
                        samples += int(v * 32767).to_bytes(2, "little", signed=True)
            w.writeframes(bytes(samples))
        write(path, buf.getvalue())
    wav(os.path.join(out, "audio", "mono16k.wav"), 16000, 1, 2, 400)
    wav(os.path.join(out, "audio", "stereo44k.wav"), 44100, 2, 2, 300)
    wav(os.path.join(out, "audio", "u8_8k.wav"), 8000, 1, 1, 200)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2])
