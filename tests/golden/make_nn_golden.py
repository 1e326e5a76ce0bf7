#!/usr/bin/env python3
"""Golden fixtures for AverLab's torch.nn: every layer, loss and functional op, forward and backward.

Command (from the repository root, Debian's python3-torch 1.13.1, CPU, float32):
    /usr/bin/python3 tests/golden/make_nn_golden.py
Writes tests/golden/nn_<case>.safetensors (forward/backward cases) and tests/golden/nn_init_<case>.safetensors
(default initialisation after torch.manual_seed). Keys of a forward/backward case:
    state.<name>       the module's state dict before forward (weights perturbed by N(0, 0.1) so no value is trivial)
    in.<name>          inputs (float inputs get gradients)
    out.<i>            outputs; gout.<i> the upstream gradient: the loss is sum_i sum(out.i * gout.i)
    grad.in.<name>     gradient of the loss w.r.t. each float input
    grad.param.<name>  gradient w.r.t. each parameter
    post.<name>        buffers after forward (batch-norm running statistics)
Metadata: "forward_seed" when the forward draws random numbers (dropout): torch.manual_seed(it) right before forward.
"""
import math
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402

OUT = os.path.dirname(os.path.abspath(__file__))
torch.set_num_threads(1)


def perturb(module, seed):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in module.parameters():
            p.add_(torch.randn(p.shape, generator=g) * 0.1)


def run(name, module, inputs, forward, forward_seed=None, perturb_seed=1):
    """module may be None (functional case). forward(module, inputs) returns a tuple of outputs (None allowed)."""
    tensors = {}
    if module is not None:
        perturb(module, perturb_seed)
        for k, v in module.state_dict().items():
            tensors["state." + k] = v.clone()
    for k, v in inputs.items():
        tensors["in." + k] = v.detach().clone()
        if v.is_floating_point():
            v.requires_grad_(True)
    if forward_seed is not None:
        torch.manual_seed(forward_seed)
    outs = forward(module, inputs)
    if not isinstance(outs, tuple):
        outs = (outs,)
    g = torch.Generator().manual_seed(1234)
    loss = 0
    for i, o in enumerate(outs):
        if o is None:
            continue
        tensors[f"out.{i}"] = o.detach().clone()
        if o.is_floating_point() and o.requires_grad:
            go = torch.randn(o.shape, generator=g)
            tensors[f"gout.{i}"] = go
            loss = loss + (o * go).sum()
    if torch.is_tensor(loss):
        loss.backward()
    for k, v in inputs.items():
        if v.is_floating_point() and v.grad is not None:
            tensors["grad.in." + k] = v.grad.clone()
    if module is not None:
        for k, p in module.named_parameters():
            if p.grad is not None:
                tensors["grad.param." + k] = p.grad.clone()
        for k, b in module.named_buffers():
            tensors["post." + k] = b.clone()
    meta = {"case": name}
    if forward_seed is not None:
        meta["forward_seed"] = str(forward_seed)
    safetensors_io.save(os.path.join(OUT, f"nn_{name}.safetensors"), tensors, meta)


def rnd(*shape, seed=0, scale=1.0):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed)) * scale


def call(m, i):
    return m(i["x"])


