#!/usr/bin/python3
"""Golden values for AverLab.Torch optimizers, clip_grad_* and LR schedulers.

Command (from the repository root; Debian's python3-torch 1.13.1, CPU, 1 thread):
    /usr/bin/python3 tests/golden/make_optim_golden.py

Writes, next to this script:
  optim_model.safetensors       the fixed model: x [6,5], y [6,3], W1 [8,5], b1 [8], W2 [3,8], b2 [3]
                                (torch.manual_seed(1234); randn scaled by 0.5 / 1.0)
  optim_<family>.safetensors    per configuration <name>: <name>.W1 [20,8,5], <name>.b1 [20,8], ... = the
                                parameters after each of 20 steps (single-tensor algorithms, foreach=False), and
                                for clipping configurations <name>.total_norm [20]; metadata <name> = the
                                configuration as JSON (optimizer, kwargs, optional groups and clip).
  optim_pytorch_state.safetensors  per configuration <name>: PyTorch's own optimizer state after 5 steps in
                                AverLab's layout (tensors <name>.state.<i>.<key>, metadata <name>.param_groups =
                                json.dumps(optimizer.state_dict()['param_groups'])), the parameters after 5 steps
                                <name>.param.W1 ..., and the next 15 steps' trajectory <name>.W1 [15,8,5] ...
  optim_schedulers.safetensors  per scheduler configuration <name>.lr [31, groups] (F64): get_last_lr() after
                                construction and after each of 30 steps; <name>.momentum / <name>.beta1 for
                                OneCycleLR; <name>.metrics for ReduceLROnPlateau; metadata <name> = JSON config.

The model is a 2-layer MLP written with raw tensors: pred = tanh(x @ W1.t() + b1) @ W2.t() + b2,
loss = (pred - y).pow(2).mean(); each step: zero_grad(set_to_none=True), loss.backward(), [clip], step().
"""
import json
import math
import os

import struct

import torch

torch.set_num_threads(1)
HERE = os.path.dirname(os.path.abspath(__file__))
STEPS = 20
SCHED_STEPS = 30
NAMES = ["W1", "b1", "W2", "b2"]


