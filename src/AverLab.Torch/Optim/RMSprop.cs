using System.Text.Json.Nodes;

namespace AverLab.Torch.Optim;

/// <summary>RMSprop with smoothing constant alpha, centered variant, momentum, weight decay and maximize
/// (https://pytorch.org/docs/1.13/generated/torch.optim.RMSprop.html); PyTorch 1.13's _single_tensor_rmsprop.</summary>
public sealed class RMSprop : Optimizer<RMSprop.Options, RMSprop.State>
{
    public RMSprop(IEnumerable<ParamGroup> param_groups, Options defaults) : base(param_groups, defaults)
    {
    }

    public override string name => "RMSprop";

    public override void step() => ForEachParamWithGrad((o, param, grad) =>
    {
        var s = StateFor(param);
        if (s.step == null)
        {
            s.step = ParamState.Own(torch.tensor(0L));
            s.square_avg = ParamState.Own(torch.zeros_like(param));
            if (o.momentum > 0) s.momentum_buffer = ParamState.Own(torch.zeros_like(param));
            if (o.centered) s.grad_avg = ParamState.Own(torch.zeros_like(param));
        }
        s.step.add_(1L);

        if (o.maximize) grad = grad.neg();
        if (o.weight_decay != 0) grad = grad.add(param, o.weight_decay);
        var square_avg = s.square_avg!;
        square_avg.mul_(o.alpha).addcmul_(grad, grad, 1 - o.alpha);
        Tensor avg;
        if (o.centered)
        {
            var grad_avg = s.grad_avg ?? throw new InvalidOperationException("centered is on, but this parameter's state has no grad_avg");
            grad_avg.mul_(o.alpha).add_(grad, 1 - o.alpha);
            avg = square_avg.addcmul(grad_avg, grad_avg, -1).sqrt_();
        }
        else
        {
            avg = square_avg.sqrt();
        }
        avg = avg.add_(o.eps);
        if (o.momentum > 0)
        {
            var buf = s.momentum_buffer ?? throw new InvalidOperationException("momentum is on, but this parameter's state has no momentum_buffer");
            buf.mul_(o.momentum).addcdiv_(grad, avg);
            param.add_(buf, -o.lr);
        }
        else
        {
            param.addcdiv_(grad, avg, -o.lr);
        }
    });

    /// <summary>RMSprop's hyperparameters (PyTorch's group keys).</summary>
    public sealed record Options : OptimizerOptions, IMomentumOptions
    {
        public Options() => lr = 1e-2;

        public double alpha { get; set; } = 0.99;
        public double eps { get; set; } = 1e-8;
        public double momentum { get; set; }
        public bool centered { get; set; }

        public override void Validate()
        {
            base.Validate();
            if (!(eps >= 0)) throw new ArgumentException($"Invalid epsilon value: {eps}");
            if (!(momentum >= 0)) throw new ArgumentException($"Invalid momentum value: {momentum}");
            if (!(alpha >= 0)) throw new ArgumentException($"Invalid alpha value: {alpha}");
        }

        public override void WriteJson(JsonObject o)
        {
            base.WriteJson(o);
            o["alpha"] = OptimJson.Number(alpha);
            o["eps"] = OptimJson.Number(eps);
            o["momentum"] = OptimJson.Number(momentum);
            o["centered"] = centered;
        }

        public override void ReadJson(JsonObject o, string source)
        {
            base.ReadJson(o, source);
            alpha = OptimJson.GetDouble(o, "alpha", source);
            eps = OptimJson.GetDouble(o, "eps", source);
            momentum = OptimJson.GetDouble(o, "momentum", source);
            centered = OptimJson.GetBool(o, "centered", source);
        }
    }

    /// <summary>Per-parameter state: step (an int64 counter), square_avg, and momentum_buffer / grad_avg when
    /// momentum / centered are on.</summary>
    public sealed class State : ParamState
    {
        public Tensor? step { get; internal set; }
        public Tensor? square_avg { get; internal set; }
        public Tensor? momentum_buffer { get; internal set; }
        public Tensor? grad_avg { get; internal set; }

        public override IEnumerable<(string key, Tensor value)> named_tensors()
        {
            if (step != null) yield return ("step", step);
            if (square_avg != null) yield return ("square_avg", square_avg);
            if (momentum_buffer != null) yield return ("momentum_buffer", momentum_buffer);
            if (grad_avg != null) yield return ("grad_avg", grad_avg);
        }

        public override void load(Func<string, Tensor?> get, Tensor param, string source)
        {
            step = Own(torch.tensor((long)LoadScalar(get, "step", source)));
            square_avg = LoadLike(get, "square_avg", param, source);
            momentum_buffer = LoadLikeOptional(get, "momentum_buffer", param, source);
            grad_avg = LoadLikeOptional(get, "grad_avg", param, source);
        }

        public override ParamState clone() => new State
        {
            step = CopyOptional(step), square_avg = CopyOptional(square_avg), momentum_buffer = CopyOptional(momentum_buffer),
            grad_avg = CopyOptional(grad_avg),
        };
    }
}