def layers():
    torch.manual_seed(0)  # Python's torch seeds its global generator randomly at start-up: fix it for reproducible files.
    run("linear", nn.Linear(5, 3), {"x": rnd(4, 5)}, call)
    run("linear_nobias", nn.Linear(5, 3, bias=False), {"x": rnd(2, 3, 5)}, call)
    run("conv1d", nn.Conv1d(2, 3, 3, stride=2, padding=1), {"x": rnd(2, 2, 9)}, call)
    run("conv1d_same", nn.Conv1d(2, 3, 4, padding="same", dilation=2), {"x": rnd(2, 2, 9)}, call)
    run("conv2d", nn.Conv2d(2, 4, 3, stride=1, padding=1, groups=2), {"x": rnd(2, 2, 6, 7)}, call)
    run("conv2d_strided", nn.Conv2d(3, 2, (3, 2), stride=(2, 1), padding=(1, 0), dilation=(1, 2)), {"x": rnd(1, 3, 7, 8)}, call)
    run("conv2d_same", nn.Conv2d(3, 2, 3, padding="same", dilation=2), {"x": rnd(1, 3, 7, 8)}, call)
    run("conv3d", nn.Conv3d(2, 2, 3, padding=1), {"x": rnd(1, 2, 4, 5, 5)}, call)
    run("conv2d_reflect", nn.Conv2d(2, 3, 3, padding=(1, 2), padding_mode="reflect"), {"x": rnd(1, 2, 5, 6)}, call)
    run("conv1d_circular", nn.Conv1d(2, 2, 3, padding=1, padding_mode="circular"), {"x": rnd(2, 2, 7)}, call)
    run("conv_transpose2d", nn.ConvTranspose2d(3, 2, 3, stride=2, padding=1, output_padding=1), {"x": rnd(1, 3, 4, 4)}, call)
    run("batchnorm1d_train", nn.BatchNorm1d(3), {"x": rnd(6, 3)}, call)
    run("batchnorm1d_3d_train", nn.BatchNorm1d(3, momentum=None), {"x": rnd(4, 3, 5)}, call)
    run("batchnorm2d_train", nn.BatchNorm2d(3, momentum=0.3), {"x": rnd(2, 3, 4, 4)}, call)
    bn = nn.BatchNorm2d(3)
    bn.running_mean.copy_(rnd(3, seed=5))
    bn.running_var.copy_(rnd(3, seed=6).abs() + 0.5)
    bn.eval()
    run("batchnorm2d_eval", bn, {"x": rnd(2, 3, 4, 4)}, call)
    run("batchnorm3d_train", nn.BatchNorm3d(2), {"x": rnd(2, 2, 3, 3, 3)}, call)
    run("layernorm", nn.LayerNorm(6), {"x": rnd(2, 3, 6)}, call)
    run("layernorm_2d", nn.LayerNorm([3, 6], eps=1e-3), {"x": rnd(2, 3, 6)}, call)
    run("groupnorm", nn.GroupNorm(2, 4), {"x": rnd(2, 4, 3, 3)}, call)
    run("dropout_train", nn.Dropout(0.3), {"x": rnd(4, 6)}, call, forward_seed=7)
    d = nn.Dropout(0.3)
    d.eval()
    run("dropout_eval", d, {"x": rnd(4, 6)}, call)
    run("dropout2d_train", nn.Dropout2d(0.5), {"x": rnd(2, 4, 3, 3)}, call, forward_seed=8)
    run("dropout3d_train", nn.Dropout3d(0.5), {"x": rnd(2, 4, 2, 3, 3)}, call, forward_seed=9)
    run("maxpool1d", nn.MaxPool1d(3, stride=2, padding=1, ceil_mode=True), {"x": rnd(2, 3, 10)}, call)
    run("maxpool2d", nn.MaxPool2d(2), {"x": rnd(2, 3, 6, 7)}, call)
    run("maxpool2d_ceil", nn.MaxPool2d(3, stride=2, ceil_mode=True), {"x": rnd(1, 2, 8, 9)}, call)
    run("maxpool3d", nn.MaxPool3d(2), {"x": rnd(1, 2, 4, 4, 5)}, call)
    run("avgpool2d", nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False), {"x": rnd(2, 2, 7, 8)}, call)
    run("avgpool2d_plain", nn.AvgPool2d(2), {"x": rnd(2, 2, 6, 7)}, call)
    run("adaptiveavgpool2d", nn.AdaptiveAvgPool2d((3, 2)), {"x": rnd(2, 3, 7, 5)}, call)
    run("flatten", nn.Flatten(), {"x": rnd(2, 3, 4)}, call)
    run("unflatten", nn.Unflatten(1, (2, 3)), {"x": rnd(4, 6)}, call)
    run("identity", nn.Identity(), {"x": rnd(3, 2)}, call)
    for act_name, act in [("relu", nn.ReLU()), ("leakyrelu", nn.LeakyReLU(0.2)), ("elu", nn.ELU(0.7)), ("gelu", nn.GELU()),
                          ("gelu_tanh", nn.GELU("tanh")), ("silu", nn.SiLU()), ("tanh", nn.Tanh()), ("sigmoid", nn.Sigmoid()),
                          ("softplus", nn.Softplus(beta=2, threshold=5)), ("softmax", nn.Softmax(dim=1)),
                          ("logsoftmax", nn.LogSoftmax(dim=1))]:
        run("act_" + act_name, act, {"x": rnd(3, 5, scale=3)}, call)
    seq = nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 2))
    run("sequential", seq, {"x": rnd(3, 4)}, call)

    run("lstm", nn.LSTM(4, 5, num_layers=2, bidirectional=True, batch_first=True), {"x": rnd(2, 6, 4)},
        lambda m, i: (lambda r: (r[0], r[1][0], r[1][1]))(m(i["x"])))
    run("lstm_states", nn.LSTM(3, 4), {"x": rnd(5, 2, 3), "h0": rnd(1, 2, 4, seed=1), "c0": rnd(1, 2, 4, seed=2)},
        lambda m, i: (lambda r: (r[0], r[1][0], r[1][1]))(m(i["x"], (i["h0"], i["c0"]))))
    run("gru", nn.GRU(3, 4, num_layers=2, bidirectional=True), {"x": rnd(5, 2, 3)}, lambda m, i: m(i["x"]))
    run("gru_states", nn.GRU(3, 4, batch_first=True), {"x": rnd(2, 5, 3), "h0": rnd(1, 2, 4, seed=1)},
        lambda m, i: m(i["x"], i["h0"]))
    run("lstmcell", nn.LSTMCell(3, 4), {"x": rnd(2, 3), "h0": rnd(2, 4, seed=1), "c0": rnd(2, 4, seed=2)},
        lambda m, i: m(i["x"], (i["h0"], i["c0"])))
    run("grucell", nn.GRUCell(3, 4), {"x": rnd(2, 3), "h0": rnd(2, 4, seed=1)}, lambda m, i: m(i["x"], i["h0"]))
    run("avgpool1d", nn.AvgPool1d(3, stride=2, padding=1), {"x": rnd(2, 3, 9)}, call)
    run("avgpool3d", nn.AvgPool3d(2, padding=1, ceil_mode=True, count_include_pad=False), {"x": rnd(1, 2, 3, 4, 5)}, call)
    run("adaptiveavgpool1d", nn.AdaptiveAvgPool1d(4), {"x": rnd(2, 3, 10)}, call)
    run("conv_transpose1d", nn.ConvTranspose1d(3, 2, 4, stride=2, padding=1), {"x": rnd(2, 3, 5)}, call)
    run("conv_transpose3d", nn.ConvTranspose3d(2, 2, 3, stride=2, padding=1, output_padding=1), {"x": rnd(1, 2, 2, 3, 3)}, call)
    kpm = torch.tensor([[False, False, False, True, True], [False, False, False, False, False]])
    run("mha_self", nn.MultiheadAttention(8, 2), {"x": rnd(5, 2, 8), "key_padding_mask": kpm},
        lambda m, i: m(i["x"], i["x"], i["x"], key_padding_mask=i["key_padding_mask"]))
    causal = torch.triu(torch.ones(4, 4, dtype=torch.bool), 1)
    run("mha_batch_first_mask", nn.MultiheadAttention(8, 4, batch_first=True), {"x": rnd(2, 4, 8), "attn_mask": causal},
        lambda m, i: m(i["x"], i["x"], i["x"], attn_mask=i["attn_mask"], average_attn_weights=False))
    run("mha_cross", nn.MultiheadAttention(6, 3), {"q": rnd(3, 2, 6), "k": rnd(5, 2, 6, seed=1), "v": rnd(5, 2, 6, seed=2),
                                                  "attn_mask": rnd(3, 5, seed=3)},
        lambda m, i: m(i["q"], i["k"], i["v"], attn_mask=i["attn_mask"]))
    run("encoder_layer_post", nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0),
        {"x": rnd(5, 2, 8), "key_padding_mask": kpm},
        lambda m, i: m(i["x"], src_key_padding_mask=i["key_padding_mask"]))
    run("encoder_layer_pre_gelu_bf", nn.TransformerEncoderLayer(8, 2, dim_feedforward=12, dropout=0.0, activation="gelu",
                                                                batch_first=True, norm_first=True),
        {"x": rnd(2, 4, 8), "mask": causal}, lambda m, i: m(i["x"], src_mask=i["mask"]))
    fast = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.1, batch_first=True)
    fast.eval()

    def fast_path(m, i):
        # eval + no_grad + batch_first: PyTorch 1.13 takes its fused fast path (torch._transformer_encoder_layer_fwd).
        with torch.no_grad():
            return m(i["x"], src_key_padding_mask=i["key_padding_mask"])
    run("encoder_layer_eval_fastpath", fast, {"x": rnd(2, 5, 8), "key_padding_mask": kpm}, fast_path)
    enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0), 2, norm=nn.LayerNorm(8))
    run("encoder", enc, {"x": rnd(5, 2, 8), "key_padding_mask": kpm},
        lambda m, i: m(i["x"], src_key_padding_mask=i["key_padding_mask"]))
    nested = nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, batch_first=True), 2, norm=nn.LayerNorm(8))
    nested.eval()

    def nested_path(m, i):
        # eval + no_grad + key padding mask: PyTorch 1.13 runs on nested tensors and zero-fills padded positions.
        with torch.no_grad():
            return m(i["x"], src_key_padding_mask=i["key_padding_mask"])
    run("encoder_eval_nested", nested, {"x": rnd(2, 5, 8), "key_padding_mask": kpm}, nested_path)
    run("embedding", nn.Embedding(10, 4, padding_idx=0), {"idx": torch.tensor([[0, 2, 4, 2, 9], [1, 0, 3, 3, 8]])},
        lambda m, i: m(i["idx"]))


