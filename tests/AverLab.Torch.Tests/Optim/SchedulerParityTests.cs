using System.Text.Json.Nodes;
using AverLab.Torch.Optim;
using AverLab.Torch.Serialization;

namespace AverLab.Torch.Tests.Optim;

/// <summary>Each scheduler's learning rates (and OneCycleLR's momentum / beta1) over 30 steps equal PyTorch
/// 1.13.1's (tests/golden/make_optim_golden.py) within 1e-12 relative.</summary>
public class SchedulerParityTests
{
    private const int Steps = 30;
    private const double Rtol = 1e-12;

    internal static LRScheduler BuildChild(string kind, Optimizer opt, JsonObject kw)
    {
        double D(string k, double d) => kw[k]?.GetValue<double>() ?? d;
        int I(string k, int d) => kw[k]?.GetValue<int>() ?? d;
        return kind switch
        {
            "StepLR" => optim.lr_scheduler.StepLR(opt, I("step_size", 0), D("gamma", 0.1)),
            "MultiStepLR" => optim.lr_scheduler.MultiStepLR(opt, kw["milestones"]!.AsArray().Select(m => m!.GetValue<int>()), D("gamma", 0.1)),
            "ExponentialLR" => optim.lr_scheduler.ExponentialLR(opt, D("gamma", 0)),
            "CosineAnnealingLR" => optim.lr_scheduler.CosineAnnealingLR(opt, I("T_max", 0), D("eta_min", 0)),
            "LinearLR" => optim.lr_scheduler.LinearLR(opt, D("start_factor", 1.0 / 3), D("end_factor", 1.0), I("total_iters", 5)),
            "OneCycleLR" => optim.lr_scheduler.OneCycleLR(opt,
                kw["max_lr"] is JsonArray a ? a.Select(v => v!.GetValue<double>()).ToArray() : [kw["max_lr"]!.GetValue<double>()],
                total_steps: kw["total_steps"]?.GetValue<int>(), epochs: kw["epochs"]?.GetValue<int>(),
                steps_per_epoch: kw["steps_per_epoch"]?.GetValue<int>(), pct_start: D("pct_start", 0.3),
                anneal_strategy: kw["anneal_strategy"]?.GetValue<string>() ?? "cos",
                cycle_momentum: kw["cycle_momentum"]?.GetValue<bool>() ?? true, base_momentum: D("base_momentum", 0.85),
                max_momentum: D("max_momentum", 0.95), div_factor: D("div_factor", 25), final_div_factor: D("final_div_factor", 1e4),
                three_phase: kw["three_phase"]?.GetValue<bool>() ?? false),
            _ => throw new ArgumentException(kind),
        };
    }

    [Theory]
    [InlineData("steplr")]
    [InlineData("multisteplr")]
    [InlineData("exponentiallr")]
    [InlineData("cosine_restart")]
    [InlineData("cosine_long")]
    [InlineData("linearlr")]
    [InlineData("linearlr_decay")]
    [InlineData("onecycle_cos_sgd")]
    [InlineData("onecycle_linear_three_phase_adam")]
    [InlineData("onecycle_no_momentum")]
    [InlineData("sequential_linear_cosine")]
    [InlineData("sequential_three")]
    [InlineData("plateau_min_rel")]
    [InlineData("plateau_max_abs")]
    public void FollowsPyTorchSchedule(string name)
    {
        using var scope = NewDisposeScope();
        var (golden, metadata) = SafeTensors.LoadWithMetadata(OptimFixture.GoldenPath("optim_schedulers.safetensors"));
        var cfg = OptimFixture.Config(metadata, name);
        var o = cfg["optimizer"]!.AsArray();
        var kind = o[0]!.GetValue<string>();
        var lrs = o[1]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        var defaults = OptimFixture.Apply(OptimFixture.Defaults(kind), o[2]!.AsObject());
        defaults.lr = lrs[0];
        var groups = lrs.Select(lr => new ParamGroup([zeros([1], requires_grad: true)], defaults with { lr = lr })).ToList();
        using var opt = OptimFixture.Create(kind, groups, defaults);

        var schedulerKind = cfg["scheduler"]!.GetValue<string>();
        var kw = cfg["kwargs"]!.AsObject();
        ReduceLROnPlateau? plateau = null;
        LRScheduler? sched = null;
        if (schedulerKind == "ReduceLROnPlateau")
        {
            var minLr = kw["min_lr"] is JsonArray m ? m.Select(v => v!.GetValue<double>()).ToArray() : [kw["min_lr"]?.GetValue<double>() ?? 0];
            plateau = new ReduceLROnPlateau(opt, kw["mode"]!.GetValue<string>(), kw["factor"]!.GetValue<double>(),
                kw["patience"]!.GetValue<int>(), kw["threshold"]!.GetValue<double>(), kw["threshold_mode"]!.GetValue<string>(),
                kw["cooldown"]?.GetValue<int>() ?? 0, minLr, kw["eps"]?.GetValue<double>() ?? 1e-8);
        }
        else if (schedulerKind == "SequentialLR")
        {
            var children = cfg["children"]!.AsArray().Select(c => BuildChild(c![0]!.GetValue<string>(), opt, c[1]!.AsObject())).ToList();
            sched = optim.lr_scheduler.SequentialLR(opt, children, kw["milestones"]!.AsArray().Select(m => m!.GetValue<int>()).ToList());
        }
        else
        {
            sched = BuildChild(schedulerKind, opt, kw);
        }

        var metrics = plateau != null ? golden[name + ".metrics"].data<double>() : null;
        var wantLr = golden[name + ".lr"];
        golden.TryGetValue(name + ".momentum", out var wantMomentum);
        golden.TryGetValue(name + ".beta1", out var wantBeta1);
        for (var step = 0; step <= Steps; step++)
        {
            if (step > 0)
            {
                opt.step();
                if (plateau != null) plateau.step(metrics![step - 1]);
                else sched!.step();
                Assert.Equal(opt.param_groups.Select(g => g.lr), (plateau as ILRScheduler ?? sched!).get_last_lr());
            }
            Check(name, "lr", step, wantLr, opt.param_groups.Select(g => g.lr).ToArray());
            if (wantMomentum != null)
                Check(name, "momentum", step, wantMomentum, opt.param_groups.Select(g => ((IMomentumOptions)g.options).momentum).ToArray());
            if (wantBeta1 != null)
                Check(name, "beta1", step, wantBeta1, opt.param_groups.Select(g => ((IBetasOptions)g.options).betas.beta1).ToArray());
        }
    }

    private static void Check(string name, string what, int step, Tensor want, double[] got)
    {
        var expected = want[step].data<double>();
        Assert.Equal(expected.Length, got.Length);
        for (var i = 0; i < got.Length; i++)
            Assert.True(Math.Abs(got[i] - expected[i]) <= Rtol * Math.Abs(expected[i]),
                $"{name} step {step} group {i}: {what} {got[i]:R} vs PyTorch {expected[i]:R}");
    }
}
