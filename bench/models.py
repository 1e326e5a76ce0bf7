"""PyTorch side of `bench/compare models`: one full training step (forward, cross-entropy, backward, optimizer step)
per model of the zoo, at the seeds' batch sizes, matching bench/AverLab.Bench/ModelWorkloads.cs layer for layer.

Run: /usr/bin/python3 bench/models.py [threads] [model ...]   (Debian python3-torch 1.13.1 + torchvision 0.14.1)
Prints, per model, microseconds per step (the fastest of STEPS single steps after a warm-up step):
    models.<name> pytorch=<us> unit=us threads=<n>            at the given thread count (default 2), the same as AverLab's;
                                                              eager NCHW, torch.optim.Adam/SGD as constructed by default;
                                                              bench/compare runs it under AverLab's glibc malloc settings
                                                              (GLIBC_TUNABLES, see bench/compare)
    models.<name>.defaults pytorch=<us> unit=us threads=<n>   PyTorch's eager defaults: torch's own thread count
                                                              (1 on the 2-vCPU machine), zero_grad() keeping
                                                              zero-filled gradients
Workloads (AverLab: the same): audio_cnn_transformer B=32 SGD(lr 0.01, momentum 0.8, weight_decay 1e-3); lrcn and
conv_lstm B=8 x 30 frames x 3 x 64 x 64; face_resnet34 B=64 x 3 x 64 x 64; audio_resnet B=32 x 3 x 126 x 13;
av_fusion_lstm B=8 x 8 frames + audio; av_transformer and feature_mlp B=32; fer_vgg B=64 x 1 x 48 x 48; Adam(lr 1e-3)
everywhere but the first and fer_vgg (the SGD).
The PyTorch-origin architectures are the ones of tests/golden/make_models_golden.py (checked key for key against
AverLab there); LRCN and ConvLSTM (Keras seeds) are written here.
"""
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

# PyTorch's own default, read before importing the golden script (which pins 1 thread for its fixtures).
DEFAULT_THREADS = torch.get_num_threads()

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "golden"))
import make_models_golden as zoo  # noqa: E402


class KerasLstm(nn.Module):
    def __init__(self, input_size, units):
        super().__init__()
        self.kernel = nn.Parameter(torch.empty(4 * units, input_size))
        self.recurrent_kernel = nn.Parameter(torch.empty(4 * units, units))
        self.bias = nn.Parameter(torch.zeros(4 * units))
        self.register_buffer("zero_bias", torch.zeros(4 * units), persistent=False)
        nn.init.xavier_uniform_(self.kernel)
        nn.init.orthogonal_(self.recurrent_kernel)
        self.units = units

    def forward(self, x):
        h0 = x.new_zeros(1, x.shape[0], self.units)
        _, h, _ = torch._VF.lstm(x, (h0, h0), [self.kernel, self.recurrent_kernel, self.bias, self.zero_bias], True, 1, 0.0,
                                 self.training, False, True)
        return h[0]


class Lrcn(nn.Module):
    def __init__(self, classes=6):
        super().__init__()
        mods, c = [], 3
        for i, (f, p) in enumerate(zip([16, 32, 64, 64], [4, 4, 2, 2])):
            mods += [nn.Conv2d(c, f, 3, padding=1), nn.ReLU(), nn.MaxPool2d(p, p)]
            if i < 3:
                mods.append(nn.Dropout(0.25))
            c = f
        self.cnn = nn.Sequential(*mods)
        self.lstm = KerasLstm(64, 32)
        self.dense = nn.Linear(32, classes)

    def forward(self, frames):
        b, t = frames.shape[:2]
        y = self.cnn(frames.flatten(0, 1)).permute(0, 2, 3, 1).reshape(b, t, -1)
        return self.dense(self.lstm(y))


