using AverLab.Torch.Optim;
using AverLab.Torch.Serialization;

namespace AverLab.Torch.Tests.Optim;

/// <summary>Options, parameter groups, zero_grad, state_dict files and their validation.</summary>
public sealed class OptimizerStateTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("averlab-optim-").FullName;
    private readonly DisposeScope scope = NewDisposeScope();

    public void Dispose()
    {
        scope.Dispose();
        Directory.Delete(dir, true);
    }

    private static void Backward(Tensor x, Tensor y, Dictionary<string, Tensor> p) => OptimFixture.Loss(x, y, p).backward();

    [Fact]
    public void SavesPyTorchNamesAndHyperparameters()
    {
        var (x, y, p) = OptimFixture.Model();
        using var opt = optim.Adam(p.Values, lr: 0.01, betas: (0.8, 0.99), amsgrad: true);
        Backward(x, y, p);
        opt.step();
        var path = Path.Combine(dir, "adam.safetensors");
        opt.save(path);

        var (entries, meta) = SafeTensors.ReadRaw(path);
        Assert.Equal("Adam", meta["optimizer"]);
        Assert.Contains("\"betas\":[0.8,0.99]", meta["param_groups"]);
        Assert.Contains("\"params\":[0,1,2,3]", meta["param_groups"]);
        Assert.Equal("F32", entries["state.0.step"].Dtype);
        Assert.Equal(1f, entries["state.0.step"].ToFloat32()[0]);
        Assert.Equal(new long[] { 8, 5 }, entries["state.0.exp_avg"].Shape);
        Assert.True(entries.ContainsKey("state.3.max_exp_avg_sq"));

        var (_, _, q) = OptimFixture.Model();
        using var fresh = optim.Adam(q.Values, lr: 0.5);
        fresh.load(path);
        Assert.Equal(0.01, fresh.param_groups[0].lr);
        Assert.Equal((0.8, 0.99), ((Adam.Options)fresh.param_groups[0].options).betas);
        var w1 = p["W1"];
        Assert.True(opt.state_of(w1)!.exp_avg!.equal(((Adam)fresh).state_of(q["W1"])!.exp_avg!));
    }

    [Fact]
    public void RejectsStateOfAnotherOptimizerOrShape()
    {
        var (x, y, p) = OptimFixture.Model();
        using var adam = optim.Adam(p.Values);
        Backward(x, y, p);
        adam.step();
        var path = Path.Combine(dir, "adam.safetensors");
        adam.save(path);

        using var sgd = optim.SGD(p.Values, lr: 0.1);
        var e1 = Assert.Throws<FormatException>(() => sgd.load(path));
        Assert.Contains(path, e1.Message);
        Assert.Contains("Adam", e1.Message);

        // Same count of parameters, but W1 replaced by a tensor of another shape: names the key and both shapes.
        var other = new Dictionary<string, Tensor>(p) { ["W1"] = zeros([5, 8], requires_grad: true) };
        using var adam2 = optim.Adam(OptimFixture.Names.Select(n => other[n]), lr: 0.5);
        var e2 = Assert.Throws<FormatException>(() => adam2.load(path));
        Assert.Contains("exp_avg", e2.Message);
        Assert.Contains("[8, 5]", e2.Message);
        Assert.Equal(0.5, adam2.param_groups[0].lr); // nothing changed
        Assert.Null(adam2.state_of(other["b1"]));

        using var twoGroups = optim.Adam([new ParamGroup(p.Values.Take(2)), new ParamGroup(p.Values.Skip(2))]);
        Assert.Contains("parameter groups", Assert.Throws<FormatException>(() => twoGroups.load(path)).Message);
    }

    [Fact]
    public void BadFilesGiveClearErrors()
    {
        var (_, _, p) = OptimFixture.Model();
        using var opt = optim.SGD(p.Values, lr: 0.1, momentum: 0.9);
        var plain = Path.Combine(dir, "plain.safetensors");
        SafeTensors.Save(plain, p);
        var e = Assert.Throws<FormatException>(() => opt.load(plain));
        Assert.Contains(plain, e.Message);
        Assert.Contains("missing metadata", e.Message);

        var good = Path.Combine(dir, "sgd.safetensors");
        opt.save(good);
        var bytes = File.ReadAllBytes(good);
        var truncated = Path.Combine(dir, "truncated.safetensors");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        Assert.ThrowsAny<Exception>(() => opt.load(truncated));

        var badJson = Path.Combine(dir, "badjson.safetensors");
        SafeTensors.Save(badJson, new Dictionary<string, Tensor>(), new Dictionary<string, string>
        {
            ["format"] = OptimizerStateDict.FormatTag, ["optimizer"] = "SGD", ["param_groups"] = "[{\"lr\": \"fast\"}]",
        });
        var e3 = Assert.Throws<FormatException>(() => opt.load(badJson));
        Assert.Contains(badJson, e3.Message);
    }

    [Fact]
    public void ParamGroupsTakeTheirOwnOptions()
    {
        var (_, _, p) = OptimFixture.Model();
        using var opt = optim.Adam(
        [
            new ParamGroup([p["W1"], p["W2"]]),
            ParamGroup.With<Adam.Options>([p["b1"], p["b2"]], o => o with { lr = 0.03, amsgrad = true }),
        ], lr: 0.01, betas: (0.5, 0.9));
        Assert.Equal(0.01, opt.param_groups[0].lr);
        Assert.Equal(0.03, opt.param_groups[1].lr);
        Assert.Equal((0.5, 0.9), ((Adam.Options)opt.param_groups[1].options).betas);
        Assert.True(((Adam.Options)opt.param_groups[1].options).amsgrad);
        opt.param_groups[0].lr = 0.2;
        Assert.Equal(0.03, opt.param_groups[1].lr);
        Assert.Equal(0.01, opt.defaults.lr);

        Assert.Throws<ArgumentException>(() => optim.SGD([new ParamGroup([p["W1"]]), new ParamGroup([p["W1"]])], lr: 0.1));
        Assert.Throws<ArgumentException>(() => optim.SGD([ParamGroup.With<Adam.Options>([p["W1"]], o => o)], lr: 0.1));
        Assert.Throws<ArgumentException>(() => optim.SGD(p.Values, lr: -1));
        Assert.Throws<ArgumentException>(() => optim.SGD(p.Values, lr: 0.1, nesterov: true));
        Assert.Throws<ArgumentException>(() => optim.Adam(p.Values, betas: (1.0, 0.9)));
        Assert.Throws<ArgumentException>(() => optim.SGD(Array.Empty<Tensor>(), lr: 0.1));
        using var adagrad = optim.Adagrad(p.Values);
        Assert.Throws<ArgumentException>(() => optim.lr_scheduler.OneCycleLR(adagrad, max_lr: 0.1, total_steps: 10));
    }

    [Fact]
    public void ZeroGradClearsOrZeroes()
    {
        var (x, y, p) = OptimFixture.Model();
        using var opt = optim.SGD(p.Values, lr: 0.1);
        Backward(x, y, p);
        opt.zero_grad(set_to_none: false);
        Assert.Equal(0.0, p["W1"].grad!.abs().sum().item<double>());
        opt.zero_grad();
        Assert.Null(p["W1"].grad);
        opt.step(); // no gradients: nothing moves
    }

    [Fact]
    public void StepWithClosureReturnsTheLoss()
    {
        var (x, y, p) = OptimFixture.Model();
        using var opt = optim.SGD(p.Values, lr: 0.1);
        var before = p["b2"].clone();
        var loss = opt.step(() =>
        {
            opt.zero_grad();
            var l = OptimFixture.Loss(x, y, p);
            l.backward();
            return l;
        });
        Assert.True(loss.item<float>() > 0);
        Assert.False(before.equal(p["b2"]));
    }

    [Fact]
    public void ClipGradNormRejectsNonFiniteWhenAsked()
    {
        var w = tensor(new float[] { 1, 2 }, [2], requires_grad: true);
        (w * float.PositiveInfinity).sum().backward();
        Assert.Throws<InvalidOperationException>(() => nn.utils.clip_grad_norm_(w, 1.0, error_if_nonfinite: true));
        var total = nn.utils.clip_grad_norm_(w, 1.0);
        Assert.True(double.IsInfinity(total.item<double>()));
        Assert.Equal(0.0, nn.utils.clip_grad_norm_(zeros([2], requires_grad: true), 1.0).item<double>());
    }

    [Fact]
    public void SchedulerStateRejectsAnotherType()
    {
        var (_, _, p) = OptimFixture.Model();
        using var opt = optim.SGD(p.Values, lr: 0.1);
        var step = optim.lr_scheduler.StepLR(opt, 2);
        var cos = optim.lr_scheduler.CosineAnnealingLR(opt, 5);
        var e = Assert.Throws<FormatException>(() => cos.load_state_dict(step.state_dict(), "ckpt.safetensors: scheduler"));
        Assert.Contains("ckpt.safetensors", e.Message);
        Assert.Contains("StepLR", e.Message);
        var plateau = optim.lr_scheduler.ReduceLROnPlateau(opt);
        var state = plateau.state_dict();
        Assert.Equal("Infinity", state["best"]!.GetValue<string>());
        plateau.load_state_dict(state);
        Assert.Equal(double.PositiveInfinity, plateau.best);
    }
}
