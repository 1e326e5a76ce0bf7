namespace AverLab.Torch.Optim;

/// <summary>Adam with decoupled weight decay (https://pytorch.org/docs/1.13/generated/torch.optim.AdamW.html);
/// PyTorch 1.13's _single_tensor_adamw: param *= 1 - lr * weight_decay, then Adam's update.</summary>
public sealed class AdamW : Optimizer<AdamW.Options, Adam.State>
{
    public AdamW(IEnumerable<ParamGroup> param_groups, Options defaults) : base(param_groups, defaults)
    {
    }

    public override string name => "AdamW";

    public override void step() => ForEachParamWithGrad((o, param, grad) =>
    {
        var s = StateFor(param);
        s.Init(param, o.amsgrad);
        s.step!.add_(1L);
        if (Adam.FusedStep(o, param, grad, s, decoupled: true)) return;
        if (o.maximize) grad = grad.neg();
        param.mul_(1 - o.lr * o.weight_decay);
        Adam.Update(o, param, grad, s);
    });

    /// <summary>AdamW's hyperparameters: Adam's, with weight_decay 1e-2 by default.</summary>
    public sealed record Options : Adam.Options
    {
        public Options() => weight_decay = 1e-2;
    }
}
