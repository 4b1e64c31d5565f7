#!/usr/bin/env python3
"""Hostile inputs for tests/test_hardening.cpp (issue 19), written at test time with Debian's
/usr/bin/python3 (torch needed only for the valid model files).

  make DIR MODEL_DIR   writes every case into DIR and DIR/manifest.json:
                       [{"file", "kind", "expect": [substrings], "marker": path or null}, ...]
                       kind: "checkpoint" (readCheckpoint), "model" (Model::load of a pair),
                       "config", "audio", "session". MODEL_DIR holds the bundled model pair,
                       copied next to each hostile half of a pair.

Every malicious pickle would create its marker file if Python unpickled it: make() proves that
for each payload (with the copyreg extension registry primed for EXT1/2/4) before writing it.
"""
import copyreg
import io
import json
import os
import pickle
import shutil
import struct
import subprocess
import sys
import zipfile
import zlib

cases = []


def case(file, kind, expect, marker=None):
    cases.append({"file": file, "kind": kind, "expect": expect, "marker": marker})


def torch_like_zip(path, pickle_bytes, records=None, archive="archive", extra=None):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        z.writestr(archive + "/data.pkl", pickle_bytes)
        for key, data in (records or {}).items():
            z.writestr(archive + "/data/" + key, data)
        for name, data in (extra or []):
            z.writestr(name, data)
        z.writestr(archive + "/version", "3\n")


class FakeStorage:
    def __init__(self, key, numel):
        self.key, self.numel = key, numel


class Rebuild:
    """Pickles as torch.save pickles a tensor, with any geometry."""

    def __init__(self, storage, offset, size, stride):
        import collections
        self.args = (storage, offset, tuple(size), tuple(stride), False, collections.OrderedDict())

    def __reduce__(self):
        import torch
        return (torch._utils._rebuild_tensor_v2, self.args)


class SP(pickle.Pickler):
    def persistent_id(self, obj):
        import torch
        if isinstance(obj, FakeStorage):
            return ("storage", torch.FloatStorage, obj.key, "cpu", obj.numel)
        return None


def dumps(entries):
    import collections
    buf = io.BytesIO()
    SP(buf, protocol=2).dump(collections.OrderedDict(entries))
    return buf.getvalue()


def s(text):  # SHORT_BINUNICODE
    b = text.encode()
    return b"\x8c" + bytes([len(b)]) + b


def proves_marker(payload, marker, persistent=False):
    """Unpickles `payload` in a child Python and checks that it creates `marker`."""
    if os.path.exists(marker):
        os.remove(marker)
    code = (
        "import copyreg, pickle, io, sys\n"
        "for code, (m, n) in {1: ('posix', 'system'), 300: ('os', 'system'), 70000: ('subprocess', 'getoutput')}.items():\n"
        "    copyreg.add_extension(m, n, code)\n"
        "class U(pickle.Unpickler):\n"
        "    def persistent_load(self, pid): return pid\n"
        "try:\n"
        "    U(io.BytesIO(sys.stdin.buffer.read())).load()\n"
        "except Exception as e:\n"
        "    pass\n")
    subprocess.run([sys.executable, "-c", code], input=payload, check=True, timeout=60)
    if not os.path.exists(marker):
        raise SystemExit("payload does not create its marker in Python: " + marker)
    os.remove(marker)