def losses():
    logits = rnd(4, 5, scale=2)
    tgt = torch.tensor([1, 0, 4, 2])
    w = rnd(5, seed=3).abs() + 0.2
    run("loss_ce", None, {"x": logits.clone(), "t": tgt}, lambda m, i: F.cross_entropy(i["x"], i["t"]))
    run("loss_ce_weight_ignore", None, {"x": logits.clone(), "t": torch.tensor([1, -100, 4, 2]), "w": w},
        lambda m, i: F.cross_entropy(i["x"], i["t"], weight=i["w"].detach(), ignore_index=-100))
    run("loss_ce_smooth", None, {"x": logits.clone(), "t": tgt, "w": w},
        lambda m, i: F.cross_entropy(i["x"], i["t"], weight=i["w"].detach(), label_smoothing=0.1))
    run("loss_ce_prob", None, {"x": logits.clone(), "p": torch.softmax(rnd(4, 5, seed=4), 1)},
        lambda m, i: F.cross_entropy(i["x"], i["p"].detach(), label_smoothing=0.05))
    run("loss_ce_none_2d", None, {"x": rnd(2, 3, 4, 4), "t": torch.randint(0, 3, (2, 4, 4), generator=torch.Generator().manual_seed(1))},
        lambda m, i: F.cross_entropy(i["x"], i["t"], reduction="none"))
    run("loss_ce_sum", None, {"x": logits.clone(), "t": tgt}, lambda m, i: F.cross_entropy(i["x"], i["t"], reduction="sum"))
    run("loss_nll", None, {"x": torch.log_softmax(logits, 1), "t": tgt, "w": w},
        lambda m, i: F.nll_loss(i["x"], i["t"], weight=i["w"].detach()))
    p = torch.sigmoid(rnd(3, 4, seed=5))
    y = (rnd(3, 4, seed=6) > 0).float()
    run("loss_bce", None, {"x": p.clone(), "y": y}, lambda m, i: F.binary_cross_entropy(i["x"], i["y"].detach()))
    run("loss_bce_weight", None, {"x": p.clone(), "y": y, "w": rnd(3, 4, seed=7).abs()},
        lambda m, i: F.binary_cross_entropy(i["x"], i["y"].detach(), weight=i["w"].detach(), reduction="sum"))
    run("loss_bce_logits", None, {"x": rnd(3, 4, seed=5), "y": y, "pw": rnd(4, seed=8).abs() + 0.5},
        lambda m, i: F.binary_cross_entropy_with_logits(i["x"], i["y"].detach(), pos_weight=i["pw"].detach()))
    a, b = rnd(3, 4, seed=9), rnd(3, 4, seed=10)
    run("loss_mse", None, {"x": a.clone(), "y": b.clone()}, lambda m, i: F.mse_loss(i["x"], i["y"]))
    run("loss_mse_none", None, {"x": a.clone(), "y": b.clone()}, lambda m, i: F.mse_loss(i["x"], i["y"], reduction="none"))
    run("loss_l1", None, {"x": a.clone(), "y": b.clone()}, lambda m, i: F.l1_loss(i["x"], i["y"], reduction="sum"))
    run("loss_smooth_l1", None, {"x": a.clone(), "y": b.clone()}, lambda m, i: F.smooth_l1_loss(i["x"], i["y"], beta=0.5))
    run("loss_smooth_l1_none", None, {"x": a.clone(), "y": b.clone()}, lambda m, i: F.smooth_l1_loss(i["x"], i["y"], reduction="none"))


