"""Golden values for the AverLab.Torch engine tests, from PyTorch 1.13.1 (Debian python3-torch).

Command (from the repository root):  /usr/bin/python3 tests/golden/make_engine_golden.py
Writes tests/golden/engine_ops.safetensors. For every case NAME it stores the inputs as `NAME.in.<arg>`, the
outputs as `NAME.out.<i>`, and, for differentiable cases, the gradients of sum(out0 * NAME.in.gout) with respect
to each float input as `NAME.grad.<arg>`. tests/AverLab.Torch.Tests/Golden/EngineGoldenTests.cs holds the
same cases written with AverLab and compares within rtol 1e-5, atol 1e-6 (float32).

Random tensors come from torch.manual_seed(20261122) in the order below; the C# side reads the inputs from the
file, so it never depends on that order. The file is written in safetensors format without the safetensors
package (Debian does not ship it), through tests/golden/safetensors_io.py.
"""
import sys
from collections import OrderedDict
from pathlib import Path

import torch

from safetensors_io import save

torch.manual_seed(20261122)
torch.set_num_threads(1)


def r(*shape, dtype=torch.float32):
    return torch.randn(*shape, dtype=dtype)


def pos(*shape):
    return torch.rand(*shape) + 0.5


CASES = OrderedDict()


def case(name, grad=False, **inputs):
    def deco(fn):
        CASES[name] = (fn, inputs, grad)
        return fn
    return deco


# ---- factories and conversion ---------------------------------------------------------------------------------
case("arange_int")(lambda: torch.arange(2, 11, 3))
case("arange_float")(lambda: torch.arange(0.5, 3.0, 0.25))
case("linspace")(lambda: torch.linspace(-1, 2, 7))
case("eye_rect")(lambda: torch.eye(3, 5))
case("full_int")(lambda: torch.full((2, 3), 7))
case("full_float")(lambda: torch.full((2, 2), 1.5, dtype=torch.float64))
case("to_int32", a=r(7))(lambda a: (a * 10).to(torch.int32))
case("to_float64", a=r(5))(lambda a: a.to(torch.float64))
case("int_div_true", a=torch.tensor([7, -7, 9]), b=torch.tensor([2, 2, 4]))(lambda a, b: a / b)
case("int_plus_int_scalar", a=torch.tensor([1, 2, 3]))(lambda a: a + 2)
case("int_plus_float_scalar", a=torch.tensor([1, 2, 3]))(lambda a: a + 2.5)

# ---- element-wise math with broadcasting ----------------------------------------------------------------------
case("add_broadcast", True, a=r(3, 1, 4), b=r(5, 1))(lambda a, b: a + b)
case("sub_alpha", True, a=r(2, 3), b=r(2, 3))(lambda a, b: torch.sub(a, b, alpha=0.5))
case("mul_broadcast", True, a=r(4, 3), b=r(3))(lambda a, b: a * b)
case("div", True, a=r(3, 4), b=pos(3, 4))(lambda a, b: a / b)
case("rsub_scalar", True, a=r(6))(lambda a: 2.5 - a)
case("rdiv_scalar", True, a=pos(6))(lambda a: 3.0 / a)
case("pow_scalar", True, a=pos(5))(lambda a: a ** 2.5)
case("pow_tensor", True, a=pos(5), b=r(5))(lambda a, b: a ** b)
case("rpow", True, a=r(5))(lambda a: torch.pow(2.0, a))
case("remainder", a=r(8) * 5, b=pos(8))(lambda a, b: torch.remainder(a, b))
case("fmod", a=r(8) * 5)(lambda a: torch.fmod(a, 1.5))
case("floor_divide", a=torch.tensor([7, -7, 9, -9]))(lambda a: torch.div(a, 2, rounding_mode="floor"))
case("maximum", True, a=r(3, 4), b=r(4))(lambda a, b: torch.maximum(a, b))
case("atan2", True, a=r(6), b=r(6))(lambda a, b: torch.atan2(a, b))
case("clamp", True, a=r(10))(lambda a: a.clamp(-0.5, 0.7))
case("clamp_min", True, a=r(10))(lambda a: a.clamp(min=0.1))
case("where", True, a=r(3, 4), b=r(3, 4))(lambda a, b: torch.where(a > b, a, b * 2))
case("lerp", True, a=r(5), b=r(5))(lambda a, b: torch.lerp(a, b, 0.3))
for op in ["exp", "log", "sqrt", "rsqrt", "log1p", "log2", "log10", "expm1", "reciprocal"]:
    case(f"unary_{op}", True, a=pos(2, 5))((lambda op: lambda a: getattr(torch, op)(a))(op))