def malicious(d):
    """One payload per opcode that can name or call a global."""
    def marker(name):
        return os.path.join(d, "marker_" + name)

    def touch(name):
        return ("touch " + marker(name)).encode()

    P = b"\x80\x02"
    def su(b):  # BINUNICODE
        return b"X" + struct.pack("<I", len(b)) + b

    payloads = {}
    # GLOBAL + REDUCE: posix.system("touch ...")
    payloads["GLOBAL"] = (P + b"cposix\nsystem\n" + su(touch("GLOBAL")) + b"\x85R.", "posix.system")
    # STACK_GLOBAL (protocol 4)
    payloads["STACK_GLOBAL"] = (b"\x80\x04" + s("posix") + s("system") + b"\x93" + su(touch("STACK_GLOBAL")) + b"\x85R.",
                                "posix.system")
    # INST: protocol 0 instantiation, calls posix.system(*args)
    payloads["INST"] = (b"(" + su(touch("INST")) + b"iposix\nsystem\n.", "posix.system")
    # OBJ: MARK cls args OBJ -> cls(*args)
    payloads["OBJ"] = (P + b"(cposix\nsystem\n" + su(touch("OBJ")) + b"o.", "posix.system")
    # REDUCE via an alias Python 3 maps back (protocol 2 fix_imports): os.system named 'posix'
    payloads["REDUCE"] = (P + b"cbuiltins\nexec\n" + su(b"import os; os.system('" + touch("REDUCE") + b"')") + b"\x85R.",
                          "builtins.exec")
    # NEWOBJ + BUILD: SimpleNamespace(), then state {'__setstate__': posix.system}, then BUILD "touch"
    # calls inst.__setstate__("touch ...").
    def newobj_build(op, name, extra=b""):
        return (P + b"ctypes\nSimpleNamespace\n)" + extra + op +
                b"N}" + su(b"__setstate__") + b"cposix\nsystem\ns\x86b" +   # BUILD (None, {slot: system})
                su(touch(name)) + b"b.")
    payloads["NEWOBJ"] = (newobj_build(b"\x81", "NEWOBJ"), "types.SimpleNamespace")
    payloads["NEWOBJ_EX"] = (newobj_build(b"\x92", "NEWOBJ_EX", extra=b"}"), "types.SimpleNamespace")
    # BUILD on an allowed object (an OrderedDict): slot state naming posix.system, then a BUILD
    # with the command; refused when the global is named.
    payloads["BUILD"] = (P + b"ccollections\nOrderedDict\n)R" +
                         b"N}" + su(b"__setstate__") + b"cposix\nsystem\ns\x86b" + su(touch("BUILD")) + b"b.",
                         "posix.system")
    # EXT1/2/4: copyreg extension codes (primed to posix.system in the proving interpreter)
    payloads["EXT1"] = (P + b"\x82\x01" + su(touch("EXT1")) + b"\x85R.", "EXT1")
    payloads["EXT2"] = (P + b"\x83" + struct.pack("<H", 300) + su(touch("EXT2")) + b"\x85R.", "EXT2")
    payloads["EXT4"] = (P + b"\x84" + struct.pack("<i", 70000) + su(touch("EXT4")) + b"\x85R.", "EXT4")
    # PERSID (text id) whose pickle also reduces a global before it
    payloads["PERSID"] = (b"cposix\nsystem\n(" + su(touch("PERSID")) + b"tRPstorage\n.", "posix.system")
    # BINPERSID with a forged storage reference: the storage type is posix.system called on the way
    payloads["BINPERSID"] = (P + b"(" + s("storage") + b"cposix\nsystem\n" + su(touch("BINPERSID")) + b"\x85R" +
                             s("0") + s("cpu") + b"K\x01tQ.", "posix.system")
    for name, (payload, why) in payloads.items():
        proves_marker(payload, marker(name))
        file = "evil_%s.pt" % name
        torch_like_zip(os.path.join(d, file), payload, {"0": b"\0" * 4})
        case(file, "checkpoint", ["refuses" if why not in ("EXT1", "EXT2", "EXT4") else "extension registry", why],
             marker(name))
    # Opcodes that call something, used with an allowed global: refused, named, nothing called.
    od = b"ccollections\nOrderedDict\n"
    misuse = {
        "misuse_OBJ": (P + b"(" + od + b"o.", "OBJ"),
        "misuse_INST": (b"(icollections\nOrderedDict\n.", "INST"),
        "misuse_NEWOBJ_EX": (P + od + b")}\x92.", "NEWOBJ_EX"),
        "misuse_PERSID": (P + b"Pstorage\n.", "PERSID"),
        "forged_persid_type": (P + b"(" + s("storage") + od + s("0") + s("cpu") + b"K\x01tQ.", "not a storage type"),
        "forged_persid_kind": (P + b"(" + s("module") + od + s("0") + s("cpu") + b"K\x01tQ.", "not a torch storage reference"),
    }
    for name, (payload, why) in misuse.items():
        file = name + ".pt"
        torch_like_zip(os.path.join(d, file), payload)
        case(file, "checkpoint", [why])
    # A forged storage key that climbs out of the archive: looked up in the zip, never opened.
    climb = dumps([("w", Rebuild(FakeStorage("../../../../etc/passwd", 1), 0, (1,), (1,)))])
    torch_like_zip(os.path.join(d, "forged_key_climbs.pt"), climb)
    case("forged_key_climbs.pt", "checkpoint", ["lacks the archive record 'data/../../../../etc/passwd'"])
    # Zip entries with '..' and absolute names.
    sd_ok = (P + od + b")R.")
    torch_like_zip(os.path.join(d, "zip_dotdot.pt"), sd_ok, extra=[("archive/../../escaped", b"x")])
    case("zip_dotdot.pt", "checkpoint", ["climbs with '..'"])
    torch_like_zip(os.path.join(d, "zip_absolute.pt"), sd_ok, extra=[("/tmp/s4scope_absolute_entry", b"x")])
    case("zip_absolute.pt", "checkpoint", ["absolute path"])