class ConvLstm2d(nn.Module):
    def __init__(self, cin, filters, recurrent_dropout=0.2):
        super().__init__()
        self.kernel = nn.Parameter(torch.empty(4 * filters, cin, 3, 3))
        self.recurrent_kernel = nn.Parameter(torch.empty(4 * filters, filters, 3, 3))
        self.bias = nn.Parameter(torch.zeros(4 * filters))
        nn.init.xavier_uniform_(self.kernel)
        nn.init.orthogonal_(self.recurrent_kernel.data.view(4 * filters, -1))
        self.filters, self.recurrent_dropout = filters, recurrent_dropout

    def forward(self, x):
        b, t = x.shape[:2]
        xz = F.conv2d(x.flatten(0, 1), self.kernel, self.bias)
        h2, w2 = xz.shape[2:]
        xz = xz.view(b, t, 4 * self.filters, h2, w2)
        h = x.new_zeros(b, self.filters, h2, w2)
        c = x.new_zeros(b, self.filters, h2, w2)
        mask = None
        if self.training and self.recurrent_dropout > 0:
            mask = torch.empty_like(h).bernoulli_(1 - self.recurrent_dropout).div_(1 - self.recurrent_dropout)
        outs = []
        for s in range(t):
            z = xz[:, s] + F.conv2d(h if mask is None else h * mask, self.recurrent_kernel, padding=1)
            i, f, g, o = z.chunk(4, 1)
            i, f, o = [(v * 0.2).add_(0.5).clamp_(0, 1) for v in (i, f, o)]
            c = f * c + i * g.tanh()
            h = o * c.tanh()
            outs.append(h)
        return torch.stack(outs, 1)


class ConvLstm(nn.Module):
    def __init__(self, classes=6):
        super().__init__()
        self.cells = nn.ModuleList()
        c = 3
        for f in [4, 8, 14, 16]:
            self.cells.append(ConvLstm2d(c, f))
            c = f
        self.dropout = nn.Dropout(0.2)
        self.dense = nn.Linear(30 * 3 * 3 * 16, classes)

    def forward(self, x):
        b, t = x.shape[:2]
        for i, cell in enumerate(self.cells):
            y = F.max_pool2d(cell(x).flatten(0, 1), 2, 2, ceil_mode=True)
            if i < 3:
                y = self.dropout(y)
            x = y.unflatten(0, (b, t))
        return self.dense(x.permute(0, 1, 3, 4, 2).flatten(1))


class FerVgg(nn.Module):
    """configs/fer2013_face.yaml's fer_vgg (src/AverLab.Models/FerVgg.cs): 4 stages of 2 x [conv3x3, BN, ReLU] + max-pool
    on 48x48 grayscale faces, then Dropout, Linear(2304, 256), ReLU, Dropout, Linear(256, 7)."""

    def __init__(self, classes=7, channels=(32, 64, 128, 256)):
        super().__init__()
        layers, c = [], 1
        for k in channels:
            for _ in range(2):
                layers += [nn.Conv2d(c, k, 3, padding=1, bias=False), nn.BatchNorm2d(k), nn.ReLU(inplace=True)]
                c = k
            layers.append(nn.MaxPool2d(2))
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(nn.Dropout(0.4), nn.Linear(c * 9, 256), nn.ReLU(inplace=True), nn.Dropout(0.4),
                                        nn.Linear(256, classes))

    def forward(self, x):
        return self.classifier(self.features(x).flatten(1))


def workloads():
    """name → (model factory, inputs factory, batch, classes, optimizer factory)"""
    sgd = lambda p: torch.optim.SGD(p, lr=0.01, momentum=0.8, weight_decay=1e-3)  # noqa: E731
    adam = lambda p: torch.optim.Adam(p, lr=1e-3)  # noqa: E731
    return {
        "audio_cnn_transformer": (lambda: zoo.ParallelAllYouWant(8), lambda: (torch.randn(32, 1, 40, 282),), 32, 8, sgd),
        "lrcn": (lambda: Lrcn(6), lambda: (torch.randn(8, 30, 3, 64, 64),), 8, 6, adam),
        "conv_lstm": (lambda: ConvLstm(6), lambda: (torch.randn(8, 30, 3, 64, 64),), 8, 6, adam),
        "face_resnet34": (lambda: zoo.FaceResNet(7, depth=34), lambda: (torch.randn(64, 3, 64, 64),), 64, 7, adam),
        "audio_resnet": (lambda: zoo.FaceResNet(8, dense_layers=3), lambda: (torch.randn(32, 3, 126, 13),), 32, 8, adam),
        "av_fusion_lstm": (lambda: zoo.AvFusionLstm(8),
                           lambda: (torch.randn(8, 8, 3, 64, 64), torch.randn(8, 3, 126, 13)), 8, 8, adam),
        "av_transformer": (lambda: zoo.AvTransformer(8), lambda: (torch.randn(32, 552),), 32, 8, adam),
        "feature_mlp": (lambda: zoo.FeatureMlp(8), lambda: (torch.randn(32, 180),), 32, 8, adam),
        "fer_vgg": (lambda: FerVgg(7), lambda: (torch.randn(64, 1, 48, 48),), 64, 7, sgd),
    }


