using System.Text.Json.Nodes;
using AverLab.Models.Optim;
using TorchSharp;
using static TorchSharp.torch;
using Modules = TorchSharp.Modules;

namespace AverLab.Models.Tests;

/// <summary>The trainer's optimizers (AverLab.Models.Optim) against PyTorch 1.13's trajectories
/// (tests/golden/make_optim_golden.py: a 2-layer tanh MLP, 20 steps of zero_grad(set_to_none), MSE backward, [clip],
/// step; single-tensor algorithms), and bit for bit against TorchSharp's own step where TorchSharp follows PyTorch.</summary>
public sealed class OptimizerGoldenTests
{
    private static readonly string[] Names = ["W1", "b1", "W2", "b2"];

    public static TheoryData<string, string> Configs()
    {
        var data = new TheoryData<string, string>();
        foreach (var family in new[] { "adam", "adamw", "sgd" })
        {
            var (_, meta) = TensorFile.LoadWithMetadata(Golden.Path($"optim_{family}.safetensors"));
            foreach (var name in meta.Keys.Where(k => k != "source" && k != "torch").Order()) data.Add(family, name);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void TrajectoryEqualsPyTorch(string family, string name)
    {
        using var scope = NewDisposeScope();
        var (golden, meta) = TensorFile.LoadWithMetadata(Golden.Path($"optim_{family}.safetensors"));
        var config = JsonNode.Parse(meta[name])!.AsObject();
        var (parameters, x, y) = Model();
        using var opt = Build(config, parameters);
        var clip = config["clip"]?.AsArray();
        // A maximizing run climbs the loss: the kernels' float differences grow with it (1.6e-5 by step 20 on W1).
        var maximize = config["kwargs"]!["maximize"] is { } m && (bool)m;
        for (var step = 0; step < 20; step++)
        {
            opt.zero_grad();
            foreach (var p in parameters.Values) p.grad = null;
            Loss(parameters, x, y).backward();
            if (clip is not null)
            {
                var list = Names.Select(n => parameters[n]).ToArray();
                if ((string)clip[0]! == "norm")
                {
                    var normType = clip[2]!.GetValueKind() == System.Text.Json.JsonValueKind.String ? double.PositiveInfinity : (double)clip[2]!;
                    var total = nn.utils.clip_grad_norm_(list, (double)clip[1]!, normType);
                    Assert.Equal(golden[$"{name}.total_norm"][step].ToDouble(), total, 5);
                }
                else nn.utils.clip_grad_value_(list, (double)clip[1]!);
            }
            opt.step();
            foreach (var n in Names)
            {
                var expected = golden[$"{name}.{n}"][step];
                var diff = (parameters[n] - expected).abs().max().ToDouble();
                var tolerance = (2e-6 + 4e-6 * expected.abs().max().ToDouble()) * (maximize ? 4 : 1);   // float rounding of libtorch 2.10 vs 1.13 kernels, amplified where the run diverges (maximize); an algorithmic slip moves parameters by ~lr·grad ≥ 1e-3
                Assert.True(diff <= tolerance, $"{name} step {step + 1} {n}: max |AverLab − PyTorch| = {diff:E2} > {tolerance:E2}");
            }
        }
    }

    /// <summary>Where TorchSharp's own step does PyTorch's arithmetic (no maximize with weight decay), the rewrite must
    /// give the very same bits, including where the second moments are zero or denormal (the sqrt floor's case).</summary>
    [Theory]
    [InlineData("adam"), InlineData("adamw"), InlineData("adam_amsgrad"), InlineData("sgd_nesterov"), InlineData("sgd_maximize")]
    public void StepIsBitIdenticalToTorchSharps(string kind)
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        // Gradients spanning 1e-25 .. 1: squares times (1 − β2) land in float's denormal range and below, and some are 0.
        var scales = torch.pow(10.0, torch.linspace(-25, 0, 64)).to(ScalarType.Float32);
        var grads = Enumerable.Range(0, 6).Select(_ => randn(64) * scales * (rand(64) > 0.2).to(ScalarType.Float32)).ToArray();
        var a = new Modules.Parameter(randn(64));
        var b = new Modules.Parameter(a.detach().clone());
        using Modules.OptimizerHelper ours = kind switch
        {
            "adam" => Optimizers.Adam([a], 1e-3, weightDecay: 0.01),
            "adamw" => Optimizers.AdamW([a], 1e-3, weightDecay: 0.01),
            "adam_amsgrad" => Optimizers.Adam([new Modules.Adam.ParamGroup([a], 1e-3, amsgrad: true)], 1e-3),
            "sgd_maximize" => Optimizers.Sgd([new Modules.SGD.ParamGroup([a], 0.1, momentum: 0.5, maximize: true)], 0.1),
            _ => Optimizers.Sgd([a], 0.1, momentum: 0.9, weightDecay: 1e-4, nesterov: true),
        };
        using Modules.OptimizerHelper theirs = kind switch
        {
            "adam" => optim.Adam([b], 1e-3, weight_decay: 0.01),
            "adamw" => optim.AdamW([b], 1e-3, weight_decay: 0.01),
            "adam_amsgrad" => optim.Adam([b], 1e-3, amsgrad: true),
            "sgd_maximize" => optim.SGD([b], 0.1, momentum: 0.5, maximize: true),
            _ => optim.SGD([b], 0.1, momentum: 0.9, weight_decay: 1e-4, nesterov: true),
        };
        foreach (var g in grads)
        {
            a.grad = g.clone();
            b.grad = g.clone();
            ours.step();
            theirs.step();
            Assert.True(a.Equals(b), $"{kind}: parameters differ after a step: max diff {(a - b).abs().max().ToDouble():E2}");
        }
    }

    /// <summary>A group of many small tensors takes the flat step (FlatAdamGroups): it must give the very same bits as
    /// TorchSharp's per-parameter step, on sizes that cut the vector loops' tails and libtorch's thread split at
    /// different places, and keep doing so after the state was replaced by a load (the layout is rebuilt).</summary>
    [Theory]
    [InlineData("adam"), InlineData("adamw"), InlineData("adam_maximize")]
    public void FlatGroupStepIsBitIdenticalToTorchSharps(string kind)
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        long[][] shapes = [[1], [3], [17], [8, 8], [1000], [33, 1001], [70001], [5, 3, 3, 3], [128]];
        Modules.Parameter[] Make() => shapes.Select(s => new Modules.Parameter(randn(s))).ToArray();
        manual_seed(12);
        var a = Make();
        manual_seed(12);
        var b = Make();
        using Modules.OptimizerHelper ours = kind switch
        {
            "adam" => Optimizers.Adam(a, 1e-3, weightDecay: 0.01),
            "adamw" => Optimizers.AdamW(a, 1e-3, weightDecay: 0.01),
            _ => Optimizers.Adam([new Modules.Adam.ParamGroup(a, 1e-3, maximize: true)], 1e-3),
        };
        using Modules.OptimizerHelper theirs = kind switch
        {
            "adam" => optim.Adam(b, 1e-3, weight_decay: 0.01),
            "adamw" => optim.AdamW(b, 1e-3, weight_decay: 0.01),
            _ => optim.Adam(b, 1e-3, maximize: true),
        };
        for (var step = 0; step < 8; step++)
        {
            if (step == 4)
            {
                // A load that assigns new state tensors (as TrainingCheckpoint does when shapes differ): same values, new objects.
                foreach (var s in ours.state_dict().State)
                    switch (s)
                    {
                        case Modules.Adam.State st: st.exp_avg = st.exp_avg.clone().DetachFromDisposeScope(); break;
                        case Modules.AdamW.State st: st.exp_avg = st.exp_avg.clone().DetachFromDisposeScope(); break;
                    }
            }
            for (var i = 0; i < a.Length; i++)
            {
                // Gradients spanning 1e-25 .. 1 with zeros, as in the single-tensor case.
                var g = randn(shapes[i]) * torch.pow(10.0, -25 * rand(shapes[i])).to(ScalarType.Float32) * (rand(shapes[i]) > 0.2).to(ScalarType.Float32);
                a[i].grad = g.clone();
                b[i].grad = g.clone();
            }
            ours.step();
            theirs.step();
            Assert.Equal(1, ours switch { Adam x => x.FlatGroups, AdamW x => x.FlatGroups, _ => -1 });
            for (var i = 0; i < a.Length; i++)
                Assert.True(a[i].Equals(b[i]), $"{kind} step {step + 1}, tensor {i} [{string.Join("x", shapes[i])}]: max diff {(a[i] - b[i]).abs().max().ToDouble():E2}");
        }
    }