def bombs(d, model_dir):
    P = b"\x80\x02"
    od = b"ccollections\nOrderedDict\n"

    # A record that inflates to 1 GiB of zeros (about 1 MB on disk) behind a 4-element storage.
    path = os.path.join(d, "zip_bomb_1gib.pt")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("archive/data.pkl", dumps([("w", Rebuild(FakeStorage("0", 4), 0, (4,), (1,)))]))
        with z.open("archive/data/0", "w", force_zip64=True) as f:
            chunk = b"\0" * (1 << 24)
            for _ in range(64):
                f.write(chunk)
        z.writestr("archive/version", "3\n")
    case("zip_bomb_1gib.pt", "checkpoint", ["claims 1073741824 bytes", "more than the 16"])
    # The same record declared by the pickle as a 1 GiB storage: refused by the model's shapes
    # (and by the element limit without a model).
    path = os.path.join(d, "zip_bomb_declared.pt")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("archive/data.pkl", dumps([("w", Rebuild(FakeStorage("0", 1 << 28), 0, (1 << 28,), (1,)))]))
        with z.open("archive/data/0", "w", force_zip64=True) as f:
            chunk = b"\0" * (1 << 24)
            for _ in range(64):
                f.write(chunk)
        z.writestr("archive/version", "3\n")
    case("zip_bomb_declared.pt", "checkpoint", ["more than 200000000 elements"])
    shutil.copy(path, os.path.join(d, "zip_bomb_model.pt"))
    case(pair_with(d, model_dir, "zip_bomb_model", os.path.join(d, "zip_bomb_model.pt")), "model",
         ["does not match the model", "Unexpected key(s): \"w\""])
    # 40 tensors viewing one 64 MiB storage (deflated to a few KB).
    path = os.path.join(d, "shared_views.pt")
    n = 16 << 20
    st = FakeStorage("0", n)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("archive/data.pkl", dumps([("v%d" % i, Rebuild(st, 0, (n,), (1,))) for i in range(40)]))
        with z.open("archive/data/0", "w") as f:
            for _ in range(4):
                f.write(b"\0" * (16 << 20))
        z.writestr("archive/version", "3\n")
    case("shared_views.pt", "checkpoint", ["expand their storages"])
    shutil.copy(path, os.path.join(d, "shared_views_model.pt"))
    case(pair_with(d, model_dir, "shared_views_model", os.path.join(d, "shared_views_model.pt")), "model",
         ["does not match the model", "and 20 more"])
    # Two data.pkl entries: which would be read?
    path = os.path.join(d, "duplicate_pickle.pt")
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
            z.writestr("archive/data.pkl", dumps([]))
            z.writestr("archive/data.pkl", dumps([("w", Rebuild(FakeStorage("0", 1), 0, (1,), (1,)))]))
            z.writestr("archive/data/0", b"\0" * 4)
            z.writestr("archive/version", "3\n")
    case("duplicate_pickle.pt", "checkpoint", ["lists the entry 'archive/data.pkl' twice"])