def save_file(path, tensors, metadata):
    # Minimal safetensors writer (no PyPI here): 8-byte LE header length, JSON header, raw LE data.
    dtypes = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64"}  # noqa: E501
    header, blobs, offset = {"__metadata__": metadata}, [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous()
        data = t.numpy().tobytes()
        header[name] = {"dtype": dtypes[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def model_tensors():
    g = torch.Generator().manual_seed(1234)
    x = torch.randn(6, 5, generator=g)
    y = torch.randn(6, 3, generator=g)
    params = {
        "W1": torch.randn(8, 5, generator=g) * 0.5,
        "b1": torch.randn(8, generator=g) * 0.5,
        "W2": torch.randn(3, 8, generator=g) * 0.5,
        "b2": torch.randn(3, generator=g) * 0.5,
    }
    return x, y, params


def loss_fn(x, y, p):
    h = torch.tanh(x.matmul(p["W1"].t()) + p["b1"])
    pred = h.matmul(p["W2"].t()) + p["b2"]
    return (pred - y).pow(2).mean()


OPTIMIZERS = {
    "SGD": torch.optim.SGD,
    "Adam": torch.optim.Adam,
    "AdamW": torch.optim.AdamW,
    "RMSprop": torch.optim.RMSprop,
    "Adagrad": torch.optim.Adagrad,
}

# family -> {name: config}. groups: list of (param names, group overrides); clip: [kind, value, norm_type].
CONFIGS = {
    "sgd": {
        "sgd_plain": {"optimizer": "SGD", "kwargs": {"lr": 0.1}},
        "sgd_momentum": {"optimizer": "SGD", "kwargs": {"lr": 0.05, "momentum": 0.9}},
        "sgd_dampening_wd": {"optimizer": "SGD", "kwargs": {"lr": 0.05, "momentum": 0.9, "dampening": 0.1, "weight_decay": 0.01}},
        "sgd_nesterov_wd": {"optimizer": "SGD", "kwargs": {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 0.001}},
        "sgd_maximize": {"optimizer": "SGD", "kwargs": {"lr": 0.05, "momentum": 0.5, "maximize": True}},
        "sgd_groups": {"optimizer": "SGD", "kwargs": {"lr": 0.1, "momentum": 0.9},
                       "groups": [[["W1", "b1"], {}], [["W2", "b2"], {"lr": 0.02, "weight_decay": 0.01}]]},
        "sgd_clip_norm2": {"optimizer": "SGD", "kwargs": {"lr": 0.1, "momentum": 0.9}, "clip": ["norm", 0.5, 2.0]},
        "sgd_clip_norm_inf": {"optimizer": "SGD", "kwargs": {"lr": 0.1}, "clip": ["norm", 0.2, "inf"]},
        "sgd_clip_norm1": {"optimizer": "SGD", "kwargs": {"lr": 0.1}, "clip": ["norm", 1.0, 1.0]},
        "sgd_clip_value": {"optimizer": "SGD", "kwargs": {"lr": 0.1}, "clip": ["value", 0.02, None]},
    },
    "adam": {
        "adam_default": {"optimizer": "Adam", "kwargs": {"lr": 0.01}},
        "adam_wd_betas": {"optimizer": "Adam", "kwargs": {"lr": 0.01, "weight_decay": 0.01, "betas": [0.8, 0.99]}},
        "adam_amsgrad": {"optimizer": "Adam", "kwargs": {"lr": 0.01, "amsgrad": True}},
        "adam_amsgrad_maximize_wd": {"optimizer": "Adam", "kwargs": {"lr": 0.005, "amsgrad": True, "maximize": True, "weight_decay": 0.001, "eps": 1e-6}},
        "adam_groups": {"optimizer": "Adam", "kwargs": {"lr": 0.01},
                        "groups": [[["W1", "W2"], {"betas": [0.5, 0.9]}], [["b1", "b2"], {"lr": 0.03, "amsgrad": True}]]},
    },
    "adamw": {
        "adamw_default": {"optimizer": "AdamW", "kwargs": {"lr": 0.01}},
        "adamw_amsgrad_wd": {"optimizer": "AdamW", "kwargs": {"lr": 0.01, "weight_decay": 0.1, "amsgrad": True}},
        "adamw_maximize_betas": {"optimizer": "AdamW", "kwargs": {"lr": 0.01, "maximize": True, "betas": [0.85, 0.95]}},
    },
    "rmsprop": {
        "rmsprop_default": {"optimizer": "RMSprop", "kwargs": {"lr": 0.01}},
        "rmsprop_centered": {"optimizer": "RMSprop", "kwargs": {"lr": 0.01, "centered": True}},
        "rmsprop_momentum_wd_alpha": {"optimizer": "RMSprop", "kwargs": {"lr": 0.005, "momentum": 0.9, "weight_decay": 0.01, "alpha": 0.9}},
        "rmsprop_centered_momentum_maximize": {"optimizer": "RMSprop", "kwargs": {"lr": 0.005, "centered": True, "momentum": 0.5, "maximize": True, "eps": 1e-6}},
    },
    "adagrad": {
        "adagrad_default": {"optimizer": "Adagrad", "kwargs": {"lr": 0.1}},
        "adagrad_lrdecay_init": {"optimizer": "Adagrad", "kwargs": {"lr": 0.1, "lr_decay": 0.01, "initial_accumulator_value": 0.1}},
        "adagrad_wd_maximize": {"optimizer": "Adagrad", "kwargs": {"lr": 0.05, "weight_decay": 0.01, "maximize": True, "eps": 1e-8}},
    },
}


def run_config(cfg, x, y, init):
    params = {k: v.clone().requires_grad_(True) for k, v in init.items()}
    kwargs = dict(cfg["kwargs"])
    if "betas" in kwargs:
        kwargs["betas"] = tuple(kwargs["betas"])
    kwargs["foreach"] = False
    if "groups" in cfg:
        groups = []
        for names, over in cfg["groups"]:
            over = dict(over)
            if "betas" in over:
                over["betas"] = tuple(over["betas"])
            groups.append(dict(params=[params[n] for n in names], **over))
        opt = OPTIMIZERS[cfg["optimizer"]](groups, **kwargs)
    else:
        opt = OPTIMIZERS[cfg["optimizer"]]([params[n] for n in NAMES], **kwargs)
    traj = {n: [] for n in NAMES}
    norms = []
    for _ in range(STEPS):
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(x, y, params)
        loss.backward()
        clip = cfg.get("clip")
        if clip is not None:
            plist = [params[n] for n in NAMES]
            if clip[0] == "norm":
                norm_type = math.inf if clip[2] == "inf" else clip[2]
                norms.append(torch.nn.utils.clip_grad_norm_(plist, clip[1], norm_type=norm_type).item())
            else:
                torch.nn.utils.clip_grad_value_(plist, clip[1])
        opt.step()
        for n in NAMES:
            traj[n].append(params[n].detach().clone())
    out = {n: torch.stack(v) for n, v in traj.items()}
    if norms:
        out["total_norm"] = torch.tensor(norms, dtype=torch.float32)
    return out


# Configurations whose PyTorch state after RESUME_AT steps is exported for AverLab to load and continue.
PYTORCH_STATE = {
    "sgd_momentum": CONFIGS["sgd"]["sgd_nesterov_wd"],
    "adam_amsgrad": CONFIGS["adam"]["adam_groups"],
    "adamw": CONFIGS["adamw"]["adamw_amsgrad_wd"],
    "rmsprop": CONFIGS["rmsprop"]["rmsprop_centered_momentum_maximize"],
    "adagrad": CONFIGS["adagrad"]["adagrad_lrdecay_init"],
}
RESUME_AT = 5


def export_pytorch_state(name, cfg, x, y, init):
    params = {k: v.clone().requires_grad_(True) for k, v in init.items()}
    kwargs = dict(cfg["kwargs"], foreach=False)
    if "betas" in kwargs:
        kwargs["betas"] = tuple(kwargs["betas"])
    if "groups" in cfg:
        groups = [dict(params=[params[n] for n in names], **{k: tuple(v) if k == "betas" else v for k, v in over.items()})
                  for names, over in cfg["groups"]]
    else:
        groups = [params[n] for n in NAMES]
    opt = OPTIMIZERS[cfg["optimizer"]](groups, **kwargs)

    def step():
        opt.zero_grad(set_to_none=True)
        loss_fn(x, y, params).backward()
        opt.step()

    for _ in range(RESUME_AT):
        step()
    sd = opt.state_dict()
    out = {}
    for index, st in sd["state"].items():
        for key, value in st.items():
            if value is None:
                continue
            if not torch.is_tensor(value):
                value = torch.tensor(value, dtype=torch.int64)
            out["%s.state.%d.%s" % (name, index, key)] = value.clone()
    for n in NAMES:
        out["%s.param.%s" % (name, n)] = params[n].detach().clone()
    meta = {name + ".format": "averlab.optim.v1", name + ".optimizer": cfg["optimizer"],
            name + ".param_groups": json.dumps(sd["param_groups"])}
    traj = {n: [] for n in NAMES}
    for _ in range(STEPS - RESUME_AT):
        step()
        for n in NAMES:
            traj[n].append(params[n].detach().clone())
    for n in NAMES:
        out["%s.%s" % (name, n)] = torch.stack(traj[n])
    return out, meta


def dummy_optimizer(kind, lrs, **kwargs):
    groups = [dict(params=[torch.zeros(1, requires_grad=True)], lr=lr) for lr in lrs]
    return {"SGD": torch.optim.SGD, "Adam": torch.optim.Adam}[kind](groups, lr=lrs[0], **kwargs)


S = torch.optim.lr_scheduler

# name -> config. "build" receives the optimizer and returns the scheduler. Configs are mirrored in C#
# (tests/AverLab.Torch.Tests/Optim/SchedulerParityTests.cs) from the JSON stored in the metadata.
SCHEDULERS = {
    "steplr": {"optimizer": ["SGD", [0.1, 0.03], {}], "scheduler": "StepLR", "kwargs": {"step_size": 7, "gamma": 0.5}},
    "multisteplr": {"optimizer": ["SGD", [0.1], {}], "scheduler": "MultiStepLR", "kwargs": {"milestones": [3, 8, 8, 20], "gamma": 0.3}},
    "exponentiallr": {"optimizer": ["SGD", [0.1], {}], "scheduler": "ExponentialLR", "kwargs": {"gamma": 0.9}},
    "cosine_restart": {"optimizer": ["SGD", [0.1, 0.05], {}], "scheduler": "CosineAnnealingLR", "kwargs": {"T_max": 10, "eta_min": 0.001}},
    "cosine_long": {"optimizer": ["SGD", [0.1], {}], "scheduler": "CosineAnnealingLR", "kwargs": {"T_max": 30}},
    "linearlr": {"optimizer": ["SGD", [0.1], {}], "scheduler": "LinearLR", "kwargs": {"start_factor": 0.25, "total_iters": 8}},
    "linearlr_decay": {"optimizer": ["SGD", [0.1], {}], "scheduler": "LinearLR", "kwargs": {"start_factor": 1.0, "end_factor": 0.1, "total_iters": 12}},
    "onecycle_cos_sgd": {"optimizer": ["SGD", [0.1], {"momentum": 0.9}], "scheduler": "OneCycleLR",
                         "kwargs": {"max_lr": 0.5, "total_steps": 30}},
    "onecycle_linear_three_phase_adam": {"optimizer": ["Adam", [0.01, 0.02], {}], "scheduler": "OneCycleLR",
                                         "kwargs": {"max_lr": [0.01, 0.04], "total_steps": 30, "anneal_strategy": "linear",
                                                    "three_phase": True, "div_factor": 10.0, "final_div_factor": 100.0,
                                                    "pct_start": 0.25, "base_momentum": 0.8, "max_momentum": 0.9}},
    "onecycle_no_momentum": {"optimizer": ["SGD", [0.1], {}], "scheduler": "OneCycleLR",
                             "kwargs": {"max_lr": 1.0, "epochs": 3, "steps_per_epoch": 10, "cycle_momentum": False, "pct_start": 0.4}},
    "sequential_linear_cosine": {"optimizer": ["SGD", [0.1], {}], "scheduler": "SequentialLR",
                                 "children": [["LinearLR", {"start_factor": 0.1, "total_iters": 5}], ["CosineAnnealingLR", {"T_max": 25}]],
                                 "kwargs": {"milestones": [5]}},
    "sequential_three": {"optimizer": ["SGD", [0.1, 0.2], {}], "scheduler": "SequentialLR",
                         "children": [["LinearLR", {"start_factor": 0.5, "total_iters": 4}], ["StepLR", {"step_size": 4, "gamma": 0.5}],
                                      ["ExponentialLR", {"gamma": 0.95}]],
                         "kwargs": {"milestones": [5, 15]}},
    "plateau_min_rel": {"optimizer": ["SGD", [0.1], {}], "scheduler": "ReduceLROnPlateau",
                        "kwargs": {"mode": "min", "factor": 0.5, "patience": 2, "threshold": 1e-2, "threshold_mode": "rel",
                                   "cooldown": 1, "min_lr": 0.004}},
    "plateau_max_abs": {"optimizer": ["SGD", [0.1, 0.01], {}], "scheduler": "ReduceLROnPlateau",
                        "kwargs": {"mode": "max", "factor": 0.3, "patience": 1, "threshold": 0.05, "threshold_mode": "abs",
                                   "min_lr": [0.001, 0.002], "eps": 1e-3}},
}


def plateau_metrics(name):
    # Fixed, deterministic metric sequences with plateaus, improvements and noise.
    if name == "plateau_min_rel":
        return [1.0 / (1 + 0.15 * t) + 0.03 * math.sin(1.7 * t) + (0.2 if t in (12, 13) else 0.0) for t in range(SCHED_STEPS)]
    return [min(0.9, 0.3 + 0.04 * t) + 0.02 * math.cos(2.3 * t) for t in range(SCHED_STEPS)]


def run_scheduler(name, cfg):
    kind, lrs, okw = cfg["optimizer"]
    opt = dummy_optimizer(kind, lrs, **okw)
    cls = getattr(S, cfg["scheduler"])
    if cfg["scheduler"] == "SequentialLR":
        children = [getattr(S, c)(opt, **kw) for c, kw in cfg["children"]]
        sched = cls(opt, schedulers=children, **cfg["kwargs"])
    else:
        sched = cls(opt, **cfg["kwargs"])
    lr, mom, beta1 = [], [], []

    def record():
        lr.append([g["lr"] for g in opt.param_groups])
        if "momentum" in opt.defaults:
            mom.append([g["momentum"] for g in opt.param_groups])
        if "betas" in opt.defaults:
            beta1.append([g["betas"][0] for g in opt.param_groups])

    out = {}
    record()
    metrics = plateau_metrics(name) if cfg["scheduler"] == "ReduceLROnPlateau" else None
    for t in range(SCHED_STEPS):
        opt.step()
        if metrics is not None:
            sched.step(metrics[t])
        else:
            sched.step()
            assert sched.get_last_lr() == [g["lr"] for g in opt.param_groups]
        record()
    out[name + ".lr"] = torch.tensor(lr, dtype=torch.float64)
    if cfg["scheduler"] == "OneCycleLR":
        if mom:
            out[name + ".momentum"] = torch.tensor(mom, dtype=torch.float64)
        if beta1:
            out[name + ".beta1"] = torch.tensor(beta1, dtype=torch.float64)
    if metrics is not None:
        out[name + ".metrics"] = torch.tensor(metrics, dtype=torch.float64)
    return out


def main():
    x, y, init = model_tensors()
    save_file(os.path.join(HERE, "optim_model.safetensors"), dict(x=x, y=y, **init),
              {"source": "tests/golden/make_optim_golden.py", "torch": torch.__version__})
    for family, configs in CONFIGS.items():
        tensors, meta = {}, {"source": "tests/golden/make_optim_golden.py", "torch": torch.__version__}
        for name, cfg in configs.items():
            for k, v in run_config(cfg, x, y, init).items():
                tensors[name + "." + k] = v
            meta[name] = json.dumps(cfg)
        save_file(os.path.join(HERE, "optim_" + family + ".safetensors"), tensors, meta)
    tensors, meta = {}, {"source": "tests/golden/make_optim_golden.py", "torch": torch.__version__}
    for name, cfg in PYTORCH_STATE.items():
        t, m = export_pytorch_state(name, cfg, x, y, init)
        tensors.update(t)
        meta.update(m)
    save_file(os.path.join(HERE, "optim_pytorch_state.safetensors"), tensors, meta)
    tensors, meta = {}, {"source": "tests/golden/make_optim_golden.py", "torch": torch.__version__}
    for name, cfg in SCHEDULERS.items():
        tensors.update(run_scheduler(name, cfg))
        meta[name] = json.dumps(cfg)
    save_file(os.path.join(HERE, "optim_schedulers.safetensors"), tensors, meta)


if __name__ == "__main__":
    main()