def functional():
    x = rnd(1, 2, 4, 5)
    run("f_pad_constant", None, {"x": x.clone()}, lambda m, i: F.pad(i["x"], (1, 2, 0, 1), value=0.5))
    run("f_pad_reflect", None, {"x": x.clone()}, lambda m, i: F.pad(i["x"], (2, 1, 1, 2), mode="reflect"))
    run("f_pad_replicate", None, {"x": x.clone()}, lambda m, i: F.pad(i["x"], (2, 1, 1, 2), mode="replicate"))
    run("f_pad_circular", None, {"x": x.clone()}, lambda m, i: F.pad(i["x"], (2, 1, 1, 2), mode="circular"))
    run("f_interp_nearest", None, {"x": x.clone()}, lambda m, i: F.interpolate(i["x"], scale_factor=2, mode="nearest"))
    run("f_interp_nearest_size", None, {"x": x.clone()}, lambda m, i: F.interpolate(i["x"], size=(7, 3), mode="nearest"))
    run("f_interp_bilinear", None, {"x": x.clone()}, lambda m, i: F.interpolate(i["x"], size=(7, 9), mode="bilinear"))
    run("f_interp_bilinear_ac", None, {"x": x.clone()},
        lambda m, i: F.interpolate(i["x"], scale_factor=1.5, mode="bilinear", align_corners=True))
    theta = torch.tensor([[[0.9, -0.2, 0.1], [0.15, 1.1, -0.05]]])
    run("f_affine_grid_sample", None, {"x": x.clone(), "theta": theta.clone()},
        lambda m, i: F.grid_sample(i["x"], F.affine_grid(i["theta"], [1, 2, 3, 6], align_corners=False), align_corners=False))
    run("f_grid_sample_nearest_border", None, {"x": x.clone(), "grid": rnd(1, 3, 3, 2, seed=3, scale=0.8)},
        lambda m, i: F.grid_sample(i["x"], i["grid"], mode="nearest", padding_mode="border", align_corners=True))
    run("f_interp_bicubic", None, {"x": x.clone()}, lambda m, i: F.interpolate(i["x"], size=(6, 8), mode="bicubic", align_corners=False))
    run("f_interp_linear", None, {"x": rnd(2, 3, 5)}, lambda m, i: F.interpolate(i["x"], scale_factor=2.5, mode="linear"))
    run("f_avg_pool1d", None, {"x": rnd(2, 3, 9)}, lambda m, i: F.avg_pool1d(i["x"], 3, stride=2, padding=1, ceil_mode=True,
                                                                       count_include_pad=False))
    run("f_avg_pool3d", None, {"x": rnd(1, 2, 5, 4, 5)}, lambda m, i: F.avg_pool3d(i["x"], 2, stride=2, padding=1, ceil_mode=True))
    run("f_max_pool3d_pad", None, {"x": rnd(1, 2, 5, 4, 5)}, lambda m, i: F.max_pool3d(i["x"], 3, stride=2, padding=1, ceil_mode=True))
    run("f_adaptive_avg_pool1d", None, {"x": rnd(2, 3, 11)}, lambda m, i: F.adaptive_avg_pool1d(i["x"], 4))
    run("f_conv_transpose1d", None, {"x": rnd(2, 3, 6), "w": rnd(3, 2, 4, seed=1), "b": rnd(2, seed=2)},
        lambda m, i: F.conv_transpose1d(i["x"], i["w"], i["b"], stride=2, padding=1))
    run("f_batch_norm_train", None, {"x": rnd(4, 3, 5), "rm": torch.zeros(3), "rv": torch.ones(3), "w": rnd(3, seed=1), "b": rnd(3, seed=2)},
        lambda m, i: (F.batch_norm(i["x"], i["rm"].detach(), i["rv"].detach(), i["w"], i["b"], training=True, momentum=0.2)))
    run("f_embedding", None, {"idx": torch.tensor([[1, 3], [0, 3]]), "w": rnd(5, 3)}, lambda m, i: F.embedding(i["idx"], i["w"]))
    run("f_one_hot", None, {"t": torch.tensor([0, 3, 1, 3])}, lambda m, i: F.one_hot(i["t"], 5))
    q, k, v = rnd(2, 3, 4), rnd(2, 5, 4, seed=1), rnd(2, 5, 4, seed=2)
    mask = torch.tensor([[True, True, False, True, True]] * 3)

    def sdpa(m, i):
        # PyTorch 2.0's F.scaled_dot_product_attention formula (1.13 has no public one); bool mask: True = attend.
        s = i["q"] @ i["k"].transpose(-2, -1) / math.sqrt(i["q"].size(-1))
        s = s.masked_fill(~i["mask"], float("-inf"))
        return torch.softmax(s, -1) @ i["v"]
    run("f_sdpa", None, {"q": q, "k": k, "v": v, "mask": mask}, sdpa)
    run("f_dropout", None, {"x": rnd(5, 4)}, lambda m, i: F.dropout(i["x"], 0.4), forward_seed=11)
    # Kernel taps that only meet padding (AverLab convolves with the live taps alone): a one-pixel-wide map, and a
    # stride-2 map whose first column of taps never reaches the input.
    run("conv2d_dead_taps", nn.Conv2d(3, 4, 3, padding=1), {"x": rnd(2, 3, 5, 1)}, call)
    run("conv2d_dead_taps_strided", nn.Conv2d(3, 2, 3, stride=2, padding=1), {"x": rnd(2, 3, 6, 2)}, call)