def pair_with(d, model_dir, name, weights_path):
    """A folder holding the bundled config beside the given weights file (moved in)."""
    folder = os.path.join(d, name)
    os.makedirs(folder, exist_ok=True)
    config = [f for f in os.listdir(model_dir) if f.endswith("_config.json")][0]
    shutil.copy(os.path.join(model_dir, config), os.path.join(folder, "m_config.json"))
    os.replace(weights_path, os.path.join(folder, "m" + os.path.splitext(weights_path)[1]))
    return os.path.join(name, "m_config.json")


def safetensors_cases(d, model_dir):
    def write(path, header, data=b"", header_len=None, sparse_size=None):
        with open(path, "wb") as fh:
            fh.write(struct.pack("<Q", len(header) if header_len is None else header_len))
            fh.write(header)
            fh.write(data)
            if sparse_size:
                fh.truncate(sparse_size)
    deep = b'{"__metadata__": ' + b"[" * 100000 + b"]" * 100000 + b"}"
    write(os.path.join(d, "deep.safetensors"), deep)
    case("deep.safetensors", "checkpoint", ["nested deeper than 64"])
    # A tensor of 100 GB in a sparse file: the offsets fit the file, the size does not fit any model.
    big = 100 * 10 ** 9
    hdr = json.dumps({"w": {"dtype": "F32", "shape": [big // 4], "data_offsets": [0, big]}}).encode()
    write(os.path.join(d, "sparse_100gb.safetensors"), hdr, sparse_size=8 + len(hdr) + big)
    case("sparse_100gb.safetensors", "checkpoint", ["more than the limit of 200000000"])
    hdr = json.dumps({"encoder.weight": {"dtype": "F32", "shape": [big // 4], "data_offsets": [0, big]}}).encode()
    write(os.path.join(d, "sparse_model.safetensors"), hdr, sparse_size=8 + len(hdr) + big)
    case(pair_with(d, model_dir, "sparse_model", os.path.join(d, "sparse_model.safetensors")), "model",
         ["does not match the model", "size mismatch for encoder.weight"])
    # 100,000 tensors: the header parse must not be quadratic.
    entries = {}
    for i in range(100000):
        entries["t%06d" % i] = {"dtype": "F32", "shape": [1], "data_offsets": [4 * i, 4 * i + 4]}
    write(os.path.join(d, "many_tensors.safetensors"), json.dumps(entries).encode(), b"\0" * 400000)
    case(pair_with(d, model_dir, "many_tensors", os.path.join(d, "many_tensors.safetensors")), "model",
         ["does not match the model", "Unexpected key(s)", "and 99"])
    # 1.4 million tensors: over the header cap.
    hdr = b"{" + b",".join(b'"t%07d":{"dtype":"F32","shape":[1],"data_offsets":[%d,%d]}' % (i, 4 * i, 4 * i + 4)
                           for i in range(1400000)) + b"}"
    write(os.path.join(d, "huge_header.safetensors"), hdr, b"\0" * (4 * 1400000))
    case("huge_header.safetensors", "checkpoint", ["16 MiB limit"])
    # Two tensors reading the same bytes.
    hdr = json.dumps({"a": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]},
                      "b": {"dtype": "F32", "shape": [1], "data_offsets": [0, 4]}}).encode()
    write(os.path.join(d, "overlap.safetensors"), hdr, b"\0" * 4)
    case("overlap.safetensors", "checkpoint", ["overlap"])


def config_cases(d, model_dir):
    base = json.load(open(os.path.join(model_dir, [f for f in os.listdir(model_dir) if f.endswith("_config.json")][0])))
    weights = [f for f in os.listdir(model_dir) if f.endswith((".pt", ".safetensors"))][0]
    ext = os.path.splitext(weights)[1]

    def pair(name, config_text):
        folder = os.path.join(d, name)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "m_config.json"), "w") as fh:
            fh.write(config_text)
        shutil.copy(os.path.join(model_dir, weights), os.path.join(folder, "m" + ext))
        return os.path.join(name, "m_config.json")

    deep = dict(base)
    text = json.dumps(deep)
    text = text[:-1] + ', "labels_extra": ' + "[" * 100000 + "]" * 100000 + "}"
    case(pair("deep_config", text), "model", ["nested deeper than 64"])
    deep_labels = json.dumps(base)[:-1] + ', "labels": ' + "[" * 100000 + "]" * 100000 + "}"
    case(pair("deep_labels", deep_labels.replace('"labels": [', '"labels_orig": [', 1)), "model", ["nested deeper than 64"])
    big = dict(base, d_model=4096, d_state=4096)
    case(pair("huge_dims", json.dumps(big)), "model", ["limit"])
    big = dict(base, d_model=4096, d_state=4096, n_layers=1)
    case(pair("huge_dims_1layer", json.dumps(big)), "model", ["limit"])
    long = dict(base, seq_len=960000, downsample=1)
    case(pair("long_seq", json.dumps(long)), "model", ["exceeds the limit"])
    case(pair("number_1e400", json.dumps(base)[:-1] + ', "d_model": 1e400}'), "model", ["m_config.json", "not valid JSON"])
    case(pair("rate_3", json.dumps(dict(base, sample_rate=3))), "model", ["'sample_rate' must be in 1000..384000"])
    # Big value echoed: cut.
    case(pair("deep_value", json.dumps(dict(base, prenorm=[[1] * 20000]))), "model", ["'prenorm' must be true or false", "characters)"])
    # /dev/zero and /dev/urandom as the config (symlinks), a config of 2 MiB.
    for dev in ("zero", "urandom"):
        folder = os.path.join(d, "dev_" + dev)
        os.makedirs(folder, exist_ok=True)
        link = os.path.join(folder, "m_config.json")
        if os.path.lexists(link):
            os.remove(link)
        os.symlink("/dev/" + dev, link)
        shutil.copy(os.path.join(model_dir, weights), os.path.join(folder, "m" + ext))
        case(os.path.join("dev_" + dev, "m_config.json"), "model", ["character device"])
    case(pair("big_config", json.dumps(base) + " " * (2 << 20)), "model", ["more than the limit of 1048576 bytes"])


def make(d, model_dir):
    os.makedirs(d, exist_ok=True)
    malicious(d)
    bombs(d, model_dir)
    safetensors_cases(d, model_dir)
    config_cases(d, model_dir)
    # Sessions: an unknown method, deep JSON.
    with open(os.path.join(d, "unknown_method.s4session"), "w") as fh:
        json.dump({"format": "s4scope-session", "version": 1, "audio": {"path": "/nonexistent.wav", "offset_s": 0},
                   "model": "bundled", "method": "", "params": {}, "comparison": {"methods": []}}, fh)
    case("unknown_method.s4session", "session", ["unknown attribution method ''"])
    with open(os.path.join(d, "deep.s4session"), "w") as fh:
        fh.write('{"format": "s4scope-session", "x": ' + "[" * 100000 + "]" * 100000 + "}")
    case("deep.s4session", "session", ["not valid JSON"])
    with open(os.path.join(d, "manifest.json"), "w") as fh:
        json.dump(cases, fh, indent=1)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "make":
        make(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit(__doc__)