# Single timed steps per model (after one warm-up step), about 3 s of steps; the line reports the fastest: on a shared
# 2-core VM, where a burst of load from elsewhere lands on some steps, the fastest step is the stable measure of a
# step's own cost. AverLab.Bench uses the same counts.
STEPS = {"audio_cnn_transformer": 10, "lrcn": 20, "conv_lstm": 6, "face_resnet34": 6, "audio_resnet": 20,
         "av_fusion_lstm": 8, "av_transformer": 1000, "feature_mlp": 6000, "fer_vgg": 20}


# BENCH_PHASES=n: before a model's line, time n single steps phase by phase and print the min and median of each to
# stderr (AverLab.Bench does the same with AVERLAB_BENCH_PHASES=n). For finding where a step's time goes.
PHASE_ITERATIONS = int(os.environ.get("BENCH_PHASES", "0") or 0)


def print_phases(name, threads, model, inputs, labels, opt):
    phases = ["forward", "zero_grad", "backward", "step", "total"]
    times = [[] for _ in phases]
    for i in range(PHASE_ITERATIONS + 1):
        t0 = time.perf_counter()
        loss = F.cross_entropy(model(*inputs), labels)
        t1 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        t2 = time.perf_counter()
        loss.backward()
        t3 = time.perf_counter()
        opt.step()
        t4 = time.perf_counter()
        if i == 0:
            continue  # warm-up
        marks = [t0, t1, t2, t3, t4]
        for k in range(4):
            times[k].append((marks[k + 1] - marks[k]) * 1e3)
        times[4].append((t4 - t0) * 1e3)
    parts = []
    for p, ts in zip(phases, times):
        ts = sorted(ts)
        parts.append(f"{p}={ts[0]:.3f}/{ts[len(ts) // 2]:.3f}")
    print(f"phases.{name} pytorch threads={threads} ms(min/median): {' '.join(parts)}", file=sys.stderr, flush=True)


def step_time(name, threads, set_to_none):
    make_model, make_inputs, batch, classes, make_opt = workloads()[name]
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = make_model().train()
    inputs = make_inputs()
    labels = torch.arange(batch) % classes
    opt = make_opt(model.parameters())

    def body():
        loss = F.cross_entropy(model(*inputs), labels)
        opt.zero_grad(set_to_none=set_to_none)
        loss.backward()
        opt.step()

    if PHASE_ITERATIONS > 0 and set_to_none:
        print_phases(name, threads, model, inputs, labels, opt)
    body()
    best = float("inf")
    for _ in range(STEPS[name]):
        t0 = time.perf_counter()
        body()
        best = min(best, time.perf_counter() - t0)
    return best


def main():
    if sys.argv[1:] == ["--list"]:
        print(" ".join(workloads()))
        return
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    names = sys.argv[2:] or list(workloads())
    unknown = [n for n in names if n not in workloads()]
    if unknown:
        sys.exit(f"bench/models.py: unknown model(s) {', '.join(unknown)} (known: {', '.join(workloads())})")
    # BENCH_LINES=matched|defaults: only one of the two lines (bench/compare runs them as separate processes, the
    # matched one under AverLab's glibc malloc settings, which are per process).
    lines = os.environ.get("BENCH_LINES", "both")
    for name in names:
        # AverLab's steps clear gradients to None (its optimizers' default); match that for the side-by-side line.
        if lines in ("both", "matched"):
            print(f"models.{name} pytorch={step_time(name, threads, True) * 1e6:.1f} unit=us threads={threads}", flush=True)
        if lines in ("both", "defaults"):
            print(f"models.{name}.defaults pytorch={step_time(name, DEFAULT_THREADS, False) * 1e6:.1f} unit=us "
                  f"threads={DEFAULT_THREADS}", flush=True)


if __name__ == "__main__":
    main()