def init_parity():
    """State dicts right after torch.manual_seed(seed) + construction (no perturbation)."""
    cases = [
        ("linear", 0, lambda: nn.Linear(5, 3)),
        ("conv2d", 1, lambda: nn.Conv2d(3, 4, 3)),
        ("conv1d", 2, lambda: nn.Conv1d(2, 3, 5, bias=False)),
        ("conv_transpose2d", 3, lambda: nn.ConvTranspose2d(3, 2, 3, stride=2)),
        ("lstm", 4, lambda: nn.LSTM(4, 5, num_layers=2, bidirectional=True)),
        ("gru", 5, lambda: nn.GRU(3, 4)),
        ("lstmcell", 6, lambda: nn.LSTMCell(3, 4)),
        ("embedding", 7, lambda: nn.Embedding(6, 3, padding_idx=2)),
        ("mha", 8, lambda: nn.MultiheadAttention(8, 2)),
        ("encoder", 9, lambda: nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, dim_feedforward=16), 2)),
        ("batchnorm2d", 10, lambda: nn.BatchNorm2d(3)),
    ]
    for name, seed, shape, gain in [("orthogonal_tall", 12, (6, 4), 1.0), ("orthogonal_wide", 13, (3, 2, 4), 2.0)]:
        torch.manual_seed(seed)
        w = torch.empty(*shape)
        nn.init.orthogonal_(w, gain=gain)
        safetensors_io.save(os.path.join(OUT, f"nn_init_{name}.safetensors"), {"weight": w}, {"seed": str(seed), "gain": str(gain)})
    for name, seed, make in cases:
        torch.manual_seed(seed)
        m = make()
        safetensors_io.save(os.path.join(OUT, f"nn_init_{name}.safetensors"), {k: v.clone() for k, v in m.state_dict().items()},
                            {"seed": str(seed)})


if __name__ == "__main__":
    layers()
    losses()
    functional()
    init_parity()
    print("wrote", len([f for f in os.listdir(OUT) if f.startswith("nn_")]), "fixtures to", OUT)
