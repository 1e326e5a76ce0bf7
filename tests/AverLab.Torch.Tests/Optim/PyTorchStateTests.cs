using AverLab.Torch.Serialization;

namespace AverLab.Torch.Tests.Optim;

/// <summary>PyTorch's own optimizer state after 5 steps (its state_dict's tensors and param_groups JSON, exported
/// by tests/golden/make_optim_golden.py) loads into an AverLab optimizer, which then follows PyTorch's
/// trajectory for the remaining 15 steps within 1e-5 relative.</summary>
public class PyTorchStateTests
{
    [Theory]
    [InlineData("sgd_momentum", "sgd", "sgd_nesterov_wd")]
    [InlineData("adam_amsgrad", "adam", "adam_groups")]
    [InlineData("adamw", "adamw", "adamw_amsgrad_wd")]
    [InlineData("rmsprop", "rmsprop", "rmsprop_centered_momentum_maximize")]
    [InlineData("adagrad", "adagrad", "adagrad_lrdecay_init")]
    public void ContinuesFromPyTorchState(string name, string family, string config)
    {
        using var scope = NewDisposeScope();
        var path = OptimFixture.GoldenPath("optim_pytorch_state.safetensors");
        var (golden, metadata) = SafeTensors.LoadWithMetadata(path);
        var (_, configs) = SafeTensors.LoadWithMetadata(OptimFixture.GoldenPath($"optim_{family}.safetensors"));
        var (x, y, p) = OptimFixture.Model();
        using (no_grad())
            foreach (var n in OptimFixture.Names) p[n].copy_(golden[$"{name}.param.{n}"]);
        using var opt = OptimFixture.Build(OptimFixture.Config(configs, config), p);
        opt.load_from(golden, metadata, name + ".", path);

        for (var step = 0; step < 15; step++)
        {
            using var inner = NewDisposeScope();
            opt.zero_grad();
            OptimFixture.Loss(x, y, p).backward();
            opt.step();
            foreach (var n in OptimFixture.Names)
                Assert.True(p[n].allclose(golden[$"{name}.{n}"][step], 1e-5, 1e-7), $"{name}: step {step + 6} {n} differs from PyTorch");
        }
    }
}
