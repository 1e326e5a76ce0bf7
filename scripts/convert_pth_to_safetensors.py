#!/usr/bin/env python3
"""Converts a PyTorch checkpoint (.pth / .pt state dict) to safetensors for AverLab's Module.load.

Usage (Debian's python3-torch; no other packages needed):
    /usr/bin/python3 scripts/convert_pth_to_safetensors.py model.pth model.safetensors [--key state_dict]
        [--strip-prefix module.] [--unsafe-pickle]

- Accepts a bare state dict, or a dict holding one under --key (default: tries "state_dict", "model",
  "model_state_dict"), or (with --unsafe-pickle) a whole pickled nn.Module.
- By default loads with torch.load(weights_only=True), which refuses arbitrary pickled code; --unsafe-pickle lifts
  that for files you trust.
- --strip-prefix removes a leading prefix from every key (e.g. "module." left by DataParallel).
- Non-tensor entries are skipped with a note; tensors sharing storage are written as independent copies.
- The output is written to a temporary file and renamed, so a failure never leaves a half-written file.
Exit status 0 on success, 1 with a message naming the file on any problem.
"""
import argparse
import json
import os
import struct
import sys

import torch

TAGS = {torch.float32: "F32", torch.float64: "F64", torch.float16: "F16", torch.bfloat16: "BF16", torch.int64: "I64",
        torch.int32: "I32", torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8", torch.bool: "BOOL"}


def find_state_dict(obj, key):
    if isinstance(obj, torch.nn.Module):
        return obj.state_dict()
    if not isinstance(obj, dict):
        raise ValueError(f"expected a state dict (a dict of tensors), found {type(obj).__name__}")
    keys = [key] if key else ["state_dict", "model", "model_state_dict"]
    for k in keys:
        if k in obj and isinstance(obj[k], (dict, torch.nn.Module)):
            return find_state_dict(obj[k], None) if isinstance(obj[k], torch.nn.Module) else obj[k]
    if key:
        raise ValueError(f"no entry '{key}' in the checkpoint (top-level keys: {sorted(map(str, obj))[:10]})")
    return obj


def write_safetensors(path, tensors, metadata):
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().cpu().contiguous().clone()
        if t.dtype not in TAGS:
            raise ValueError(f"tensor '{name}' has dtype {t.dtype}, which safetensors (and AverLab) cannot store")
        raw = (t.view(torch.int16) if t.dtype == torch.bfloat16 else t).numpy().tobytes()
        header[name] = {"dtype": TAGS[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    header["__metadata__"] = metadata
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src")
    ap.add_argument("dst")
    ap.add_argument("--key", help="entry of the checkpoint dict that holds the state dict")
    ap.add_argument("--strip-prefix", default="", help='prefix to remove from every key, e.g. "module."')
    ap.add_argument("--unsafe-pickle", action="store_true", help="allow arbitrary pickled objects (trusted files only)")
    args = ap.parse_args(argv)
    try:
        obj = torch.load(args.src, map_location="cpu", weights_only=not args.unsafe_pickle)
        sd = find_state_dict(obj, args.key)
        tensors, skipped = {}, []
        for k, v in sd.items():
            if not torch.is_tensor(v):
                skipped.append(k)
                continue
            name = k[len(args.strip_prefix):] if args.strip_prefix and k.startswith(args.strip_prefix) else k
            tensors[name] = v
        if not tensors:
            raise ValueError("no tensors found")
        write_safetensors(args.dst, tensors, {"format": "pt", "source": os.path.basename(args.src)})
    except Exception as e:  # noqa: BLE001 - one clear line naming the file, never a traceback
        print(f"error: {args.src}: {e}", file=sys.stderr)
        return 1
    print(f"wrote {len(tensors)} tensors to {args.dst}" + (f" (skipped non-tensor entries: {', '.join(skipped)})" if skipped else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