    [Fact]
    public void SqrtFloorIsExactForTheUsualEpsilons()
    {
        foreach (var eps in new[] { 1e-8, 1e-7, 1e-6, 1e-3 })
            Assert.True(Optimizers.SqrtFloorIsExact(eps, Math.Sqrt(1 - 0.999)), $"eps {eps}");
        // Too small an eps for the floor's root to vanish in it: the floor is skipped (sqrt(FLT_MIN)/0.0316 = 3.4e-18).
        Assert.False(Optimizers.SqrtFloorIsExact(1e-10, Math.Sqrt(1 - 0.999)));
        Assert.False(Optimizers.SqrtFloorIsExact(0, 1));
    }

    private static (Dictionary<string, Modules.Parameter>, Tensor, Tensor) Model()
    {
        var t = TensorFile.Load(Golden.Path("optim_model.safetensors"));
        var parameters = Names.ToDictionary(n => n, n => new Modules.Parameter(t[n].clone()));
        return (parameters, t["x"], t["y"]);
    }

    private static Tensor Loss(Dictionary<string, Modules.Parameter> p, Tensor x, Tensor y)
    {
        var pred = tanh(x.matmul(p["W1"].t()) + p["b1"]).matmul(p["W2"].t()) + p["b2"];
        return (pred - y).pow(2).mean();
    }

