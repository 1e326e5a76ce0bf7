using AverLab.Torch.Optim;

namespace AverLab.Torch.Tests.Optim;

/// <summary>A training step (zero_grad, forward, backward, clip, optimizer step, scheduler step) inside a dispose
/// scope leaves the number of live tensors unchanged once the optimizer's state exists.</summary>
[Collection(LiveCountCollection.Name)]
public class OptimizerLeakTests
{
    [Theory]
    [InlineData("SGD")]
    [InlineData("Adam")]
    [InlineData("AdamW")]
    [InlineData("RMSprop")]
    [InlineData("Adagrad")]
    public void StepsLeakNoTensors(string kind)
    {
        var (x, y, p) = OptimFixture.Model();
        var ps = OptimFixture.Names.Select(n => p[n]).ToList();
        using Optimizer opt = kind switch
        {
            "SGD" => optim.SGD(ps, lr: 0.05, momentum: 0.9, nesterov: true, weight_decay: 1e-3, maximize: true),
            "Adam" => optim.Adam(ps, amsgrad: true, weight_decay: 0.01, maximize: true),
            "AdamW" => optim.AdamW(ps, amsgrad: true),
            "RMSprop" => optim.RMSprop(ps, momentum: 0.5, centered: true, weight_decay: 0.01),
            _ => optim.Adagrad(ps, lr_decay: 0.1, weight_decay: 0.01),
        };
        var sched = optim.lr_scheduler.StepLR(opt, step_size: 2);

        void Step()
        {
            using var scope = NewDisposeScope();
            opt.zero_grad();
            OptimFixture.Loss(x, y, p).backward();
            nn.utils.clip_grad_norm_(ps, 1.0);
            nn.utils.clip_grad_value_(ps, 0.5);
            opt.step();
            sched.step();
        }

        Step(); // creates the optimizer state
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var before = Tensor.LiveCount;
        for (var i = 0; i < 5; i++) Step();
        Assert.Equal(before, Tensor.LiveCount);

        using (var sd = opt.state_dict()) Assert.NotEmpty(sd.state);
        Assert.Equal(before, Tensor.LiveCount);
        opt.Dispose();
        Assert.True(Tensor.LiveCount < before, "disposing the optimizer frees its state tensors");
        foreach (var t in p.Values) t.Dispose();
        x.Dispose();
        y.Dispose();
    }
}
