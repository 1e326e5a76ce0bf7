using AverLab.Torch.Native;
using System.Text.Json.Nodes;

namespace AverLab.Torch.Optim;

/// <summary>Adam with L2 weight decay, AMSGrad and maximize (https://pytorch.org/docs/1.13/generated/torch.optim.Adam.html);
/// PyTorch 1.13's _single_tensor_adam (step counter a float32 tensor, bias corrections in double).</summary>
public sealed class Adam : Optimizer<Adam.Options, Adam.State>
{
    public Adam(IEnumerable<ParamGroup> param_groups, Options defaults) : base(param_groups, defaults)
    {
    }

    public override string name => "Adam";

    public override void step() => ForEachParamWithGrad((o, param, grad) =>
    {
        var s = StateFor(param);
        s.Init(param, o.amsgrad);
        s.step!.add_(1L);
        if (FusedStep(o, param, grad, s, decoupled: false)) return;
        if (o.maximize) grad = grad.neg();
        if (o.weight_decay != 0) grad = grad.add(param, o.weight_decay);
        Update(o, param, grad, s);
    });

    /// <summary>The whole update in one native pass (EngineOptions.FusedOptimizers) with PyTorch's rounding; false
    /// where it does not apply (not contiguous float32 on CPU, or a CPU where ATen's kernels do not use FMA) and
    /// nothing was changed. Called after the step counter's increment.</summary>
    internal static bool FusedStep(Options o, Tensor param, Tensor grad, State s, bool decoupled)
    {
        if (!EngineOptions.FusedOptimizers || (o.amsgrad && s.max_exp_avg_sq == null)) return false;
        var (beta1, beta2) = o.betas;
        var rc = LibTorch.alt_adam_fused_step(param.Handle, grad.Handle, s.exp_avg!.Handle, s.exp_avg_sq!.Handle,
            o.amsgrad ? s.max_exp_avg_sq!.Handle : IntPtr.Zero, o.lr, beta1, beta2, o.eps, o.weight_decay,
            s.step!.item<double>(), o.maximize ? 1 : 0, decoupled ? 1 : 0);
        GC.KeepAlive(param); GC.KeepAlive(grad); GC.KeepAlive(s);
        NativeErrors.Check(rc < 0 ? rc : 0);
        return rc == 1;
    }

    /// <summary>The moment updates and the parameter step shared with AdamW (everything after weight decay).</summary>
    internal static void Update(Options o, Tensor param, Tensor grad, State s)
    {
        var (beta1, beta2) = o.betas;
        s.exp_avg!.mul_(beta1).add_(grad, 1 - beta1);
        s.exp_avg_sq!.mul_(beta2).addcmul_(grad, grad, 1 - beta2);
        var step = s.step!.item<double>();
        var bias_correction1 = 1 - Math.Pow(beta1, step);
        var bias_correction2 = 1 - Math.Pow(beta2, step);
        var step_size = o.lr / bias_correction1;
        var bias_correction2_sqrt = Math.Sqrt(bias_correction2);
        Tensor denom;
        if (o.amsgrad)
        {
            var max = s.max_exp_avg_sq
                ?? throw new InvalidOperationException("amsgrad is on, but this parameter's state has no max_exp_avg_sq (it was made with amsgrad off)");
            max.maximum(s.exp_avg_sq, output: max);
            denom = (max.sqrt() / bias_correction2_sqrt).add_(o.eps);
        }
        else
        {
            denom = (s.exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(o.eps);
        }
        param.addcdiv_(s.exp_avg, denom, -step_size);
    }

    /// <summary>Adam's hyperparameters (PyTorch's group keys).</summary>
    public record Options : OptimizerOptions, IBetasOptions
    {
        public Options() => lr = 1e-3;

        public (double beta1, double beta2) betas { get; set; } = (0.9, 0.999);
        public double eps { get; set; } = 1e-8;
        public bool amsgrad { get; set; }

        public override void Validate()
        {
            base.Validate();
            if (!(eps >= 0)) throw new ArgumentException($"Invalid epsilon value: {eps}");
            if (!(betas.beta1 >= 0 && betas.beta1 < 1)) throw new ArgumentException($"Invalid beta parameter at index 0: {betas.beta1}");
            if (!(betas.beta2 >= 0 && betas.beta2 < 1)) throw new ArgumentException($"Invalid beta parameter at index 1: {betas.beta2}");
        }

        public override void WriteJson(JsonObject o)
        {
            base.WriteJson(o);
            o["betas"] = OptimJson.Numbers([betas.beta1, betas.beta2]);
            o["eps"] = OptimJson.Number(eps);
            o["amsgrad"] = amsgrad;
        }

        public override void ReadJson(JsonObject o, string source)
        {
            base.ReadJson(o, source);
            var b = OptimJson.GetDoubles(o, "betas", source);
            if (b.Length != 2) throw new FormatException($"{source}: \"betas\" must hold 2 numbers, it holds {b.Length}");
            betas = (b[0], b[1]);
            eps = OptimJson.GetDouble(o, "eps", source);
            amsgrad = OptimJson.GetBool(o, "amsgrad", source);
        }
    }

    /// <summary>Per-parameter state of Adam and AdamW: step (a one-element float32 tensor, as in PyTorch),
    /// exp_avg, exp_avg_sq and, with amsgrad, max_exp_avg_sq.</summary>
    public sealed class State : ParamState
    {
        public Tensor? step { get; internal set; }
        public Tensor? exp_avg { get; internal set; }
        public Tensor? exp_avg_sq { get; internal set; }
        public Tensor? max_exp_avg_sq { get; internal set; }

        internal void Init(Tensor param, bool amsgrad)
        {
            if (step != null) return;
            step = Own(torch.tensor(0.0, torch.float32));
            exp_avg = Own(torch.zeros_like(param));
            exp_avg_sq = Own(torch.zeros_like(param));
            if (amsgrad) max_exp_avg_sq = Own(torch.zeros_like(param));
        }

        public override IEnumerable<(string key, Tensor value)> named_tensors()
        {
            if (step != null) yield return ("step", step);
            if (exp_avg != null) yield return ("exp_avg", exp_avg);
            if (exp_avg_sq != null) yield return ("exp_avg_sq", exp_avg_sq);
            if (max_exp_avg_sq != null) yield return ("max_exp_avg_sq", max_exp_avg_sq);
        }

        public override void load(Func<string, Tensor?> get, Tensor param, string source)
        {
            step = Own(torch.tensor(LoadScalar(get, "step", source), torch.float32));
            exp_avg = LoadLike(get, "exp_avg", param, source);
            exp_avg_sq = LoadLike(get, "exp_avg_sq", param, source);
            max_exp_avg_sq = LoadLikeOptional(get, "max_exp_avg_sq", param, source);
        }

        public override ParamState clone() => new State
        {
            step = CopyOptional(step), exp_avg = CopyOptional(exp_avg), exp_avg_sq = CopyOptional(exp_avg_sq),
            max_exp_avg_sq = CopyOptional(max_exp_avg_sq),
        };
    }
}