for op in ["abs", "neg", "tanh", "sigmoid", "relu", "sin", "cos", "atan", "erf", "square", "sinh", "cosh", "exp2"]:
    case(f"unary_{op}", True, a=r(2, 5))((lambda op: lambda a: getattr(torch, op)(a))(op))
case("unary_gelu", True, a=r(2, 5))(lambda a: torch.nn.functional.gelu(a))
case("unary_silu", True, a=r(2, 5))(lambda a: torch.nn.functional.silu(a))
case("unary_asin", True, a=torch.rand(6) * 1.8 - 0.9)(lambda a: torch.asin(a))
for op in ["floor", "ceil", "round", "trunc", "frac", "sign"]:
    case(f"unary_{op}", a=r(2, 5) * 3)((lambda op: lambda a: getattr(torch, op)(a))(op))
case("compare_ops", a=r(4, 3), b=r(4, 3))(lambda a, b: (a < b, a <= b, a > b, a >= b, a == b, a != b, a > 0.2))
case("logical_ops", a=r(6) > 0, b=r(6) > 0)(lambda a, b: (a & b, a | b, a ^ b, ~a, torch.logical_xor(a, b)))
case("isnan_isinf", a=torch.tensor([1.0, float("nan"), float("inf"), -float("inf"), 0.0]))(
    lambda a: (torch.isnan(a), torch.isinf(a), torch.isfinite(a)))

# ---- reductions ------------------------------------------------------------------------------------------------
case("sum_all", True, a=r(3, 4))(lambda a: a.sum())
case("sum_dims_keepdim", True, a=r(2, 3, 4))(lambda a: a.sum(dim=(0, 2), keepdim=True))
case("mean_dim", True, a=r(3, 4))(lambda a: a.mean(1))
case("prod_dim", True, a=r(3, 4))(lambda a: a.prod(0))
case("std_unbiased", True, a=r(4, 5))(lambda a: a.std(1))
case("var_biased_keepdim", True, a=r(4, 5))(lambda a: a.var(0, unbiased=False, keepdim=True))
case("std_all", True, a=r(4, 5))(lambda a: a.std())
case("norm_p2", True, a=r(3, 4))(lambda a: a.norm())
case("norm_p1_dim", True, a=r(3, 4))(lambda a: a.norm(p=1, dim=1))
case("max_all", a=r(3, 4))(lambda a: a.max())
case("max_dim", True, a=r(3, 4))(lambda a: a.max(1))
case("min_dim_keepdim", a=r(3, 4))(lambda a: a.min(0, keepdim=True))
case("argmax_dim", a=r(3, 4))(lambda a: a.argmax(1))
case("argmin_all", a=r(3, 4))(lambda a: a.argmin())
case("all_any", a=r(3, 4) > -0.5)(lambda a: (a.all(), a.any(), a.all(1), a.any(0)))
case("logsumexp", True, a=r(3, 4))(lambda a: torch.logsumexp(a, 1))
case("cumsum", True, a=r(3, 4))(lambda a: a.cumsum(1))
case("softmax", True, a=r(3, 4))(lambda a: a.softmax(1))
case("log_softmax", True, a=r(3, 4))(lambda a: a.log_softmax(0))
case("amax_dims", a=r(2, 3, 4))(lambda a: a.amax(dim=(1, 2)))

