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
/// per-call overhead (bench/RESULTS.md, "Optimizer step").</item>
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

    /// <summary>The smallest normal float. libtorch 2.10's CPU sqrt (MKL VML, high accuracy, denormals kept) takes a
    /// slow path for zeros and denormals, which Adam's second moments hold many of; clamping the second moment to this
    /// floor first keeps sqrt on its fast path (bench/RESULTS.md, "Optimizer step").</summary>
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
        if (!amsgrad && flat.TryStep(group, p => (State)_state[p.Handle], moments, maximize, wd != 0 ? sWd : null, null)) return;
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

    private readonly FlatAdamGroups<State> flat = new(s => ref s.exp_avg, s => ref s.exp_avg_sq, s => ref s.step);

    /// <summary>How many parameter groups currently step flat (for tests).</summary>
    internal int FlatGroups => flat.Count;

    protected override void Dispose(bool disposing)
    {
        if (disposing) flat.Dispose();
        base.Dispose(disposing);
    }
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
        if (!amsgrad && flat.TryStep(group, p => (State)_state[p.Handle], moments, maximize, null, wd != 0 ? sDecay : null)) return;
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

    private readonly FlatAdamGroups<State> flat = new(s => ref s.exp_avg, s => ref s.exp_avg_sq, s => ref s.step);

    /// <summary>How many parameter groups currently step flat (for tests).</summary>
    internal int FlatGroups => flat.Count;

    protected override void Dispose(bool disposing)
    {
        if (disposing) flat.Dispose();
        base.Dispose(disposing);
    }
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

    private (Scalar bc2Sqrt, Scalar negStepSize, bool floorExact) PerStep(long step)
    {
        if (!perStep.TryGetValue(step, out var s))
        {
            var bc2Sqrt = Math.Sqrt(1 - Math.Pow(beta2, step));
            perStep[step] = s = (bc2Sqrt.ToScalar(), (-(lr / (1 - Math.Pow(beta1, step)))).ToScalar(),
                Optimizers.SqrtFloorIsExact(eps, bc2Sqrt));
        }
        return s;
    }

    /// <summary>The same arithmetic on a whole group laid out flat (<see cref="FlatAdamGroups{TState}"/>): the moments
    /// and the denominator in one op each over the group, then each parameter adds its slice of the update.
    /// <c>param.addcdiv_(m, d, v)</c> computes <c>param + (v·m)/d</c>; here <c>(v·m)/d</c> is one op over the group and
    /// the add one op per parameter, the same roundings in the same order, so the bits do not change.</summary>
    public void UpdateFlat(Tensor grad, long step, Tensor expAvg, Tensor expAvgSq, Tensor update, Parameter[] parameters,
        Tensor[] updateSlices)
    {
        var s = PerStep(step);
        expAvg.mul_(beta1S).add_(grad, oneMinusBeta1);
        expAvgSq.mul_(beta2S).addcmul_(grad, grad, oneMinusBeta2);
        using var denom = Optimizers.Denominator(expAvgSq, s.bc2Sqrt, epsS, s.floorExact ? floor : null);
        update.copy_(expAvg).mul_(s.negStepSize).div_(denom);
        for (var i = 0; i < parameters.Length; i++) parameters[i].add_(updateSlices[i]);
    }

    public void Update(Tensor param, Tensor grad, long step, Tensor expAvg, Tensor expAvgSq, ref Tensor? maxExpAvgSq, bool amsgrad)
    {
        var s = PerStep(step);
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

/// <summary>Adam's and AdamW's step over a parameter group of many small tensors, laid out flat: the group's exp_avg and
/// exp_avg_sq become slices of one buffer each (the optimizer state keeps one tensor per parameter, now views, so
/// checkpoints, <c>state_dict</c> and resume are unchanged), the gradients are gathered into one tensor, and the
/// moments, the denominator and the update run as one op each over the group instead of one per parameter.
/// <para>Why: on a small model the per-parameter step is per-call overhead and threading, not arithmetic; mid-sized
/// tensors sit just above libtorch's 32k-element grain, where splitting an op over two threads costs more than it
/// saves (bench/RESULTS.md, "Optimizer step"). Large tensors gain nothing and the gather would copy them, so a group
/// goes flat only while its tensors average at most <see cref="MeanElementsLimit"/> elements.</para>
/// <para>Same bits as the per-parameter step: the same elementwise ops in the same order on the same values
/// (OptimizerGoldenTests checks it against TorchSharp's own step on a multi-tensor group). A group falls back to the
/// per-parameter step for the whole step when a parameter has no gradient, its tensors are not all contiguous
/// float tensors on one device, or AMSGrad is on; the layout is rebuilt when its state tensors were replaced (a load
/// that assigned new tensors) or the steps of its parameters disagree.</para></summary>
internal sealed class FlatAdamGroups<TState>(FlatAdamGroups<TState>.TensorField expAvgOf, FlatAdamGroups<TState>.TensorField expAvgSqOf,
    FlatAdamGroups<TState>.StepField stepOf) : IDisposable where TState : class
{
    public delegate ref Tensor TensorField(TState state);
    public delegate ref long StepField(TState state);

    /// <summary>Groups whose tensors average more elements than this keep the per-parameter step.</summary>
    public const long MeanElementsLimit = 65536;

    /// <summary>Groups smaller than this step on one thread: below it two threads cost more than they save
    /// (bench/RESULTS.md, "Optimizer step").</summary>
    public const long ParallelMinElements = 131072;

    private sealed class Layout(Parameter[] parameters, Tensor expAvg, Tensor expAvgSq, Tensor update, Tensor[] avgSlices,
        Tensor[] sqSlices, Tensor[] updateSlices) : IDisposable
    {
        public readonly Parameter[] Parameters = parameters;
        public readonly Tensor ExpAvg = expAvg, ExpAvgSq = expAvgSq, Update = update;
        public readonly Tensor[] AvgSlices = avgSlices, SqSlices = sqSlices, UpdateSlices = updateSlices;

        public void Dispose()
        {
            foreach (var t in UpdateSlices) t.Dispose();
            ExpAvg.Dispose(); ExpAvgSq.Dispose(); Update.Dispose();   // the state's slices stay the state's to dispose
        }
    }

    // A group maps to its layout, or to null once it was found ineligible (not re-examined unless its parameters change).
    private readonly Dictionary<ParamGroup, (Parameter[] parameters, Layout? layout)> groups = new(ReferenceEqualityComparer.Instance);

    /// <summary>Runs the group's step flat and returns true, or returns false (nothing changed) for the caller's
    /// per-parameter step. <paramref name="l2"/>: Adam's weight decay added to the gradient; <paramref name="decoupledDecay"/>:
    /// AdamW's factor 1 − lr·wd applied to the parameters first.</summary>
    public bool TryStep(ParamGroup group, Func<Parameter, TState> stateOf, AdamMoments moments, bool maximize, Scalar? l2,
        Scalar? decoupledDecay)
    {
        var current = group.Parameters as IList<Parameter> ?? group.Parameters.ToArray();
        if (!groups.TryGetValue(group, out var entry) || !SameParameters(entry.parameters, current))
        {
            entry.layout?.Dispose();
            var ps0 = current.ToArray();
            groups[group] = entry = (ps0, Eligible(ps0) ? Build(ps0, stateOf) : null);
        }
        else if (entry.layout is { } existing && !Intact(existing, stateOf))
        {
            existing.Dispose();
            groups[group] = entry = (entry.parameters, Build(entry.parameters, stateOf));
        }
        if (entry.layout is not { } layout) return false;

        var ps = layout.Parameters;
        var grads = new Tensor[ps.Length];
        // Below ParallelMinElements one thread does the group's ops faster than two.
        using var oneThread = Engine.SingleThreaded(layout.ExpAvg.numel() < ParallelMinElements);
        try
        {
            for (var i = 0; i < ps.Length; i++)
                if ((grads[i] = ps[i].grad!) is null) return false;
            var flats = new Tensor[ps.Length];
            for (var i = 0; i < ps.Length; i++) flats[i] = grads[i].reshape(-1);
            using var g = cat(flats, 0);
            foreach (var f in flats) f.Dispose();
            if (maximize) g.neg_();
            if (l2 is not null)
            {
                var pf = ps.Select(p => p.reshape(-1)).ToArray();
                using (var all = cat(pf, 0)) g.add_(all, l2);
                foreach (var f in pf) f.Dispose();
            }
            if (decoupledDecay is not null) foreach (var p in ps) p.mul_(decoupledDecay);
            long step = 0;
            foreach (var p in ps) step = stepOf(stateOf(p)) += 1;
            moments.UpdateFlat(g, step, layout.ExpAvg, layout.ExpAvgSq, layout.Update, ps, layout.UpdateSlices);
            return true;
        }
        finally
        {
            foreach (var t in grads) t?.Dispose();
        }
    }

    private static bool SameParameters(Parameter[] a, IList<Parameter> b)
    {
        if (a.Length != b.Count) return false;
        for (var i = 0; i < a.Length; i++) if (!ReferenceEquals(a[i], b[i])) return false;
        return true;
    }

    private static bool Eligible(IList<Parameter> ps)
    {
        if (ps.Count < 2) return false;
        long total = 0;
        foreach (var p in ps)
        {
            if (!p.is_floating_point() || p.dtype != ps[0].dtype || p.device_type != ps[0].device_type || p.device_index != ps[0].device_index || !p.is_contiguous() || p.is_sparse) return false;
            total += p.numel();
        }
        return total <= MeanElementsLimit * ps.Count;
    }

    private bool Intact(Layout layout, Func<Parameter, TState> stateOf)
    {
        long? step = null;
        for (var i = 0; i < layout.Parameters.Length; i++)
        {
            var s = stateOf(layout.Parameters[i]);
            if (!ReferenceEquals(expAvgOf(s), layout.AvgSlices[i]) || !ReferenceEquals(expAvgSqOf(s), layout.SqSlices[i])) return false;
            if ((step ??= stepOf(s)) != stepOf(s)) return false;
        }
        return true;
    }

    /// <summary>Copies the group's current moments into flat buffers and points the state at their slices; null when
    /// the state does not allow it (moments missing or shaped otherwise, parameters at different steps).</summary>
    private Layout? Build(Parameter[] ps, Func<Parameter, TState> stateOf)
    {
        var states = ps.Select(stateOf).ToArray();
        for (var i = 0; i < ps.Length; i++)
        {
            var (m, v) = (expAvgOf(states[i]), expAvgSqOf(states[i]));
            if (m is null || v is null || !m.shape.SequenceEqual(ps[i].shape) || !v.shape.SequenceEqual(ps[i].shape)
                || m.dtype != ps[i].dtype || v.dtype != ps[i].dtype || stepOf(states[i]) != stepOf(states[0])) return null;
        }
        using var scope = NewDisposeScope();
        var expAvg = cat(states.Select(s => expAvgOf(s).reshape(-1)).ToArray(), 0).DetachFromDisposeScope();
        var expAvgSq = cat(states.Select(s => expAvgSqOf(s).reshape(-1)).ToArray(), 0).DetachFromDisposeScope();
        var update = empty_like(expAvg).DetachFromDisposeScope();
        var (avg, sq, upd) = (new Tensor[ps.Length], new Tensor[ps.Length], new Tensor[ps.Length]);
        long offset = 0;
        for (var i = 0; i < ps.Length; i++)
        {
            var n = ps[i].numel();
            avg[i] = expAvg.narrow(0, offset, n).view(ps[i].shape).DetachFromDisposeScope();
            sq[i] = expAvgSq.narrow(0, offset, n).view(ps[i].shape).DetachFromDisposeScope();
            upd[i] = update.narrow(0, offset, n).view(ps[i].shape).DetachFromDisposeScope();
            offset += n;
            expAvgOf(states[i]).Dispose();
            expAvgSqOf(states[i]).Dispose();
            expAvgOf(states[i]) = avg[i];
            expAvgSqOf(states[i]) = sq[i];
        }
        return new Layout(ps, expAvg, expAvgSq, update, avg, sq, upd);
    }

    public int Count => groups.Values.Count(e => e.layout is not null);

    public void Dispose()
    {
        foreach (var (_, layout) in groups.Values) layout?.Dispose();
        groups.Clear();
    }
}
