using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AverLab.Models.Optim;

/// <summary>The trainer's optimizers: TorchSharp's Adam, AdamW and SGD (same classes, options, state fields and
/// checkpoint format, so schedulers, <c>ParamGroups</c> and saved state work unchanged) with the step rewritten to do
/// exactly PyTorch 1.13's single-tensor arithmetic (<c>torch/optim/adam.py</c>, <c>adamw.py</c>, <c>sgd.py</c>, the
/// same ops in the same order, so trajectories are bit-identical to TorchSharp's own step) with two differences in how:
/// <list type="bullet">
/// <item>Every Scalar a step uses is made once per parameter group and disposed when the step ends. TorchSharp's step
/// converts each double argument to a Scalar that nothing keeps alive; a garbage collection started by another thread
/// (the loader's prefetch) can finalize it while libtorch still reads it ("Unknown scalar type" inside addcdiv_). Here
/// every Scalar is rooted in a local until the native call has returned.</item>
/// <item>Per parameter it makes no other managed objects than the gradient's handle: no negated or conjugated copy
/// (CPU float tensors are real), no per-call Scalar, no LINQ — on a small model the optimizer's step is mostly
/// per-call overhead (feature MLP: ~0.3 ms of a 0.75 ms step).</item>
/// </list>
/// Every option of PyTorch 1.13's single-tensor step is honoured (amsgrad, maximize, Nesterov, dampening, groups).
/// The class names stay Adam/AdamW/SGD: a checkpoint records the optimizer's class name and refuses another on resume,
/// and runs written with TorchSharp's own optimizers resume with these.</summary>
public static class Optimizers
{
    /// <summary>Adam as <c>torch.optim.Adam(params, lr, betas, eps, weight_decay)</c> (L2 penalty added to the gradient).</summary>
    public static Adam Adam(IEnumerable<Parameter> parameters, double lr, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 0) => new(parameters, lr, beta1, beta2, eps, weightDecay);

    /// <summary>AdamW as <c>torch.optim.AdamW</c> (decoupled weight decay).</summary>
    public static AdamW AdamW(IEnumerable<Parameter> parameters, double lr, double beta1 = 0.9, double beta2 = 0.999,
        double eps = 1e-8, double weightDecay = 0.01) => new(parameters, lr, beta1, beta2, eps, weightDecay);

    /// <summary>SGD as <c>torch.optim.SGD</c> (momentum, dampening, Nesterov, L2 penalty).</summary>
    public static SGD Sgd(IEnumerable<Parameter> parameters, double lr, double momentum = 0, double dampening = 0,
        double weightDecay = 0, bool nesterov = false) => new(parameters, lr, momentum, dampening, weightDecay, nesterov);

    /// <summary>Adam over parameter groups, each with its own options (TorchSharp's <c>Adam.ParamGroup</c>); the
    /// arguments are the defaults of options a group leaves unset, as in PyTorch.</summary>
    public static Adam Adam(IEnumerable<TorchSharp.Modules.Adam.ParamGroup> groups, double lr, double beta1 = 0.9,
        double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0, bool amsgrad = false, bool maximize = false) =>
        new(groups, lr, beta1, beta2, eps, weightDecay, amsgrad, maximize);

    /// <summary>AdamW over parameter groups; see the Adam overload.</summary>
    public static AdamW AdamW(IEnumerable<TorchSharp.Modules.AdamW.ParamGroup> groups, double lr, double beta1 = 0.9,
        double beta2 = 0.999, double eps = 1e-8, double weightDecay = 0.01, bool amsgrad = false, bool maximize = false) =>
        new(groups, lr, beta1, beta2, eps, weightDecay, amsgrad, maximize);

    /// <summary>SGD over parameter groups; see the Adam overload.</summary>
    public static SGD Sgd(IEnumerable<TorchSharp.Modules.SGD.ParamGroup> groups, double lr, double momentum = 0,
        double dampening = 0, double weightDecay = 0, bool nesterov = false, bool maximize = false) =>
        new(groups, lr, momentum, dampening, weightDecay, nesterov, maximize);

    /// <summary>The smallest normal float. libtorch 2.10's CPU sqrt goes through MKL's VML in its high-accuracy mode
    /// with denormals kept (ATen's vml.h), which takes a slow path for zeros (8x) and denormals (40x): on an audio
    /// ResNet, whose second moments hold many of both, Adam's one sqrt took 10 ms of a 17 ms step (PyTorch 1.13's
    /// hardware sqrt: 1.8 ms). Clamping the second moment to this floor first keeps sqrt on its fast path.</summary>
    internal const float SqrtFloor = 1.17549435e-38f;