# ---- linear algebra ---------------------------------------------------------------------------------------------
case("matmul_2d", True, a=r(3, 4), b=r(4, 5))(lambda a, b: a @ b)
case("matmul_batched_broadcast", True, a=r(2, 3, 4), b=r(4, 2))(lambda a, b: a.matmul(b))
case("matmul_vec", True, a=r(3, 4), b=r(4))(lambda a, b: a.matmul(b))
case("bmm", True, a=r(2, 3, 4), b=r(2, 4, 2))(lambda a, b: torch.bmm(a, b))
case("einsum_attention", True, a=r(2, 3, 4), b=r(2, 5, 4))(lambda a, b: torch.einsum("bqd,bkd->bqk", a, b))
case("einsum_trace", a=r(4, 4))(lambda a: torch.einsum("ii", a))
case("dot_outer", a=r(4), b=r(4))(lambda a, b: (torch.dot(a, b), torch.outer(a, b)))

# ---- sorting ---------------------------------------------------------------------------------------------------
case("sort_desc", a=r(3, 5))(lambda a: a.sort(dim=1, descending=True))
case("topk", a=r(3, 6))(lambda a: a.topk(2, dim=1))
case("topk_smallest", a=r(8))(lambda a: a.topk(3, largest=False))
case("argsort", a=r(7))(lambda a: a.argsort())

# ---- shape and indexing ----------------------------------------------------------------------------------------
case("view_reshape", a=r(2, 3, 4))(lambda a: (a.view(6, 4), a.reshape(4, -1), a.flatten(), a.flatten(1)))
case("permute_transpose", True, a=r(2, 3, 4))(lambda a: a.permute(2, 0, 1).transpose(0, 1).contiguous())
case("squeeze_unsqueeze", a=r(1, 3, 1, 2))(lambda a: (a.squeeze(), a.squeeze(2), a.unsqueeze(0), a.unsqueeze(-1)))
case("expand_repeat", a=r(3, 1))(lambda a: (a.expand(3, 4), a.repeat(2, 3)))
case("narrow_select", a=r(4, 5))(lambda a: (a.narrow(1, 1, 3), a.select(0, -1)))
case("slice_neg_step", a=r(6, 7))(lambda a: a[1:-1:2, ::3])
case("index_mixed", a=r(4, 5, 6))(lambda a: a[-1, 1:4, None, ..., ::2])
case("index_ellipsis", a=r(2, 3, 4))(lambda a: a[..., 1])
case("index_bool_mask", a=r(4, 5))(lambda a: a[a > 0])
case("index_tensor", a=r(5, 3), i=torch.tensor([4, 0, 2, 2]))(lambda a, i: a[i])
case("index_select", True, a=r(5, 3), i=torch.tensor([4, 0, 2]))(lambda a, i: a.index_select(0, i))
case("gather", True, a=r(3, 4), i=torch.tensor([[0, 3], [1, 1], [2, 0]]))(lambda a, i: a.gather(1, i))
case("scatter", a=torch.zeros(3, 5), i=torch.tensor([[0, 1], [2, 4], [3, 0]]), s=r(3, 2))(lambda a, i, s: a.scatter(1, i, s))
case("scatter_add", a=torch.zeros(3, 5), i=torch.tensor([[0, 0], [2, 4], [3, 3]]), s=r(3, 2))(lambda a, i, s: a.scatter_add(1, i, s))
case("masked_fill", True, a=r(3, 4), m=r(3, 4) > 0.3)(lambda a, m: a.masked_fill(m, -1.5))
case("cat_stack", True, a=r(2, 3), b=r(2, 3))(lambda a, b: (torch.cat([a, b], 1), torch.stack([a, b], 0)))
case("split_chunk", a=r(7, 2))(lambda a: (*a.split(3), *a.chunk(2), *a.split([2, 5])))
case("flip_roll", a=r(3, 4))(lambda a: (a.flip(0, 1), a.roll(1, 1)))
case("tril_triu", a=r(4, 4))(lambda a: (a.tril(), a.triu(1)))
case("repeat_interleave", a=r(3))(lambda a: a.repeat_interleave(2))
case("unbind", a=r(3, 2))(lambda a: a.unbind(0))

