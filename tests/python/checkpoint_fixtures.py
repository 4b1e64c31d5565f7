#!/usr/bin/env python3
"""Fixtures and checks for tests/test_checkpoint.cpp (run with Debian's /usr/bin/python3 + torch).

  make DIR            write every fixture into DIR (see make() for the list)
  check DIR           torch.load the engine-written files in DIR and compare them with
                      DIR/engine_expected.json; also checks that re-saving the engine's .pt in
                      Python gives a byte-identical data.pkl. Exits 1 on any mismatch.
  resave SRC DST      torch.load(SRC) and torch.save it to DST (engine -> Python -> engine)

Expected values are written as JSON ([{"name", "shape", "values"}, ...], in order), the
float32 values as Python floats (exact), so the C++ side compares bit for bit.
"""
import collections
import io
import json
import os
import pickle
import struct
import sys
import zipfile

import torch


def expected_json(path, tensors):
    out = []
    for name, t in tensors.items():
        f = t.detach().to(torch.float32).contiguous()
        out.append({"name": name, "shape": list(f.shape), "values": [float(v) for v in f.reshape(-1).tolist()]})
    with open(path, "w") as fh:
        json.dump(out, fh)


class TinyNet(torch.nn.Module):
    """A small module whose state dict has weights, biases and BatchNorm buffers (an int64 0-d)."""

    def __init__(self):
        super().__init__()
        self.encoder = torch.nn.Conv1d(1, 4, kernel_size=3, stride=3)
        self.norm = torch.nn.BatchNorm1d(4)
        self.layers = torch.nn.ModuleList([torch.nn.Linear(4, 4) for _ in range(2)])
        self.decoder = torch.nn.Linear(4, 3)


# ----------------------------------------------------------------------------------------------
# Hand-made pickles and archives