    /// <summary>Whether the floor leaves the denominator bit-identical: sqrt of anything at or below the floor, divided
    /// by the bias correction, is below half an ulp of eps (|x| &lt; eps·2⁻²⁶, below ulp(eps)/2 with room for eps's own rounding to float), so (x / bc2) + eps rounds to
    /// eps whether x is 0, a denormal's root or the floor's root. True for every usual eps (1e-8: 3e-18 vs 3e-16).</summary>
    internal static bool SqrtFloorIsExact(double eps, double biasCorrection2Sqrt) =>
        biasCorrection2Sqrt > 0 && Math.Sqrt(SqrtFloor) / biasCorrection2Sqrt < eps * Math.Pow(2, -26);

    /// <summary>The second moment the denominator uses: exp_avg_sq, or with AMSGrad the running maximum of it, kept in
    /// <paramref name="max"/> (PyTorch: <c>torch.maximum(max_exp_avg_sqs[i], exp_avg_sq, out=max_exp_avg_sqs[i])</c>).</summary>
    internal static Tensor SecondMoment(Tensor expAvgSq, ref Tensor? max, bool amsgrad)
    {
        if (!amsgrad) return expAvgSq;
        if (max is null) max = zeros_like(expAvgSq).DetachFromDisposeScope();
        using var m = torch.maximum(max, expAvgSq);
        max.copy_(m);
        return max;
    }

    /// <summary>PyTorch's <c>(exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps)</c>, in one new tensor.</summary>
    internal static Tensor Denominator(Tensor expAvgSq, Scalar biasCorrection2Sqrt, Scalar eps, Scalar? floor)
    {
        var denom = floor is null ? expAvgSq.sqrt() : expAvgSq.clamp_min(floor).sqrt_();
        denom.div_(biasCorrection2Sqrt).add_(eps);
        return denom;
    }
}

/// <summary>PyTorch's Adam; see <see cref="Optimizers"/>.</summary>
public sealed class Adam : TorchSharp.Modules.Adam
{
    internal Adam(IEnumerable<Parameter> parameters, double lr, double beta1, double beta2, double eps, double weightDecay)
        : base(parameters, lr, beta1, beta2, eps, weightDecay) { }

    internal Adam(IEnumerable<ParamGroup> groups, double lr, double beta1, double beta2, double eps, double weightDecay,
        bool amsgrad, bool maximize) : base(groups, lr, beta1, beta2, eps, weightDecay, amsgrad, maximize) { }

    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var o = (Options)group.Options;
        bool amsgrad = o.amsgrad!.Value, maximize = o.maximize!.Value;
        double beta1 = o.beta1!.Value, beta2 = o.beta2!.Value, eps = o.eps!.Value, wd = o.weight_decay!.Value, lr = o.LearningRate!.Value;
        using Scalar sWd = wd;
        using var moments = new AdamMoments(lr, beta1, beta2, eps);
        foreach (var param in group.Parameters)
        {
            using var grad0 = param.grad;
            if (grad0 is null) continue;
            var state = (State)_state[param.Handle];
            state.step += 1;
            using var negated = maximize ? grad0.neg() : null;
            using var decayed = wd != 0 ? (negated ?? grad0).add(param, sWd) : null;
            moments.Update(param, decayed ?? negated ?? grad0, state.step, state.exp_avg, state.exp_avg_sq, ref state.max_exp_avg_sq, amsgrad);
        }
    }, closure);
}

/// <summary>PyTorch's AdamW; see <see cref="Optimizers"/>.</summary>
public sealed class AdamW : TorchSharp.Modules.AdamW
{
    internal AdamW(IEnumerable<Parameter> parameters, double lr, double beta1, double beta2, double eps, double weightDecay)
        : base(parameters, lr, beta1, beta2, eps, weightDecay) { }

    internal AdamW(IEnumerable<ParamGroup> groups, double lr, double beta1, double beta2, double eps, double weightDecay,
        bool amsgrad, bool maximize) : base(groups, lr, beta1, beta2, eps, weightDecay, amsgrad, maximize) { }

    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var o = (Options)group.Options;
        bool amsgrad = o.amsgrad!.Value, maximize = o.maximize!.Value;
        double beta1 = o.beta1!.Value, beta2 = o.beta2!.Value, eps = o.eps!.Value, wd = o.weight_decay!.Value, lr = o.LearningRate!.Value;
        using Scalar sDecay = 1 - lr * wd;
        using var moments = new AdamMoments(lr, beta1, beta2, eps);
        foreach (var param in group.Parameters)
        {
            using var grad0 = param.grad;
            if (grad0 is null) continue;
            using var negated = maximize ? grad0.neg() : null;
            var grad = negated ?? grad0;
            var state = (State)_state[param.Handle];
            state.step += 1;
            // PyTorch multiplies by 1 - lr·wd unconditionally; by exactly 1.0 that is the identity, so skip the op.
            if (wd != 0) param.mul_(sDecay);
            moments.Update(param, grad, state.step, state.exp_avg, state.exp_avg_sq, ref state.max_exp_avg_sq, amsgrad);
        }
    }, closure);
}

