#!/usr/bin/env python3
"""Golden fixtures for AverLab.Models: the PyTorch-origin models defined here in PyTorch, with the same
state-dict keys and shapes as AverLab's, filled by a deterministic, seed-free weight recipe that AverLab's tests apply
identically, run in eval mode on fixed inputs.

Command (from the repository root; Debian's python3-torch 1.13.1 and python3-torchvision 0.14.1, CPU, float32):
    /usr/bin/python3 tests/golden/make_models_golden.py
Writes, per case:
    tests/golden/models_<case>.safetensors   in.<input> (inputs, torch.manual_seed(0) randn) and out.logits
    tests/golden/models_<case>.keys.txt      one line per state-dict entry in order: "<param|buffer> <name> <d0>x<d1>..."
Weight recipe (k = index of the entry in state-dict order, i = arange(numel), float64 then float32):
    integer buffers (num_batches_tracked)    left as they are (0)
    *running_mean                            0
    *running_var, *_std                      1 + 0.1 cos(0.37 i + k)
    tensors with 2+ dimensions               sin(0.37 i + k) / sqrt(numel / shape[0])   (1/sqrt(fan_in))
    1-D *weight                              1 + 0.1 sin(0.37 i + k)
    other 1-D                                0.1 sin(0.37 i + k)
Cases and their AverLab options are listed in CASES below (and in each fixture's metadata "options").
"""
import json
import math
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402

OUT = os.path.dirname(os.path.abspath(__file__))
torch.set_num_threads(1)


# ---- the architectures, as in the seeds ------------------------------------------------------------------------------

