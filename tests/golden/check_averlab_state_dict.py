#!/usr/bin/env python3
"""Checks that a state dict written by AverLab loads into the matching PyTorch module and gives AverLab's outputs.

Run the C# test first (it writes the files), then, from the repository root:
    dotnet test tests/AverLab.Torch.Tests --filter InteropTests
    /usr/bin/python3 tests/golden/check_averlab_state_dict.py [DIR]
DIR defaults to $TMPDIR/averlab-interop (where InteropTests.AverLabStateDictIsWrittenForPyTorch writes
averlab_net.safetensors and averlab_io.safetensors). Exit status 0 and "OK" when PyTorch's strict load_state_dict
accepts the file and its outputs equal AverLab's within 1e-5 relative.
"""
import os
import sys
import tempfile

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402
from make_nn_interop import InteropNet  # noqa: E402


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else os.path.join(tempfile.gettempdir(), "averlab-interop")
    state, meta = safetensors_io.load(os.path.join(d, "averlab_net.safetensors"))
    io, _ = safetensors_io.load(os.path.join(d, "averlab_io.safetensors"))
    net = InteropNet()
    net.load_state_dict(state, strict=True)
    net.eval()
    with torch.no_grad():
        y = net(io["x"])
    ok = torch.allclose(y, io["y"], rtol=1e-5, atol=1e-6)
    print(f"{len(state)} tensors loaded strictly; max |PyTorch - AverLab| = {(y - io['y']).abs().max().item():.3g}; metadata {meta}")
    print("OK" if ok else "MISMATCH")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
