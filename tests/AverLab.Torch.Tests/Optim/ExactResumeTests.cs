using AverLab.Torch.Optim;

namespace AverLab.Torch.Tests.Optim;

/// <summary>Train 5 steps, save parameters + optimizer + scheduler to one safetensors checkpoint, load them into
/// fresh objects and train 5 more: the parameters, learning rates and optimizer state are bitwise equal to 10
/// uninterrupted steps (CPU).</summary>
public sealed class ExactResumeTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("averlab-resume-").FullName;

    public void Dispose() => Directory.Delete(dir, true);

    private static Optimizer MakeOptimizer(string kind, Dictionary<string, Tensor> p)
    {
        var ps = OptimFixture.Names.Select(n => p[n]).ToList();
        return kind switch
        {
            "SGD" => optim.SGD(ps, lr: 0.05, momentum: 0.9, nesterov: true, weight_decay: 1e-3),
            "Adam" => optim.Adam([new ParamGroup(ps.Take(2)), ParamGroup.With<Adam.Options>(ps.Skip(2), o => o with { lr = 0.02, amsgrad = true })], lr: 0.01),
            "AdamW" => optim.AdamW(ps, lr: 0.01, amsgrad: true),
            "RMSprop" => optim.RMSprop(ps, lr: 0.005, momentum: 0.5, centered: true),
            "Adagrad" => optim.Adagrad(ps, lr: 0.1, lr_decay: 0.01, initial_accumulator_value: 0.1),
            _ => throw new ArgumentException(kind),
        };
    }

    private static ILRScheduler MakeScheduler(string kind, Optimizer opt) => kind switch
    {
        "StepLR" => optim.lr_scheduler.StepLR(opt, step_size: 3, gamma: 0.5),
        // Adagrad has no momentum to cycle, as in PyTorch.
        "OneCycleLR" => optim.lr_scheduler.OneCycleLR(opt, max_lr: 0.05, total_steps: 12, cycle_momentum: opt is not Adagrad),
        "ReduceLROnPlateau" => optim.lr_scheduler.ReduceLROnPlateau(opt, factor: 0.5, patience: 0, threshold: 0.05),
        "SequentialLR" => optim.lr_scheduler.SequentialLR(opt,
            [optim.lr_scheduler.LinearLR(opt, start_factor: 0.2, total_iters: 4), optim.lr_scheduler.CosineAnnealingLR(opt, T_max: 6)], [4]),
        "MultiStepLR" => optim.lr_scheduler.MultiStepLR(opt, [2, 6, 6], gamma: 0.5),
        _ => throw new ArgumentException(kind),
    };

    private static void Train(Tensor x, Tensor y, Dictionary<string, Tensor> p, Optimizer opt, ILRScheduler sched, int steps)
    {
        for (var i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            opt.zero_grad();
            var loss = OptimFixture.Loss(x, y, p);
            loss.backward();
            nn.utils.clip_grad_norm_(p.Values, max_norm: 1.0);
            opt.step();
            switch (sched)
            {
                case ReduceLROnPlateau plateau: plateau.step(loss); break;
                case LRScheduler s: s.step(); break;
            }
        }
    }

    [Theory]
    [InlineData("SGD", "StepLR")]
    [InlineData("SGD", "OneCycleLR")]
    [InlineData("SGD", "ReduceLROnPlateau")]
    [InlineData("SGD", "SequentialLR")]
    [InlineData("Adam", "StepLR")]
    [InlineData("Adam", "OneCycleLR")]
    [InlineData("Adam", "ReduceLROnPlateau")]
    [InlineData("AdamW", "StepLR")]
    [InlineData("AdamW", "OneCycleLR")]
    [InlineData("AdamW", "ReduceLROnPlateau")]
    [InlineData("AdamW", "MultiStepLR")]
    [InlineData("RMSprop", "StepLR")]
    [InlineData("RMSprop", "OneCycleLR")]
    [InlineData("RMSprop", "ReduceLROnPlateau")]
    [InlineData("Adagrad", "StepLR")]
    [InlineData("Adagrad", "OneCycleLR")]
    [InlineData("Adagrad", "ReduceLROnPlateau")]
    [InlineData("Adagrad", "SequentialLR")]
    public void FiveSavedPlusFiveEqualsTenUninterrupted(string optimizer, string scheduler)
    {
        using var scope = NewDisposeScope();

        // Ten uninterrupted steps.
        var (x, y, p) = OptimFixture.Model();
        using var opt = MakeOptimizer(optimizer, p);
        var sched = MakeScheduler(scheduler, opt);
        Train(x, y, p, opt, sched, 10);

        // Five steps, checkpoint, and fresh objects that load it and take five more.
        var (x1, y1, p1) = OptimFixture.Model();
        var path = Path.Combine(dir, $"{optimizer}-{scheduler}.safetensors");
        using (var opt1 = MakeOptimizer(optimizer, p1))
        {
            var sched1 = MakeScheduler(scheduler, opt1);
            Train(x1, y1, p1, opt1, sched1, 5);
            TrainingCheckpoint.Save(path, p1, opt1, sched1);
        }
        Assert.False(File.Exists(path + ".tmp"));

        var (x2, y2, p2) = OptimFixture.Model(); // fresh parameters, overwritten from the checkpoint
        using var opt2 = MakeOptimizer(optimizer, p2);
        var sched2 = MakeScheduler(scheduler, opt2);
        var saved = TrainingCheckpoint.Load(path, opt2, sched2);
        using (no_grad())
            foreach (var n in OptimFixture.Names) p2[n].copy_(saved[n]);
        Train(x2, y2, p2, opt2, sched2, 5);

        foreach (var n in OptimFixture.Names)
            Assert.True(p[n].equal(p2[n]), $"{optimizer}+{scheduler}: parameter {n} differs after resume");
        Assert.Equal(sched.get_last_lr(), sched2.get_last_lr());
        Assert.Equal(opt.param_groups.Select(g => g.lr), opt2.param_groups.Select(g => g.lr));
        Assert.Equal(sched.state_dict().ToJsonString(), sched2.state_dict().ToJsonString());
        using var a = opt.state_dict();
        using var b = opt2.state_dict();
        Assert.Equal(a.param_groups.Select(g => g.ToJsonString()), b.param_groups.Select(g => g.ToJsonString()));
        Assert.Equal(a.state.Keys, b.state.Keys);
        foreach (var (i, s) in a.state)
        {
            var other = b.state[i].named_tensors().ToDictionary(t => t.key, t => t.value);
            foreach (var (key, t) in s.named_tensors())
                Assert.True(t.equal(other[key]), $"{optimizer}+{scheduler}: state {i}.{key} differs after resume");
        }
    }
}
