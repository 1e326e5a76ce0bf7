using AverLab.Torch.Serialization;
using AverLab.Torch.Tests.NN;
using F = AverLab.Torch.torch.nn.functional;

namespace AverLab.Torch.Tests.Golden;

/// <summary>Every op family against PyTorch 1.13.1: the cases of tests/golden/make_engine_golden.py, written
/// again with AverLab. Inputs come from the fixture; outputs and input gradients are compared.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public class EngineGoldenTests
{
    private const string File = "engine_ops.safetensors";

    private static readonly Lazy<Dictionary<string, SafeTensorEntry>> Fixture = new(() => GoldenFile.Entries(File));

    private delegate Tensor[] Case(Func<string, Tensor> x);

    private static Tensor[] One(Tensor t) => [t];

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["arange_int"] = _ => One(arange(2, 11, 3)),
        ["arange_float"] = _ => One(arange(0.5, 3.0, 0.25)),
        ["linspace"] = _ => One(linspace(-1, 2, 7)),
        ["eye_rect"] = _ => One(eye(3, 5)),
        ["full_int"] = _ => One(full([2, 3], 7L)),
        ["full_float"] = _ => One(full([2, 2], 1.5, dtype: float64)),
        ["to_int32"] = x => One((x("a") * 10).to(int32)),
        ["to_float64"] = x => One(x("a").to(float64)),
        ["int_div_true"] = x => One(x("a") / x("b")),
        ["int_plus_int_scalar"] = x => One(x("a") + 2),
        ["int_plus_float_scalar"] = x => One(x("a") + 2.5),

        ["add_broadcast"] = x => One(x("a") + x("b")),
        ["sub_alpha"] = x => One(x("a").sub(x("b"), alpha: 0.5)),
        ["mul_broadcast"] = x => One(x("a") * x("b")),
        ["div"] = x => One(x("a") / x("b")),
        ["rsub_scalar"] = x => One(2.5 - x("a")),
        ["rdiv_scalar"] = x => One(3.0 / x("a")),
        ["pow_scalar"] = x => One(x("a").pow(2.5)),
        ["pow_tensor"] = x => One(x("a").pow(x("b"))),
        ["rpow"] = x => One(Tensor.pow(2.0, x("a"))),
        ["remainder"] = x => One(x("a") % x("b")),
        ["fmod"] = x => One(x("a").fmod(1.5)),
        ["floor_divide"] = x => One(x("a").div(tensor(2L), rounding_mode: "floor")),
        ["maximum"] = x => One(maximum(x("a"), x("b"))),
        ["atan2"] = x => One(x("a").atan2(x("b"))),
        ["clamp"] = x => One(x("a").clamp(-0.5, 0.7)),
        ["clamp_min"] = x => One(x("a").clamp(min: 0.1)),
        ["where"] = x => One(where(x("a") > x("b"), x("a"), x("b") * 2)),
        ["lerp"] = x => One(x("a").lerp(x("b"), 0.3)),
        ["unary_exp"] = x => One(x("a").exp()),
        ["unary_log"] = x => One(x("a").log()),
        ["unary_sqrt"] = x => One(x("a").sqrt()),
        ["unary_rsqrt"] = x => One(x("a").rsqrt()),
        ["unary_log1p"] = x => One(x("a").log1p()),
        ["unary_log2"] = x => One(x("a").log2()),
        ["unary_log10"] = x => One(x("a").log10()),
        ["unary_expm1"] = x => One(x("a").expm1()),
        ["unary_reciprocal"] = x => One(x("a").reciprocal()),
        ["unary_abs"] = x => One(x("a").abs()),
        ["unary_neg"] = x => One(-x("a")),
        ["unary_tanh"] = x => One(x("a").tanh()),
        ["unary_sigmoid"] = x => One(x("a").sigmoid()),
        ["unary_relu"] = x => One(x("a").relu()),
        ["unary_sin"] = x => One(x("a").sin()),
        ["unary_cos"] = x => One(x("a").cos()),
        ["unary_atan"] = x => One(x("a").atan()),
        ["unary_erf"] = x => One(x("a").erf()),
        ["unary_square"] = x => One(x("a").square()),
        ["unary_sinh"] = x => One(x("a").sinh()),
        ["unary_cosh"] = x => One(x("a").cosh()),
        ["unary_exp2"] = x => One(x("a").exp2()),
        ["unary_gelu"] = x => One(x("a").gelu()),
        ["unary_silu"] = x => One(x("a").silu()),
        ["unary_asin"] = x => One(x("a").asin()),
        ["unary_floor"] = x => One(x("a").floor()),
        ["unary_ceil"] = x => One(x("a").ceil()),
        ["unary_round"] = x => One(x("a").round()),
        ["unary_trunc"] = x => One(x("a").trunc()),
        ["unary_frac"] = x => One(x("a").frac()),
        ["unary_sign"] = x => One(x("a").sign()),
        ["compare_ops"] = x =>
        {
            var (a, b) = (x("a"), x("b"));
            return [a < b, a <= b, a > b, a >= b, a.eq(b), a.ne(b), a > 0.2];
        },
        ["logical_ops"] = x =>
        {
            var (a, b) = (x("a"), x("b"));
            return [a & b, a | b, a ^ b, ~a, a.logical_xor(b)];
        },
        ["isnan_isinf"] = x => [x("a").isnan(), x("a").isinf(), x("a").isfinite()],

        ["sum_all"] = x => One(x("a").sum()),
        ["sum_dims_keepdim"] = x => One(x("a").sum([0, 2], keepdim: true)),
        ["mean_dim"] = x => One(x("a").mean(1)),
        ["prod_dim"] = x => One(x("a").prod(0)),
        ["std_unbiased"] = x => One(x("a").std(1)),
        ["var_biased_keepdim"] = x => One(x("a").var(0, unbiased: false, keepdim: true)),
        ["std_all"] = x => One(x("a").std()),
        ["norm_p2"] = x => One(x("a").norm()),
        ["norm_p1_dim"] = x => One(x("a").norm(1, [1])),
        ["max_all"] = x => One(x("a").max()),
        ["max_dim"] = x =>
        {
            var (v, i) = x("a").max(1);
            return [v, i];
        },
        ["min_dim_keepdim"] = x =>
        {
            var (v, i) = x("a").min(0, keepdim: true);
            return [v, i];
        },
        ["argmax_dim"] = x => One(x("a").argmax(1)),
        ["argmin_all"] = x => One(x("a").argmin()),
        ["all_any"] = x => [x("a").all(), x("a").any(), x("a").all(1), x("a").any(0)],
        ["logsumexp"] = x => One(x("a").logsumexp(1)),
        ["cumsum"] = x => One(x("a").cumsum(1)),
        ["softmax"] = x => One(x("a").softmax(1)),
        ["log_softmax"] = x => One(x("a").log_softmax(0)),
        ["amax_dims"] = x => One(x("a").amax([1, 2])),

        ["matmul_2d"] = x => One(x("a").matmul(x("b"))),
        ["matmul_batched_broadcast"] = x => One(x("a").matmul(x("b"))),
        ["matmul_vec"] = x => One(x("a").matmul(x("b"))),
        ["bmm"] = x => One(x("a").bmm(x("b"))),
        ["einsum_attention"] = x => One(einsum("bqd,bkd->bqk", x("a"), x("b"))),
        ["einsum_trace"] = x => One(einsum("ii", x("a"))),
        ["dot_outer"] = x => [x("a").dot(x("b")), x("a").outer(x("b"))],

        ["sort_desc"] = x =>
        {
            var (v, i) = x("a").sort(1, descending: true);
            return [v, i];
        },
        ["topk"] = x =>
        {
            var (v, i) = x("a").topk(2, 1);
            return [v, i];
        },
        ["topk_smallest"] = x =>
        {
            var (v, i) = x("a").topk(3, largest: false);
            return [v, i];
        },
        ["argsort"] = x => One(x("a").argsort()),

        ["view_reshape"] = x => [x("a").view(6, 4), x("a").reshape(4, -1), x("a").flatten(), x("a").flatten(1)],
        ["permute_transpose"] = x => One(x("a").permute(2, 0, 1).transpose(0, 1).contiguous()),
        ["squeeze_unsqueeze"] = x => [x("a").squeeze(), x("a").squeeze(2), x("a").unsqueeze(0), x("a").unsqueeze(-1)],
        ["expand_repeat"] = x => [x("a").expand(3, 4), x("a").repeat(2, 3)],
        ["narrow_select"] = x => [x("a").narrow(1, 1, 3), x("a").select(0, -1)],
        ["slice_neg_step"] = x => One(x("a")[TensorIndex.Slice(1, -1, 2), TensorIndex.Slice(step: 3)]),
        ["index_mixed"] = x => One(x("a")[-1, 1..4, TensorIndex.None, TensorIndex.Ellipsis, TensorIndex.Slice(step: 2)]),
        ["index_ellipsis"] = x => One(x("a")[TensorIndex.Ellipsis, 1]),
        ["index_bool_mask"] = x => One(x("a")[x("a") > 0]),
        ["index_tensor"] = x => One(x("a")[x("i")]),
        ["index_select"] = x => One(x("a").index_select(0, x("i"))),
        ["gather"] = x => One(x("a").gather(1, x("i"))),
        ["scatter"] = x => One(x("a").scatter(1, x("i"), x("s"))),
        ["scatter_add"] = x => One(x("a").scatter_add(1, x("i"), x("s"))),
        ["masked_fill"] = x => One(x("a").masked_fill(x("m"), -1.5)),
        ["cat_stack"] = x => [cat([x("a"), x("b")], 1), stack([x("a"), x("b")], 0)],
        ["split_chunk"] = x => [.. x("a").split(3), .. x("a").chunk(2), .. x("a").split([2L, 5L])],
        ["flip_roll"] = x => [x("a").flip(0, 1), x("a").roll(1, 1)],
        ["tril_triu"] = x => [x("a").tril(), x("a").triu(1)],
        ["repeat_interleave"] = x => One(x("a").repeat_interleave(2)),
        ["unbind"] = x => x("a").unbind(0),

        ["inplace_chain"] = x => One(x("a").clone().mul_(2).add_(x("b")).sub_(0.5).div_(3).clamp_(-1, 1)),
        ["index_put"] = x =>
        {
            var a = x("a").clone();
            a[1] = x("v");
            a.index_put_(9.0, 2.., 1..3);
            return One(a);
        },
        ["random_streams"] = _ =>
        {
            manual_seed(7);
            var a = randn(3, 4);
            var b = rand(5);
            var c = randint(0, 10, [6]);
            using var g = new Generator(123);
            var d = randn([4], generator: g);
            var e = randperm(8, g);
            return [a, b, c, d, e];
        },
        ["bernoulli_streams"] = _ =>
        {
            manual_seed(11);
            var a = empty(1000).bernoulli_(0.3);
            var u = rand(1);
            var b = empty([7L, 5], dtype: ScalarType.Float64).bernoulli_(0.75);
            var c = F.dropout(ones(3000), 0.4, training: true);
            var d = F.dropout2d(ones(6, 5, 2, 2), 0.5, training: true);
            var z = empty(700).bernoulli_(0.0);
            var o = empty(9).bernoulli_(1.0);
            using var g = new Generator(5);
            var e = empty(2000).bernoulli_(0.5, g);
            var f = rand([4], generator: g);
            var after = rand(5);
            return [a, u, b, c, d, z, o, e, f, after];
        },
    };

    private static List<string> FixtureCaseNames() =>
        Fixture.Value.Keys.Select(k => k[..k.IndexOf('.')]).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToList();

    public static TheoryData<string> CaseNames() => new(FixtureCaseNames());

    [Fact]
    public void EveryFixtureCaseHasAnImplementationAndViceVersa()
    {
        var inFile = FixtureCaseNames().ToHashSet();
        Assert.Empty(inFile.Except(Cases.Keys));
        Assert.Empty(Cases.Keys.Except(inFile));
        Assert.True(inFile.Count >= 100, $"only {inFile.Count} golden cases");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MatchesPyTorch(string name)
    {
        using var scope = NewDisposeScope();
        var entries = Fixture.Value;
        var inputs = entries.Where(kv => kv.Key.StartsWith(name + ".in.") && !kv.Key.EndsWith(".gout"))
            .ToDictionary(kv => kv.Key[(name.Length + 4)..], kv => SafeTensors.ToTensor(kv.Value));
        var differentiable = entries.Keys.Any(k => k.StartsWith(name + ".grad."));
        if (differentiable)
            foreach (var t in inputs.Values.Where(t => t.is_floating_point())) t.requires_grad = true;

        var outputs = Cases[name](key => inputs[key]);

        var expectedCount = entries.Keys.Count(k => k.StartsWith(name + ".out."));
        Assert.Equal(expectedCount, outputs.Length);
        for (var i = 0; i < outputs.Length; i++)
            GoldenFile.AssertClose(SafeTensors.ToTensor(entries[$"{name}.out.{i}"]), outputs[i], $"{name} output {i}");

        if (!differentiable) return;
        var gout = SafeTensors.ToTensor(entries[$"{name}.in.gout"]);
        var floatInputs = inputs.Where(kv => kv.Value.is_floating_point()).ToList();
        var grads = autograd.grad([(outputs[0] * gout).sum()], floatInputs.Select(kv => kv.Value).ToList());
        for (var i = 0; i < floatInputs.Count; i++)
            GoldenFile.AssertClose(SafeTensors.ToTensor(entries[$"{name}.grad.{floatInputs[i].Key}"]), grads[i]!,
                $"{name} gradient of {floatInputs[i].Key}");
    }
}