# ---- in-place ----------------------------------------------------------------------------------------------------
case("inplace_chain", a=r(3, 4), b=r(3, 4))(lambda a, b: a.clone().mul_(2).add_(b).sub_(0.5).div_(3).clamp_(-1, 1))
case("index_put", a=r(4, 5), v=r(5))(lambda a, v: _index_put(a.clone(), v))


def _index_put(a, v):
    a[1] = v
    a[2:, 1:3] = 9.0
    return a


# ---- random streams: the same libtorch gives the same numbers for the same seed --------------------------------
def _random_streams():
    torch.manual_seed(7)
    a = torch.randn(3, 4)
    b = torch.rand(5)
    c = torch.randint(0, 10, (6,))
    g = torch.Generator().manual_seed(123)
    d = torch.randn(4, generator=g)
    e = torch.randperm(8, generator=g)
    return a, b, c, d, e


CASES["random_streams"] = (_random_streams, {}, False)


# Bernoulli draws and dropout masks: AverLab draws them with its own block-wise mt19937 (native/src/
# random_bernoulli.cpp), so this checks the masks element for element and the generator state after them, across
# the engine's 624-word blocks, from odd word offsets, in float64, with p = 0 and 1, and on a second generator.
def _bernoulli_streams():
    torch.manual_seed(11)
    a = torch.empty(1000).bernoulli_(0.3)
    u = torch.rand(1)  # one word: the next draw starts at an odd offset in the block
    b = torch.empty(7, 5, dtype=torch.float64).bernoulli_(0.75)
    c = torch.nn.functional.dropout(torch.ones(3000), 0.4)
    d = torch.nn.functional.dropout2d(torch.ones(6, 5, 2, 2), 0.5)
    z = torch.empty(700).bernoulli_(0.0)
    o = torch.empty(9).bernoulli_(1.0)
    g = torch.Generator().manual_seed(5)
    e = torch.empty(2000).bernoulli_(0.5, generator=g)
    f = torch.rand(4, generator=g)
    after = torch.rand(5)
    return a, u, b, c, d, z, o, e, f, after


CASES["bernoulli_streams"] = (_bernoulli_streams, {}, False)


def main(out):
    tensors = {}
    for name, (fn, inputs, grad) in CASES.items():
        ins = {k: v.clone() for k, v in inputs.items()}
        if grad:
            for v in ins.values():
                if v.is_floating_point():
                    v.requires_grad_(True)
        outs = fn(**ins)
        if not isinstance(outs, (tuple, list)):
            outs = (outs,)
        if hasattr(outs, "values") and hasattr(outs, "indices"):
            outs = (outs.values, outs.indices)
        flat = []
        for o in outs:
            if hasattr(o, "values") and hasattr(o, "indices") and not torch.is_tensor(o):
                flat += [o.values, o.indices]
            else:
                flat.append(o)
        for k, v in inputs.items():
            tensors[f"{name}.in.{k}"] = v
        for i, o in enumerate(flat):
            tensors[f"{name}.out.{i}"] = o.detach()
        if grad:
            gout = torch.randn(flat[0].shape)
            tensors[f"{name}.in.gout"] = gout
            float_inputs = [(k, v) for k, v in ins.items() if v.is_floating_point()]
            grads = torch.autograd.grad((flat[0] * gout).sum(), [v for _, v in float_inputs])
            for (k, _), g in zip(float_inputs, grads):
                tensors[f"{name}.grad.{k}"] = g
    save(out, tensors, {"producer": "tests/golden/make_engine_golden.py", "torch": torch.__version__})
    print(f"wrote {len(CASES)} cases, {len(tensors)} tensors to {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("engine_ops.safetensors"))