class ParallelAllYouWant(nn.Module):
    """Zenkov's two-parallel CNN + Transformer on MFCC 1 x 40 x 282."""

    def __init__(self, num_emotions=8, branches=2):
        super().__init__()
        self.branches = branches
        for b in range(branches):
            setattr(self, f"conv2Dblock{b + 1}", nn.Sequential(
                nn.Conv2d(1, 16, 3, 1, 1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2, 2), nn.Dropout(0.3),
                nn.Conv2d(16, 32, 3, 1, 1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(4, 4), nn.Dropout(0.3),
                nn.Conv2d(32, 64, 3, 1, 1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(4, 4), nn.Dropout(0.3)))
        self.transformer_maxpool = nn.MaxPool2d(kernel_size=[1, 4], stride=[1, 4])
        layer = nn.TransformerEncoderLayer(d_model=40, nhead=4, dim_feedforward=512, dropout=0.4, activation="relu")
        self.transformer_encoder = nn.TransformerEncoder(layer, num_layers=4)
        self.fc1_linear = nn.Linear(512 * branches + 40, num_emotions)

    def forward(self, audio):
        parts = [torch.flatten(getattr(self, f"conv2Dblock{b + 1}")(audio), start_dim=1) for b in range(self.branches)]
        x = torch.squeeze(self.transformer_maxpool(audio), 1).permute(2, 0, 1)
        parts.append(torch.mean(self.transformer_encoder(x), dim=0))
        return self.fc1_linear(torch.cat(parts, dim=1))


def dense_head(in_features, hidden, layers, dropout, classes):
    if layers == 0:
        return nn.Linear(in_features, classes)
    mods = [nn.Linear(in_features, hidden), nn.BatchNorm1d(hidden)]
    for _ in range(layers - 1):
        mods += [nn.Linear(hidden, hidden), nn.ReLU(), nn.Dropout(dropout), nn.BatchNorm1d(hidden)]
    mods.append(nn.Linear(hidden, classes))
    return nn.Sequential(*mods)


def resnet(depth):
    return {18: torchvision.models.resnet18, 34: torchvision.models.resnet34}[depth]()


class FaceResNet(nn.Module):
    """torchvision ResNet with fc replaced by the dense head; landmarks concatenated to the 512 features."""

    def __init__(self, classes, depth=18, landmarks=0, dense_layers=0, hidden=512, dropout=0.3):
        super().__init__()
        net = resnet(depth)
        net.fc = nn.Identity()
        for name, child in net.named_children():
            if name != "fc":
                setattr(self, name, child)
        self._trunk = [net]  # not a registered module: its children are registered above, torchvision's names
        self.landmarks = landmarks
        self.fc = dense_head(512 + landmarks, hidden, dense_layers, dropout, classes)

    def forward(self, image, landmarks=None):
        f = self._trunk[0](image)
        if self.landmarks:
            f = torch.cat([f, landmarks], 1)
        return self.fc(f)


def backbone18():
    net = torchvision.models.resnet18()
    net.fc = nn.Identity()
    return net


class AvFusionLstm(nn.Module):
    def __init__(self, classes=8, lstm_hidden=128, hidden=128, dense_layers=2, dropout=0.3, sentiment=False):
        super().__init__()
        self.face_encoder = backbone18()
        self.face_dropout = nn.Dropout(dropout)
        self.face_bn = nn.BatchNorm1d(512)
        self.lstm = nn.LSTM(512, lstm_hidden, batch_first=True)
        self.audio_encoder = backbone18()
        self.audio_dropout = nn.Dropout(dropout)
        self.audio_bn = nn.BatchNorm1d(512)
        self.sentiment = sentiment
        self.classifier = dense_head(lstm_hidden + 512 + (9 if sentiment else 0), hidden, dense_layers, dropout, classes)

    def forward(self, frames, audio, sentiment=None):
        b, t = frames.shape[:2]
        f = self.face_bn(self.face_dropout(self.face_encoder(frames.flatten(0, 1)))).view(b, t, -1)
        out, _ = self.lstm(f)
        parts = [out[:, -1], self.audio_bn(self.audio_dropout(self.audio_encoder(audio)))]
        if self.sentiment:
            parts.append(sentiment)
        return self.classifier(torch.cat(parts, 1))


class AvTransformer(nn.Module):
    def __init__(self, classes=8, input_size=552, d_model=128, heads=4, ff=512, layers=2, head_hidden=64, dropout=0.1):
        super().__init__()
        self.input_proj = nn.Linear(input_size, d_model)
        self.input_norm = nn.LayerNorm(d_model)
        self.input_dropout = nn.Dropout(dropout)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d_model, heads, ff, dropout, batch_first=True), layers)
        self.head = nn.Sequential(nn.Linear(d_model, head_hidden), nn.ReLU(), nn.Dropout(dropout), nn.Linear(head_hidden, classes))

    def forward(self, features):
        x = self.input_dropout(torch.relu(self.input_norm(self.input_proj(features))))
        return self.head(self.encoder(x.unsqueeze(1)).squeeze(1))


class FeatureMlp(nn.Module):
    def __init__(self, classes=8, input_size=180, hidden=(256, 128), dropout=0.3, pca=0):
        super().__init__()
        self.register_buffer("feature_mean", torch.zeros(input_size))
        self.register_buffer("feature_std", torch.ones(input_size))
        self.pca = pca
        if pca:
            self.register_buffer("pca_components", torch.eye(input_size)[:pca].clone())
        mods, width = [], pca or input_size
        for h in hidden:
            mods += [nn.Linear(width, h), nn.ReLU(), nn.Dropout(dropout)]
            width = h
        mods.append(nn.Linear(width, classes))
        self.mlp = nn.Sequential(*mods)

    def forward(self, features):
        x = (features - self.feature_mean) / self.feature_std
        if self.pca:
            x = x @ self.pca_components.t()
        return self.mlp(x)


# ---- the recipe ------------------------------------------------------------------------------------------------------

def recipe(model):
    sd = model.state_dict()
    with torch.no_grad():
        for k, (name, t) in enumerate(sd.items()):
            if not t.is_floating_point():
                continue
            i = np.arange(t.numel(), dtype=np.float64)
            if name.endswith("running_mean"):
                v = np.zeros_like(i)
            elif name.endswith("running_var") or name.endswith("_std"):
                v = 1 + 0.1 * np.cos(0.37 * i + k)
            elif t.dim() >= 2:
                v = np.sin(0.37 * i + k) / math.sqrt(t.numel() / t.shape[0])
            elif name.endswith("weight"):
                v = 1 + 0.1 * np.sin(0.37 * i + k)
            else:
                v = 0.1 * np.sin(0.37 * i + k)
            t.copy_(torch.from_numpy(v.astype(np.float32)).view(t.shape))


