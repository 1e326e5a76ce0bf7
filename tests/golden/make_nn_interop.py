#!/usr/bin/env python3
"""Interop fixture: a state dict exported from PyTorch 1.13.1 that AverLab must load into the matching module
(tests/AverLab.Torch.Tests/NN/InteropTests.cs, class InteropNet) and reproduce the outputs of.

Command (from the repository root): /usr/bin/python3 tests/golden/make_nn_interop.py
Writes tests/golden/interop_pytorch_net.safetensors (the state dict, converted like scripts/convert_pth_to_safetensors.py
does) and tests/golden/interop_pytorch_io.safetensors (input "x" of shape (2, 1, 8, 10) and eval-mode output "y").
"""
import os
import sys

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402

OUT = os.path.dirname(os.path.abspath(__file__))


class InteropNet(nn.Module):
    """conv → batch norm → relu → max pool → LSTM over the width axis → linear head on the last step."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, padding=1)
        self.bn = nn.BatchNorm2d(4)
        self.pool = nn.MaxPool2d(2)
        self.lstm = nn.LSTM(16, 6, batch_first=True)
        self.head = nn.Linear(6, 3)

    def forward(self, x):
        x = self.pool(torch.relu(self.bn(self.conv(x))))          # (N, 4, 4, 5)
        x = x.flatten(1, 2).transpose(1, 2)                        # (N, 5, 16)
        out, _ = self.lstm(x)
        return self.head(out[:, -1])


def build():
    torch.manual_seed(42)
    net = InteropNet()
    # A few training-mode passes give the batch norm non-trivial running statistics.
    with torch.no_grad():
        for _ in range(3):
            net(torch.randn(4, 1, 8, 10))
    net.eval()
    return net


if __name__ == "__main__":
    net = build()
    x = torch.randn(2, 1, 8, 10, generator=torch.Generator().manual_seed(7))
    with torch.no_grad():
        y = net(x)
    safetensors_io.save(os.path.join(OUT, "interop_pytorch_net.safetensors"), dict(net.state_dict()), {"format": "pt"})
    safetensors_io.save(os.path.join(OUT, "interop_pytorch_io.safetensors"), {"x": x, "y": y})
    print("wrote interop_pytorch_net.safetensors and interop_pytorch_io.safetensors")
