"""PyTorch side of `bench/compare convs`: the convolutions of the face ResNet34 step (batch 64, 64 x 64 faces), forward
+ backward, NCHW as a PyTorch user runs them; the same shapes as bench/AverLab.Bench/ConvLayers.cs.

Run: /usr/bin/python3 bench/convs.py
"""
import time

import torch
import torch.nn.functional as F

# (name, in, out, size, kernel, stride, count in ResNet34 at 64 x 64)
SHAPES = [("stem", 3, 64, 64, 7, 2, 1), ("l1", 64, 64, 16, 3, 1, 6), ("l2a", 64, 128, 16, 3, 2, 1), ("l2ds", 64, 128, 16, 1, 2, 1),
          ("l2", 128, 128, 8, 3, 1, 7), ("l3a", 128, 256, 8, 3, 2, 1), ("l3ds", 128, 256, 8, 1, 2, 1), ("l3", 256, 256, 4, 3, 1, 11),
          ("l4a", 256, 512, 4, 3, 2, 1), ("l4ds", 256, 512, 4, 1, 2, 1), ("l4", 512, 512, 2, 3, 1, 5)]

if __name__ == "__main__":
    torch.set_num_threads(2)
    total = 0.0
    for name, cin, cout, size, k, stride, count in SHAPES:
        torch.manual_seed(0)
        conv = torch.nn.Conv2d(cin, cout, k, stride=stride, padding=k // 2, bias=False)
        x = torch.randn(64, cin, size, size).requires_grad_(name != "stem")
        fwd = bwd = float("inf")
        for i in range(8):
            t0 = time.perf_counter()
            y = conv(x)
            t1 = time.perf_counter()
            y.backward(torch.ones_like(y))
            t2 = time.perf_counter()
            x.grad = None
            conv.zero_grad(set_to_none=True)
            if i:
                fwd, bwd = min(fwd, (t1 - t0) * 1e3), min(bwd, (t2 - t1) * 1e3)
        total += count * (fwd + bwd)
        print(f"convs.{name} pytorch={fwd + bwd:.3f} unit=ms threads=2 forward={fwd:.2f} count={count}")
    print(f"convs.weighted_total pytorch={total:.3f} unit=ms threads=2 layout=nchw")
