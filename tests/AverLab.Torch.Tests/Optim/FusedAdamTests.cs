using AverLab.Torch.Optim;

namespace AverLab.Torch.Tests.Optim;

/// <summary>EngineOptions.FusedOptimizers: Adam and AdamW's one-pass native update gives the same bits as the
/// op-by-op path (PyTorch's own kernels, checked against PyTorch by OptimizerParityTests) for every option, on
/// parameters large enough to be split across threads, with ragged vector tails, and where it must not apply
/// (float64) it falls back.</summary>
[Collection(LiveCountCollection.Name)]
public sealed class FusedAdamTests
{
    private static readonly long[][] Shapes = [[3, 5], [1], [70_001], [8, 16], [13, 3, 3, 3]];

    public static TheoryData<string> Configs() => new(["adam", "adam_wd", "adam_amsgrad_maximize_wd", "adamw", "adamw_amsgrad_maximize_betas", "adam_float64"]);

    private static Optimizer Build(string config, IList<Tensor> ps) => config switch
    {
        "adam" => optim.Adam(ps, lr: 0.01),
        "adam_wd" => optim.Adam(ps, lr: 0.01, weight_decay: 0.05, betas: (0.8, 0.99)),
        "adam_amsgrad_maximize_wd" => optim.Adam(ps, lr: 0.005, amsgrad: true, maximize: true, weight_decay: 1e-3, eps: 1e-6),
        "adamw" => optim.AdamW(ps, lr: 0.01),
        "adamw_amsgrad_maximize_betas" => optim.AdamW(ps, lr: 0.02, amsgrad: true, maximize: true, betas: (0.85, 0.95), weight_decay: 0.1),
        "adam_float64" => optim.Adam(ps, lr: 0.01, weight_decay: 0.01),
        _ => throw new ArgumentException(config),
    };

    private static (List<Tensor> ps, Optimizer opt) Run(string config, bool fused)
    {
        var dtype = config.EndsWith("float64") ? ScalarType.Float64 : ScalarType.Float32;
        var g = new Generator(42);
        var ps = Shapes.Select(s => randn(s, dtype: dtype, generator: g).requires_grad_()).ToList();
        // A channels_last conv weight: the fused pass walks memory, the op-by-op path indexes; both must agree.
        ps.Add(randn([6, 5, 3, 3], dtype: dtype, generator: g).contiguous(channels_last).detach().requires_grad_());
        // A 1x1 conv weight whose gradient has other strides in its size-1 dimensions (as oneDNN returns them).
        ps.Add(randn([4, 6, 1, 1], dtype: dtype, generator: g).requires_grad_());
        var opt = Build(config, ps);
        var previous = EngineOptions.FusedOptimizers;
        EngineOptions.FusedOptimizers = fused;
        try
        {
            for (var step = 0; step < 6; step++)
            {
                opt.zero_grad();
                // Gradients of a few magnitudes, some exactly zero, so moments and the AMSGrad maximum move both ways.
                foreach (var p in ps)
                {
                    var grad = (randn(p.shape, dtype: dtype, generator: g) * Math.Pow(10, step % 3 - 1)) * (rand(p.shape, dtype: dtype, generator: g) > 0.1).to(dtype);
                    if (p.shape.SequenceEqual([4L, 6, 1, 1]))
                        grad = grad.reshape(4, 1, 1, 6).permute(0, 3, 1, 2); // strides [6, 1, 6, 6]
                    else if (p.dim() == 4 && p.is_contiguous(channels_last))
                        grad = grad.contiguous(channels_last);
                    p.grad = grad;
                }
                opt.step();
            }
        }
        finally { EngineOptions.FusedOptimizers = previous; }
        return (ps, opt);
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void FusedStepEqualsTheOpByOpPathBitForBit(string config)
    {
        using var scope = NewDisposeScope();
        var (fused, fusedOpt) = Run(config, fused: true);
        var (plain, plainOpt) = Run(config, fused: false);
        for (var i = 0; i < fused.Count; i++)
            Assert.True(fused[i].detach().equal(plain[i].detach()),
                $"{config}: parameter {i} differs, max |diff| {(fused[i] - plain[i]).abs().max().item<double>():E3}");
        using var a = fusedOpt.state_dict();
        using var b = plainOpt.state_dict();
        foreach (var (index, state) in a.state)
            foreach (var (key, value) in state.named_tensors())
                Assert.True(value.equal(b.state[index].named_tensors().Single(t => t.key == key).value), $"{config}: state {index}.{key} differs");
        fusedOpt.Dispose();
        plainOpt.Dispose();
    }

    [Fact]
    public void FusedStepMovesTheParameters()
    {
        // Guards against the fused path silently doing nothing (the comparison above would then compare two no-ops
        // only if the op-by-op path broke too).
        using var scope = NewDisposeScope();
        var p = ones(100).requires_grad_();
        using var opt = optim.Adam([p], lr: 0.1);
        p.grad = ones(100);
        opt.step();
        Assert.True(p.detach().allclose(full([100], 0.9f), rtol: 1e-6, atol: 1e-6));
    }
}