def keys_listing(model):
    params = {n for n, _ in model.named_parameters()}
    lines = []
    for name, t in model.state_dict().items():
        kind = "param" if name in params else "buffer"
        lines.append(f"{kind} {name} {'x'.join(str(d) for d in t.shape) or 'scalar'}")
    return "\n".join(lines) + "\n"


# ---- cases: name, AverLab registry name + options, PyTorch model, inputs ---------------------------------------------

def cases():
    g = torch.manual_seed(0)
    yield ("audio_cnn_transformer", "audio_cnn_transformer", {}, ParallelAllYouWant(8),
           {"audio": torch.randn(2, 1, 40, 282, generator=g)})
    yield ("face_resnet18", "face_resnet", {"NumClasses": 7}, FaceResNet(7),
           {"image": torch.randn(2, 3, 64, 64, generator=g)})
    yield ("face_resnet34_landmarks", "face_resnet",
           {"NumClasses": 7, "Depth": 34, "LandmarkCount": 136, "DenseLayers": 2, "HiddenSize": 256},
           FaceResNet(7, depth=34, landmarks=136, dense_layers=2, hidden=256),
           {"image": torch.randn(2, 3, 64, 64, generator=g), "landmarks": torch.randn(2, 136, generator=g)})
    yield ("audio_resnet", "audio_resnet", {}, FaceResNet(8, depth=18, dense_layers=3, hidden=512),
           {"audio": torch.randn(2, 3, 126, 13, generator=g)})
    yield ("av_fusion_lstm", "av_fusion_lstm", {"UseSentiment": True}, AvFusionLstm(8, sentiment=True),
           {"frames": torch.randn(2, 3, 3, 64, 64, generator=g), "audio": torch.randn(2, 3, 126, 13, generator=g),
            "sentiment": torch.randn(2, 9, generator=g)})
    yield ("av_transformer", "av_transformer", {}, AvTransformer(8),
           {"features": torch.randn(4, 552, generator=g)})
    yield ("feature_mlp_pca", "feature_mlp", {"PcaComponents": 16}, FeatureMlp(8, pca=16),
           {"features": torch.randn(4, 180, generator=g)})


def main():
    for case, registry_name, options, model, inputs in cases():
        recipe(model)
        model.eval()
        with torch.no_grad():
            if isinstance(model, FaceResNet) and "landmarks" in inputs:
                logits = model(inputs["image"], inputs["landmarks"])
            elif isinstance(model, AvFusionLstm):
                logits = model(inputs["frames"], inputs["audio"], inputs["sentiment"])
            else:
                logits = model(*inputs.values())
        tensors = {f"in.{k}": v for k, v in inputs.items()}
        tensors["out.logits"] = logits
        meta = {"model": registry_name, "options": json.dumps(options, sort_keys=True),
                "parameters": str(sum(p.numel() for p in model.parameters()))}
        safetensors_io.save(os.path.join(OUT, f"models_{case}.safetensors"), tensors, meta)
        with open(os.path.join(OUT, f"models_{case}.keys.txt"), "w") as f:
            f.write(keys_listing(model))
        print(f"{case}: {meta['parameters']} parameters, logits max |x| {logits.abs().max().item():.4g}, "
              f"{len(model.state_dict())} state-dict entries")
    # Parameter counts of the default torchvision-based models (the C# tests assert these too).
    for name, m in [("face_resnet18 7 classes", FaceResNet(7)), ("face_resnet34 7 classes", FaceResNet(7, depth=34)),
                    ("audio_resnet 8 classes", FaceResNet(8, dense_layers=3)), ("av_fusion_lstm 8 classes", AvFusionLstm(8)),
                    ("av_transformer 8 classes", AvTransformer(8)), ("feature_mlp 8 classes", FeatureMlp(8))]:
        print(f"count {name}: {sum(p.numel() for p in m.parameters())}")


if __name__ == "__main__":
    main()