def torch_like_zip(path, pickle_bytes, records=None, archive="archive"):
    """A zip with torch.save's layout: archive/data.pkl, archive/data/<key>, archive/version."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        z.writestr(archive + "/data.pkl", pickle_bytes)
        for key, data in (records or {}).items():
            z.writestr(archive + "/data/" + key, data)
        z.writestr(archive + "/version", "3\n")


class Evil:
    """Unpickling this runs a shell command (what a malicious checkpoint does)."""

    def __init__(self, func, arg):
        self.func, self.arg = func, arg

    def __reduce__(self):
        return (self.func, (self.arg,))


class FakeStorage:
    def __init__(self, key, numel, storage_type=torch.FloatStorage):
        self.key, self.numel, self.storage_type = key, numel, storage_type


class FakeTensor:
    """Pickles as torch.save would pickle a tensor, with any geometry we like."""

    def __init__(self, storage, offset, size, stride):
        self.args = (storage, offset, tuple(size), tuple(stride), False, collections.OrderedDict())

    def __reduce__(self):
        return (torch._utils._rebuild_tensor_v2, self.args)


class StatePickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, FakeStorage):
            return ("storage", obj.storage_type, obj.key, "cpu", obj.numel)
        return None


def fake_state_dict_pickle(entries, protocol=2):
    buf = io.BytesIO()
    StatePickler(buf, protocol=protocol).dump(collections.OrderedDict(entries))
    return buf.getvalue()


def write_safetensors(path, entries, header_len=None, metadata=None):
    """entries: [(name, dtype string, shape, bytes)] -> a .safetensors written by hand."""
    header, data = collections.OrderedDict(), b""
    if metadata is not None:
        header["__metadata__"] = metadata
    for name, dtype, shape, raw in entries:
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as fh:
        fh.write(struct.pack("<Q", len(text) if header_len is None else header_len))
        fh.write(text)
        fh.write(data)


def raw_bytes(t):
    t = t.contiguous()
    if t.dtype == torch.bfloat16:
        return t.view(torch.int16).numpy().tobytes()
    return t.numpy().tobytes()


def write_raw_safetensors(path, header_obj, data, header_len=None):
    text = header_obj if isinstance(header_obj, bytes) else json.dumps(header_obj).encode()
    with open(path, "wb") as fh:
        fh.write(struct.pack("<Q", len(text) if header_len is None else header_len))
        fh.write(text)
        fh.write(data)


# ----------------------------------------------------------------------------------------------


def make(d):
    torch.manual_seed(1234)

    # 1. torch.save(model.state_dict()): an OrderedDict with _metadata.
    net = TinyNet()
    with torch.no_grad():
        net.norm.running_mean.copy_(torch.randn(4))
        net.norm.running_var.copy_(torch.rand(4) + 0.5)
        net.norm.num_batches_tracked.fill_(7)
    sd = net.state_dict()
    assert hasattr(sd, "_metadata")
    torch.save(sd, os.path.join(d, "module_sd.pt"))
    expected_json(os.path.join(d, "module_sd.json"), sd)

    # 2. A plain dict of many dtypes and geometries (.pt and .pth).
    base = torch.randn(4, 6)
    plain = {
        "f64": torch.randn(3, 4, dtype=torch.float64),
        "f16": torch.randn(5).half(),
        "bf16": torch.randn(2, 3).bfloat16(),
        "i64": torch.arange(-6, 6, dtype=torch.int64).reshape(3, 4),
        "i32": torch.tensor([-(2 ** 20), 0, 2 ** 20], dtype=torch.int32),
        "i16": torch.tensor([-300, 7, 300], dtype=torch.int16),
        "i8": torch.tensor([-128, 0, 127], dtype=torch.int8),
        "u8": torch.tensor([0, 1, 255], dtype=torch.uint8),
        "bool": torch.tensor([True, False, True]),
        "transposed": torch.randn(3, 5).t(),           # stride (1, 5)
        "base": base,
        "slice": base[1:, ::2],                        # shares base's storage: offset 6, stride (6, 2)
        "row": base[2],                                 # contiguous view at offset 12
        "scalar": torch.tensor(3.5),
        "empty": torch.zeros(0, 3),
        "param": torch.nn.Parameter(torch.randn(2, 2)),  # _rebuild_parameter
    }
    assert not plain["transposed"].is_contiguous() and not plain["slice"].is_contiguous()
    torch.save(plain, os.path.join(d, "plain_dict.pt"))
    torch.save(plain, os.path.join(d, "plain_dict.pth"))
    expected_json(os.path.join(d, "plain_dict.json"), plain)

    # 3. A .safetensors written by hand (no safetensors package), every supported dtype.
    st = collections.OrderedDict(
        [("w.F32", torch.randn(2, 3)), ("w.F64", torch.randn(4, dtype=torch.float64)),
         ("w.F16", torch.randn(3).half()), ("w.BF16", torch.randn(3).bfloat16()),
         ("w.I64", torch.tensor([-5, 2 ** 40], dtype=torch.int64)), ("w.I32", torch.tensor([-7, 9], dtype=torch.int32)),
         ("w.I16", torch.tensor([-3], dtype=torch.int16)), ("w.I8", torch.tensor([-2, 3], dtype=torch.int8)),
         ("w.U8", torch.tensor([200], dtype=torch.uint8)), ("w.BOOL", torch.tensor([False, True])),
         ("w.scalar", torch.tensor(-1.25)), ("w.empty", torch.zeros(2, 0))])
    names = {torch.float32: "F32", torch.float64: "F64", torch.float16: "F16", torch.bfloat16: "BF16",
             torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8",
             torch.bool: "BOOL"}
    write_safetensors(os.path.join(d, "python.safetensors"),
                      [(k, names[v.dtype], v.shape, raw_bytes(v)) for k, v in st.items()],
                      metadata={"format": "pt", "note": "written by hand"})
    expected_json(os.path.join(d, "python_safetensors.json"), st)

    torch.jit.script(torch.nn.Linear(2, 2)).save(os.path.join(d, "torchscript.pt"))

    # 4. Legacy (pre-1.6) format.
    torch.save(collections.OrderedDict(w=torch.ones(2)), os.path.join(d, "legacy.pt"),
               _use_new_zipfile_serialization=False)

    # 5. Malicious pickles: each would run `touch DIR/pwned` if unpickled by Python.
    cmd = "touch " + os.path.join(d, "pwned")
    import subprocess
    evil = {
        "evil_system_p2.pt": pickle.dumps(Evil(os.system, cmd), protocol=2),        # GLOBAL 'posix system'
        "evil_system_p4.pt": pickle.dumps(Evil(os.system, cmd), protocol=4),        # STACK_GLOBAL
        "evil_eval_p4.pt": pickle.dumps(Evil(eval, "__import__('os').system(%r)" % cmd), protocol=4),
        "evil_popen_p2.pt": pickle.dumps(Evil(subprocess.Popen, ["touch", os.path.join(d, "pwned")]), protocol=2),
        "evil_popen_p5.pt": pickle.dumps(Evil(subprocess.Popen, ["touch", os.path.join(d, "pwned")]), protocol=5),
        # Protocol 0 INST and a copyreg extension code, written by hand.
        "evil_inst.pt": b"(X" + struct.pack("<I", len(cmd)) + cmd.encode() + b"ios\nsystem\n.",
        "evil_ext1.pt": b"\x80\x02\x82\x01)R.",
    }
    assert b"cposix\nsystem\n" in evil["evil_system_p2.pt"]
    assert b"\x93" in evil["evil_system_p4.pt"]
    for name, data in evil.items():
        torch_like_zip(os.path.join(d, name), data)
    # A real torch.save file whose dict holds a tensor and, after it, the payload.
    torch.save({"weight": torch.ones(3), "evil": Evil(os.system, cmd)}, os.path.join(d, "evil_torch_save.pt"))

    # Prove the payload is real: Python's own unpickler runs it (in a side folder, not DIR/pwned).
    sanity = os.path.join(d, "sanity")
    os.makedirs(sanity)
    pickle.loads(pickle.dumps(Evil(os.system, "touch " + os.path.join(sanity, "ran")), protocol=2))
    assert os.path.exists(os.path.join(sanity, "ran")), "the malicious payload does not work in Python"

    # 6. Bad tensor geometry and other malformed pickles inside valid archives.
    four = struct.pack("<4f", 1, 2, 3, 4)
    s4 = FakeStorage("0", 4)
    bad = {
        "bad_extent.pt": [("w", FakeTensor(s4, 0, (10,), (1,)))],
        "bad_offset.pt": [("w", FakeTensor(s4, 3, (2,), (1,)))],
        "bad_stride.pt": [("w", FakeTensor(s4, 0, (2, 2), (3, 1)))],
        "bad_negative_size.pt": [("w", FakeTensor(s4, 0, (-1,), (1,)))],
        "bad_negative_stride.pt": [("w", FakeTensor(s4, 3, (2,), (-1,)))],
        "bad_overflow.pt": [("w", FakeTensor(s4, 0, (2 ** 62, 2 ** 62), (0, 0)))],
        "bad_expand.pt": [("w", FakeTensor(s4, 0, (2 ** 40,), (0,)))],
        "bad_storage_size.pt": [("w", FakeTensor(FakeStorage("0", 10 ** 12), 0, (4,), (1,)))],
        "bad_storage_huge.pt": [("w", FakeTensor(FakeStorage("0", 10 ** 12), 0, (10 ** 12,), (1,)))],
        "bad_missing_record.pt": [("w", FakeTensor(FakeStorage("7", 4), 0, (4,), (1,)))],
        "bad_not_tensor.pt": [("w", FakeTensor(s4, 0, (4,), (1,))), ("epoch", 3)],
    }
    for name, entries in bad.items():
        torch_like_zip(os.path.join(d, name), fake_state_dict_pickle(entries), {"0": four})
    # The same geometry tricks, done right, load (a zero-stride expand and an overlapping view).
    torch_like_zip(os.path.join(d, "ok_expand.pt"),
                   fake_state_dict_pickle([("e", FakeTensor(s4, 1, (2, 3), (0, 1))),
                                           ("o", FakeTensor(s4, 0, (3, 2), (1, 1)))], protocol=4), {"0": four})
    # A central directory that claims a 2 GB deflated record (libtorch allocates what it claims).
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("archive/data.pkl", fake_state_dict_pickle(bad["bad_extent.pt"]))
        z.writestr("archive/data/0", four)
        z.writestr("archive/version", "3\n")
    blob = bytearray(buf.getvalue())
    name = b"archive/data.pkl"
    cd_entry = blob.rindex(b"PK\x01\x02", 0, blob.rindex(name))
    assert blob[cd_entry + 46:cd_entry + 46 + len(name)] == name
    blob[cd_entry + 24:cd_entry + 28] = struct.pack("<I", 0x7fffff00)
    with open(os.path.join(d, "bad_claimed_size.pt"), "wb") as fh:
        fh.write(blob)
    torch_like_zip(os.path.join(d, "bad_opcode.pt"), b"\x80\x02\xff.")
    torch_like_zip(os.path.join(d, "bad_truncated_pickle.pt"), fake_state_dict_pickle(bad["bad_extent.pt"])[:40])
    torch_like_zip(os.path.join(d, "bad_huge_string.pt"), b"\x80\x02X\xff\xff\xff\x7fabc.")
    with zipfile.ZipFile(os.path.join(d, "bad_no_version.pt"), "w") as z:
        z.writestr("archive/data.pkl", fake_state_dict_pickle([]))
    with zipfile.ZipFile(os.path.join(d, "bad_no_pickle.pt"), "w") as z:
        z.writestr("archive/version", "3\n")
        z.writestr("archive/other.txt", "x")
    # A training checkpoint: the state dict nested under "state_dict" next to other entries.
    torch.save({"epoch": 3, "state_dict": collections.OrderedDict(a=torch.ones(2))}, os.path.join(d, "nested.pt"))

    # 7. Broken safetensors.
    ok_header = {"w": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]}}
    write_raw_safetensors(os.path.join(d, "st_huge_header.safetensors"), ok_header, four, header_len=2 ** 40)
    write_raw_safetensors(os.path.join(d, "st_long_header.safetensors"), ok_header, four, header_len=1000)
    write_raw_safetensors(os.path.join(d, "st_bad_json.safetensors"), b'{"w": {"dtype": "F32", ', four)
    write_raw_safetensors(os.path.join(d, "st_offsets_out.safetensors"),
                          {"w": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 1000]}}, four)
    write_raw_safetensors(os.path.join(d, "st_offsets_shape.safetensors"),
                          {"w": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 12]}}, four)
    write_raw_safetensors(os.path.join(d, "st_offsets_reversed.safetensors"),
                          {"w": {"dtype": "F32", "shape": [0], "data_offsets": [16, 0]}}, four)
    write_raw_safetensors(os.path.join(d, "st_bad_dtype.safetensors"),
                          {"w": {"dtype": "C64", "shape": [2], "data_offsets": [0, 16]}}, four)
    write_raw_safetensors(os.path.join(d, "st_negative_shape.safetensors"),
                          {"w": {"dtype": "F32", "shape": [-4], "data_offsets": [0, 16]}}, four)
    write_raw_safetensors(os.path.join(d, "st_overflow_shape.safetensors"),
                          {"w": {"dtype": "F32", "shape": [2 ** 62, 2 ** 62], "data_offsets": [0, 16]}}, four)
    write_raw_safetensors(os.path.join(d, "st_not_object.safetensors"), [1, 2, 3], four)
    with open(os.path.join(d, "st_short.safetensors"), "wb") as fh:
        fh.write(b"\x10\x00\x00")


def load_json(path):
    with open(path) as fh:
        return collections.OrderedDict((e["name"], e) for e in json.load(fh))


def compare(label, loaded, expected, failures):
    if list(loaded.keys()) != list(expected.keys()):
        failures.append("%s: keys %s != expected %s" % (label, list(loaded.keys()), list(expected.keys())))
        return
    for name, spec in expected.items():
        t = loaded[name]
        want = torch.tensor(spec["values"], dtype=torch.float32).reshape(spec["shape"])
        if t.dtype != torch.float32 or list(t.shape) != spec["shape"] or not torch.equal(t, want):
            failures.append("%s: tensor %s differs (dtype %s, shape %s)" % (label, name, t.dtype, list(t.shape)))


def read_safetensors_by_hand(path):
    with open(path, "rb") as fh:
        blob = fh.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n], object_pairs_hook=collections.OrderedDict)
    data = blob[8 + n:]
    out = collections.OrderedDict()
    end = 0
    for name, info in header.items():
        if name == "__metadata__":
            continue
        assert info["dtype"] == "F32", info
        b, e = info["data_offsets"]
        assert b == end, "offsets are not contiguous"  # what the reference parser demands
        end = e
        out[name] = torch.frombuffer(bytearray(data[b:e]), dtype=torch.float32).reshape(info["shape"]) \
            if e > b else torch.zeros(info["shape"])
    assert end == len(data), "data region has trailing bytes"
    return out


def data_pkl(path):
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if n.endswith("/data.pkl")]
        return names[0], z.read(names[0]), z.namelist()


def check(d):
    expected = load_json(os.path.join(d, "engine_expected.json"))
    failures = []
    for name in ("engine.pt", "engine.pth"):
        loaded = torch.load(os.path.join(d, name))
        if type(loaded) is not collections.OrderedDict:
            failures.append("%s: torch.load gave %s, not an OrderedDict" % (name, type(loaded)))
        compare(name, loaded, expected, failures)
        prefix = os.path.splitext(name)[0] + "/"
        _, _, members = data_pkl(os.path.join(d, name))
        if not all(m.startswith(prefix) for m in members) or prefix + "version" not in members:
            failures.append("%s: archive members %s do not follow torch.save's layout" % (name, members))
    compare("engine.safetensors", read_safetensors_by_hand(os.path.join(d, "engine.safetensors")), expected, failures)

    # torch.save of what torch.load read must give the very same pickle as the engine wrote.
    resaved = os.path.join(d, "engine_resaved_by_python.pt")
    torch.save(torch.load(os.path.join(d, "engine.pt")), resaved)
    if data_pkl(resaved)[1] != data_pkl(os.path.join(d, "engine.pt"))[1]:
        failures.append("engine.pt: data.pkl differs from the one Python's torch.save writes")

    for f in failures:
        print("MISMATCH:", f, file=sys.stderr)
    print("checked %d tensors, %d failures" % (len(expected), len(failures)))
    return 1 if failures else 0


def resave(src, dst):
    sd = torch.load(src)
    torch.save(sd, dst)
    return 0


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "make":
        make(sys.argv[2])
        sys.exit(0)
    if cmd == "check":
        sys.exit(check(sys.argv[2]))
    if cmd == "resave":
        sys.exit(resave(sys.argv[2], sys.argv[3]))
    sys.exit("unknown command " + cmd)
