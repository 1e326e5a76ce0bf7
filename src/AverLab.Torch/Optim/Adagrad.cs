using System.Text.Json.Nodes;

namespace AverLab.Torch.Optim;

/// <summary>Adagrad with learning-rate decay, initial accumulator, weight decay and maximize
/// (https://pytorch.org/docs/1.13/generated/torch.optim.Adagrad.html); PyTorch 1.13's _single_tensor_adagrad.
/// As in PyTorch, every parameter's state exists from construction.</summary>
public sealed class Adagrad : Optimizer<Adagrad.Options, Adagrad.State>
{
    public Adagrad(IEnumerable<ParamGroup> param_groups, Options defaults) : base(param_groups, defaults)
    {
    }

    public override string name => "Adagrad";

    // PyTorch fills the accumulator with the constructor's initial_accumulator_value, not the group's.
    protected override void OnGroupAdded(ParamGroup group)
    {
        var init = ((Options)defaults).initial_accumulator_value;
        foreach (var p in group.@params)
        {
            var s = StateFor(p);
            s.step?.Dispose();
            s.sum?.Dispose();
            s.step = ParamState.Own(torch.tensor(0.0, torch.float32));
            s.sum = ParamState.Own(torch.full_like(p, init));
        }
    }

    public override void step() => ForEachParamWithGrad((o, param, grad) =>
    {
        var s = StateFor(param);
        var step_t = s.step ?? throw new InvalidOperationException("Adagrad state has no step");
        var state_sum = s.sum ?? throw new InvalidOperationException("Adagrad state has no sum");
        step_t.add_(1L);
        var step = step_t.item<double>();
        if (o.maximize) grad = grad.neg();
        if (o.weight_decay != 0) grad = grad.add(param, o.weight_decay);
        var clr = o.lr / (1 + (step - 1) * o.lr_decay);
        state_sum.addcmul_(grad, grad, 1);
        var std = state_sum.sqrt().add_(o.eps);
        param.addcdiv_(grad, std, -clr);
    });

    /// <summary>Adagrad's hyperparameters (PyTorch's group keys).</summary>
    public sealed record Options : OptimizerOptions
    {
        public Options() => lr = 1e-2;

        public double lr_decay { get; set; }
        public double initial_accumulator_value { get; set; }
        public double eps { get; set; } = 1e-10;

        public override void Validate()
        {
            base.Validate();
            if (!(lr_decay >= 0)) throw new ArgumentException($"Invalid lr_decay value: {lr_decay}");
            if (!(initial_accumulator_value >= 0)) throw new ArgumentException($"Invalid initial_accumulator_value value: {initial_accumulator_value}");
            if (!(eps >= 0)) throw new ArgumentException($"Invalid epsilon value: {eps}");
        }

        public override void WriteJson(JsonObject o)
        {
            base.WriteJson(o);
            o["lr_decay"] = OptimJson.Number(lr_decay);
            o["initial_accumulator_value"] = OptimJson.Number(initial_accumulator_value);
            o["eps"] = OptimJson.Number(eps);
        }

        public override void ReadJson(JsonObject o, string source)
        {
            base.ReadJson(o, source);
            lr_decay = OptimJson.GetDouble(o, "lr_decay", source);
            initial_accumulator_value = OptimJson.GetDouble(o, "initial_accumulator_value", source);
            eps = OptimJson.GetDouble(o, "eps", source);
        }
    }

    /// <summary>Per-parameter state: step (a float32 counter, as in PyTorch) and sum (the squared-gradient accumulator).</summary>
    public sealed class State : ParamState
    {
        public Tensor? step { get; internal set; }
        public Tensor? sum { get; internal set; }

        public override IEnumerable<(string key, Tensor value)> named_tensors()
        {
            if (step != null) yield return ("step", step);
            if (sum != null) yield return ("sum", sum);
        }

        public override void load(Func<string, Tensor?> get, Tensor param, string source)
        {
            step = Own(torch.tensor(LoadScalar(get, "step", source), torch.float32));
            sum = LoadLike(get, "sum", param, source);
        }

        public override ParamState clone() => new State { step = CopyOptional(step), sum = CopyOptional(sum) };
    }
}
