"""PyTorch side of `bench/compare nn`: full training steps (forward, loss, backward, SGD step) of the two models
of the nn benchmark, matching bench/AverLab.Bench/NnWorkloads.cs layer for layer.

Run: /usr/bin/python3 bench/nn_models.py [threads]   (Debian python3-torch 1.13.1; AverLab runs TorchSharp's libtorch 2.10)
Prints `nn.cnn_step pytorch=<us> unit=us threads=<n>` and `nn.lstm_step ...`: microseconds per step, best of 5
repeats after a warm-up.
- CNN: 2 x [conv3x3 (1->16, 16->32, padding 1), batchnorm, relu, maxpool 2] + linear(32*10*70 -> 8) on 32 x 1x40x282.
- LSTM: 2-layer LSTM(40 -> 128, batch_first) on 32 x 100 steps x 40 features, last step -> linear(128 -> 8).
Both: cross-entropy on fixed labels, plain SGD (lr 0.01, no momentum), set_to_none zero_grad.
"""
import sys

import torch

from timing import seconds_per_iteration
import torch.nn as nn
import torch.nn.functional as F



class Cnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2))
        self.head = nn.Linear(32 * 10 * 70, 8)

    def forward(self, x):
        return self.head(self.features(x).flatten(1))


class LstmClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(40, 128, num_layers=2, batch_first=True)
        self.head = nn.Linear(128, 8)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[:, -1])


def step_time(model, x, y, iterations):
    opt = torch.optim.SGD(model.parameters(), lr=0.01)

    def body(n):
        for _ in range(n):
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
            opt.zero_grad(set_to_none=True)

    return seconds_per_iteration(body, iterations, repeats=5, warmup=3)


if __name__ == "__main__":
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    y = torch.arange(32) % 8
    cnn = step_time(Cnn(), torch.randn(32, 1, 40, 282), y, 10)
    print(f"nn.cnn_step pytorch={cnn * 1e6:.1f} unit=us threads={threads}")
    lstm = step_time(LstmClassifier(), torch.randn(32, 100, 40), y, 10)
    print(f"nn.lstm_step pytorch={lstm * 1e6:.1f} unit=us threads={threads}")