    private static Modules.OptimizerHelper Build(JsonObject config, Dictionary<string, Modules.Parameter> parameters)
    {
        var kw = config["kwargs"]!.AsObject();
        double D(JsonObject o, string key, double fallback) => o[key] is { } v ? (double)v : fallback;
        bool B(JsonObject o, string key) => o[key] is { } v && (bool)v;
        (double, double) Betas(JsonObject o, (double, double) fallback) =>
            o["betas"] is JsonArray arr ? ((double)arr[0]!, (double)arr[1]!) : fallback;
        var groups = config["groups"]?.AsArray().Select(g => (
            names: g![0]!.AsArray().Select(n => (string)n!).ToArray(), over: g[1]!.AsObject())).ToArray()
            ?? [(Names, new JsonObject())];
        var lr = D(kw, "lr", 1e-3);
        var betas = Betas(kw, (0.9, 0.999));
        switch ((string)config["optimizer"]!)
        {
            case "Adam":
                return Optimizers.Adam(groups.Select(g => new Modules.Adam.ParamGroup(g.names.Select(n => parameters[n]),
                    D(g.over, "lr", lr), Betas(g.over, betas).Item1, Betas(g.over, betas).Item2, D(g.over, "eps", D(kw, "eps", 1e-8)),
                    D(g.over, "weight_decay", D(kw, "weight_decay", 0)), B(g.over, "amsgrad") || B(kw, "amsgrad"),
                    B(g.over, "maximize") || B(kw, "maximize"))).ToArray(), lr);
            case "AdamW":
                return Optimizers.AdamW(groups.Select(g => new Modules.AdamW.ParamGroup(g.names.Select(n => parameters[n]),
                    D(g.over, "lr", lr), Betas(g.over, betas).Item1, Betas(g.over, betas).Item2, D(g.over, "eps", D(kw, "eps", 1e-8)),
                    D(g.over, "weight_decay", D(kw, "weight_decay", 0.01)), B(g.over, "amsgrad") || B(kw, "amsgrad"),
                    B(g.over, "maximize") || B(kw, "maximize"))).ToArray(), lr);
            case "SGD":
                return Optimizers.Sgd(groups.Select(g => new Modules.SGD.ParamGroup(g.names.Select(n => parameters[n]),
                    D(g.over, "lr", lr), D(g.over, "momentum", D(kw, "momentum", 0)), D(g.over, "dampening", D(kw, "dampening", 0)),
                    D(g.over, "weight_decay", D(kw, "weight_decay", 0)), B(g.over, "nesterov") || B(kw, "nesterov"),
                    B(g.over, "maximize") || B(kw, "maximize"))).ToArray(), lr);
            default:
                throw new ArgumentException($"unknown optimizer in {config}");
        }
    }
}
