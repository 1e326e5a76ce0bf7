"""Golden probabilities of the shipped model packages (models/*), computed by PyTorch 1.13 from each package's own files
(model.json, weights.safetensors), for ShippedPackageTests. Run with Debian's python3-torch after re-packaging:
    /usr/bin/python3 tests/golden/make_shipped_golden.py
Writes tests/golden/shipped_<package>.safetensors: inputs (float32, as the predictor takes them, before the card's
scaler) and probabilities (float64)."""
import json, os, struct, sys
import numpy as np
import torch
from torch import nn

here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.dirname(os.path.dirname(here))
sys.path.insert(0, os.path.join(repo, "bench"))
from models import FerVgg  # noqa: E402  the PyTorch twin of src/AverLab.Models/FerVgg.cs

DTYPES = {"F16": np.float16, "F32": np.float32, "F64": np.float64, "I64": np.int64}


def read_safetensors(path):
    b = open(path, "rb").read()
    n = struct.unpack("<Q", b[:8])[0]
    header, base, out = json.loads(b[8:8 + n]), 8 + n, {}
    for k, v in header.items():
        if k == "__metadata__":
            continue
        s, e = v["data_offsets"]
        a = np.frombuffer(b[base + s:base + e], dtype=DTYPES[v["dtype"]]).reshape(v["shape"])
        out[k] = torch.tensor(a.astype(np.int64 if v["dtype"] == "I64" else np.float32))
    return out


def write_safetensors(path, tensors):
    header, blobs, off = {}, [], 0
    for k, a in tensors.items():
        raw = np.ascontiguousarray(a).tobytes()
        header[k] = {"dtype": {np.float32: "F32", np.float64: "F64"}[a.dtype.type], "shape": list(a.shape), "data_offsets": [off, off + len(raw)]}
        blobs.append(raw)
        off += len(raw)
    h = json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def face(card, weights, rng):
    o = card["options"]
    m = FerVgg(len(card["classes"]), tuple(o["channels"]))
    m.load_state_dict(weights)
    m.eval()
    x = rng.random((6, 1, 48, 48), dtype=np.float32)
    with torch.no_grad():
        t = torch.tensor(x)
        p = torch.softmax(m(t).double(), 1)
        if o.get("flip_average"):
            p = (p + torch.softmax(m(t.flip(3)).double(), 1)) / 2
    return x, p.numpy()


def mlp(card, weights, rng):
    o, scaler = card["options"], card["scaler"]
    mean, std = np.array(scaler["mean"], np.float32), np.array(scaler["std"], np.float32)
    x = (mean + std * rng.standard_normal((6, len(mean)))).astype(np.float32)
    z = (torch.tensor(x) - torch.tensor(mean)) * (1 / torch.tensor(std))
    z = (z - weights["feature_mean"]) / weights["feature_std"]
    layers = sorted({int(k.split(".")[1]) for k in weights if k.startswith("mlp.")})
    with torch.no_grad():
        for i, k in enumerate(layers):
            z = z @ weights[f"mlp.{k}.weight"].T + weights[f"mlp.{k}.bias"]
            if i < len(layers) - 1:
                z = torch.relu(z)
        p = torch.softmax(z.double(), 1)
    return x, p.numpy()


def main():
    models = os.path.join(repo, "models")
    for name in sorted(os.listdir(models)):
        folder = os.path.join(models, name)
        if not os.path.isfile(os.path.join(folder, "package.json")):
            continue
        card = json.load(open(os.path.join(folder, "model.json")))
        weights = read_safetensors(os.path.join(folder, card["checkpoint"]))
        rng = np.random.default_rng(20261207)
        make = {"fer_vgg": face, "feature_mlp": mlp}[card["model"]]
        x, p = make(card, weights, rng)
        write_safetensors(os.path.join(here, f"shipped_{name}.safetensors"), {"inputs": x, "probabilities": p})
        print(name, card["model"], x.shape, p.argmax(1))


if __name__ == "__main__":
    main()
