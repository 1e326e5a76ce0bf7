"""PyTorch side of `bench/compare engine`: the same workloads as bench/AverLab.Bench/EngineWorkloads.cs.

Run: /usr/bin/python3 bench/engine.py   (Debian python3-torch 1.13.1; AverLab runs TorchSharp's libtorch 2.10)
"""

import torch

from timing import seconds_per_iteration



def per_op():
    a, b = torch.ones(1), torch.ones(1)

    def body(n):
        for _ in range(n):
            c = a + b
            del c

    return seconds_per_iteration(body, 1_000_000)


def small_step():
    torch.manual_seed(0)
    x = torch.randn(32, 40)
    w = torch.randn(40, 8, requires_grad=True)

    def body(n):
        for _ in range(n):
            x.matmul(w).relu().sum().backward()
            w.grad = None

    return seconds_per_iteration(body, 50_000)


def matmul():
    torch.manual_seed(0)
    a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)

    def body(n):
        for _ in range(n):
            c = a.matmul(b)
            del c

    return seconds_per_iteration(body, 20, repeats=5, warmup=3)


def adam_ops():
    torch.manual_seed(0)
    p, g = torch.randn(4_000_000), torch.randn(4_000_000)
    m, v = torch.zeros(4_000_000), torch.zeros(4_000_000)

    def body(n):
        for _ in range(n):
            m.mul_(0.9).add_(g, alpha=0.1)
            v.mul_(0.999).addcmul_(g, g, value=0.001)
            denom = (v.sqrt() / 0.5).add_(1e-8)
            p.addcdiv_(m, denom, value=-1e-3)

    return seconds_per_iteration(body, 20, repeats=5, warmup=3)


if __name__ == "__main__":
    torch.set_num_threads(1)
    print(f"engine.per_op pytorch={per_op() * 1e6:.3f} unit=us threads=1")
    print(f"engine.small_step pytorch={small_step() * 1e6:.2f} unit=us threads=1")
    torch.set_num_threads(2)
    mm = matmul()
    print(f"engine.matmul pytorch={mm * 1e3:.3f} unit=ms threads=2 gflops={2.0 * 1024 ** 3 / mm / 1e9:.1f}")
    print(f"engine.adam_ops pytorch={adam_ops() * 1e3:.3f} unit=ms threads=2")
