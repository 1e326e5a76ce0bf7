namespace AverLab.Torch.Tests.NN;

/// <summary>Loss modules give the functional results checked against PyTorch in the loss fixtures.</summary>
public class LossModuleTests
{
    public static IEnumerable<object[]> Cases => new[]
    {
        new object[] { "loss_ce_smooth" }, ["loss_ce_weight_ignore"], ["loss_nll"], ["loss_bce_weight"], ["loss_bce_logits"], ["loss_mse"],
        ["loss_l1"], ["loss_smooth_l1"],
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ModuleMatchesFixture(string name)
    {
        using var scope = NewDisposeScope();
        var fx = Golden.Load($"nn_{name}.safetensors").tensors;
        Tensor I(string k) => fx["in." + k];
        using nn.Loss loss = name switch
        {
            "loss_ce_smooth" => new nn.CrossEntropyLoss(weight: I("w"), label_smoothing: 0.1),
            "loss_ce_weight_ignore" => new nn.CrossEntropyLoss(weight: I("w"), ignore_index: -100),
            "loss_nll" => new nn.NLLLoss(weight: I("w")),
            "loss_bce_weight" => new nn.BCELoss(weight: I("w"), reduction: Reduction.Sum),
            "loss_bce_logits" => new nn.BCEWithLogitsLoss(pos_weight: I("pw")),
            "loss_mse" => new nn.MSELoss(),
            "loss_l1" => new nn.L1Loss(Reduction.Sum),
            "loss_smooth_l1" => new nn.SmoothL1Loss(beta: 0.5),
            _ => throw new ArgumentException(name),
        };
        var target = fx.TryGetValue("in.t", out var t) ? t : I("y");
        Golden.AssertClose(fx["out.0"], loss.call(I("x"), target), name);
    }
}