/// <summary>PyTorch's SGD; see <see cref="Optimizers"/>.</summary>
public sealed class SGD : TorchSharp.Modules.SGD
{
    internal SGD(IEnumerable<Parameter> parameters, double lr, double momentum, double dampening, double weightDecay, bool nesterov)
        : base(parameters, lr, momentum, dampening, weightDecay, nesterov) { }

    internal SGD(IEnumerable<ParamGroup> groups, double lr, double momentum, double dampening, double weightDecay,
        bool nesterov, bool maximize) : base(groups, lr, momentum, dampening, weightDecay, nesterov, maximize) { }

    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var o = group.Options;
        var maximize = o.maximize!.Value;
        double momentum = o.momentum!.Value, dampening = o.dampening!.Value, wd = o.weight_decay!.Value, lr = o.LearningRate!.Value;
        var nesterov = o.nesterov!.Value;
        using Scalar sMomentum = momentum, sOneMinusDampening = 1 - dampening, sWd = wd, sNegLr = -lr;
        foreach (var param in group.Parameters)
        {
            using var grad0 = param.grad;
            if (grad0 is null) continue;
            var state = (State)_state[param.Handle];
            // PyTorch 1.13 negates first, then adds the penalty (TorchSharp flips the sign of the update instead,
            // which differs when both maximize and weight_decay are set).
            using var negated = maximize ? grad0.neg() : null;
            using var decayed = wd != 0 ? (negated ?? grad0).add(param, sWd) : null;
            var grad = decayed ?? negated ?? grad0;
            Tensor? nesterovGrad = null;
            try
            {
                if (momentum != 0)
                {
                    var buf = state.momentum_buffer;
                    if (buf is null)
                    {
                        buf = grad.clone().detach().DetachFromDisposeScope();
                        state.momentum_buffer = buf;
                    }
                    else buf.mul_(sMomentum).add_(grad, sOneMinusDampening);
                    grad = nesterov ? (nesterovGrad = grad.add(buf, sMomentum)) : buf;
                }
                param.add_(grad, sNegLr);
            }
            finally { nesterovGrad?.Dispose(); }
        }
    }, closure);
}

/// <summary>Adam's and AdamW's shared part of a parameter's step, PyTorch 1.13's order: the two moments, the
/// bias-corrected denominator (AMSGrad's running maximum when asked), the update. Its Scalars live as long as the
/// group's step; the bias corrections are made once per step count (every parameter of a group normally shares it).</summary>
internal sealed class AdamMoments(double lr, double beta1, double beta2, double eps) : IDisposable
{
    private readonly Scalar beta1S = beta1, oneMinusBeta1 = 1 - beta1, beta2S = beta2, oneMinusBeta2 = 1 - beta2, epsS = eps,
        floor = Optimizers.SqrtFloor;
    private readonly Dictionary<long, (Scalar bc2Sqrt, Scalar negStepSize, bool floorExact)> perStep = new();

    public void Update(Tensor param, Tensor grad, long step, Tensor expAvg, Tensor expAvgSq, ref Tensor? maxExpAvgSq, bool amsgrad)
    {
        if (!perStep.TryGetValue(step, out var s))
        {
            var bc2Sqrt = Math.Sqrt(1 - Math.Pow(beta2, step));
            perStep[step] = s = (bc2Sqrt.ToScalar(), (-(lr / (1 - Math.Pow(beta1, step)))).ToScalar(),
                Optimizers.SqrtFloorIsExact(eps, bc2Sqrt));
        }
        expAvg.mul_(beta1S).add_(grad, oneMinusBeta1);
        expAvgSq.mul_(beta2S).addcmul_(grad, grad, oneMinusBeta2);
        using var denom = Optimizers.Denominator(Optimizers.SecondMoment(expAvgSq, ref maxExpAvgSq, amsgrad),
            s.bc2Sqrt, epsS, s.floorExact ? floor : null);
        param.addcdiv_(expAvg, denom, s.negStepSize);
    }

    public void Dispose()
    {
        foreach (var (a, b, _) in perStep.Values) { a.Dispose(); b.Dispose(); }
        foreach (var x in new[] { beta1S, oneMinusBeta1, beta2S, oneMinusBeta2, epsS, floor }) x.Dispose();
    }
}
