using AverLab.Torch.Optim;
using AverLab.Torch.Serialization;

namespace AverLab.Torch.Tests.Optim;

/// <summary>20 steps of each optimizer configuration on the fixed MLP follow PyTorch 1.13.1's parameter
/// trajectory (tests/golden/make_optim_golden.py) within 1e-5 relative at every step.</summary>
public class OptimizerParityTests
{
    private const int Steps = 20;
    private const double Rtol = 1e-5;
    private const double Atol = 1e-7; // for elements that pass near zero

    [Theory]
    [InlineData("sgd", "sgd_plain")]
    [InlineData("sgd", "sgd_momentum")]
    [InlineData("sgd", "sgd_dampening_wd")]
    [InlineData("sgd", "sgd_nesterov_wd")]
    [InlineData("sgd", "sgd_maximize")]
    [InlineData("sgd", "sgd_groups")]
    [InlineData("sgd", "sgd_clip_norm2")]
    [InlineData("sgd", "sgd_clip_norm_inf")]
    [InlineData("sgd", "sgd_clip_norm1")]
    [InlineData("sgd", "sgd_clip_value")]
    [InlineData("adam", "adam_default")]
    [InlineData("adam", "adam_wd_betas")]
    [InlineData("adam", "adam_amsgrad")]
    [InlineData("adam", "adam_amsgrad_maximize_wd")]
    [InlineData("adam", "adam_groups")]
    [InlineData("adamw", "adamw_default")]
    [InlineData("adamw", "adamw_amsgrad_wd")]
    [InlineData("adamw", "adamw_maximize_betas")]
    [InlineData("rmsprop", "rmsprop_default")]
    [InlineData("rmsprop", "rmsprop_centered")]
    [InlineData("rmsprop", "rmsprop_momentum_wd_alpha")]
    [InlineData("rmsprop", "rmsprop_centered_momentum_maximize")]
    [InlineData("adagrad", "adagrad_default")]
    [InlineData("adagrad", "adagrad_lrdecay_init")]
    [InlineData("adagrad", "adagrad_wd_maximize")]
    public void FollowsPyTorchTrajectory(string family, string name)
    {
        using var outer = NewDisposeScope();
        var (golden, metadata) = SafeTensors.LoadWithMetadata(OptimFixture.GoldenPath($"optim_{family}.safetensors"));
        var cfg = OptimFixture.Config(metadata, name);
        var (x, y, p) = OptimFixture.Model();
        using var opt = OptimFixture.Build(cfg, p);
        var clip = cfg["clip"]?.AsArray();
        var plist = OptimFixture.Names.Select(n => p[n]).ToList();

        for (var step = 0; step < Steps; step++)
        {
            using var scope = NewDisposeScope();
            opt.zero_grad();
            OptimFixture.Loss(x, y, p).backward();
            if (clip != null)
            {
                if (clip[0]!.GetValue<string>() == "norm")
                {
                    var normType = clip[2]!.GetValueKind() == System.Text.Json.JsonValueKind.String
                        ? double.PositiveInfinity
                        : clip[2]!.GetValue<double>();
                    var total = nn.utils.clip_grad_norm_(plist, clip[1]!.GetValue<double>(), normType).item<float>();
                    var expected = golden[$"{name}.total_norm"][step].item<float>();
                    Assert.True(Math.Abs(total - expected) <= Rtol * Math.Abs(expected) + Atol,
                        $"{name} step {step + 1}: total_norm {total} vs PyTorch {expected}");
                }
                else
                {
                    nn.utils.clip_grad_value_(plist, clip[1]!.GetValue<double>());
                }
            }
            opt.step();
            foreach (var n in OptimFixture.Names)
            {
                var want = golden[$"{name}.{n}"][step];
                var got = p[n].detach();
                var err = (got - want).abs().max().item<double>();
                var scale = want.abs().max().item<double>();
                Assert.True(got.allclose(want, Rtol, Atol),
                    $"{name} step {step + 1} {n}: max |diff| {err:E3} (max |value| {scale:E3}) exceeds rtol {Rtol}");
            }
        }
    }
}
