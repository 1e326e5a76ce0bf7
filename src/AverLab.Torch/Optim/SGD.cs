using System.Text.Json.Nodes;

namespace AverLab.Torch.Optim;

/// <summary>Stochastic gradient descent with momentum, dampening, Nesterov momentum, weight decay and maximize
/// (https://pytorch.org/docs/1.13/generated/torch.optim.SGD.html); PyTorch 1.13's _single_tensor_sgd.</summary>
public sealed class SGD : Optimizer<SGD.Options, SGD.State>
{
    public SGD(IEnumerable<ParamGroup> param_groups, Options defaults) : base(param_groups, defaults)
    {
    }

    public override string name => "SGD";

    public override void step() => ForEachParamWithGrad((o, param, grad) =>
    {
        var d_p = o.maximize ? grad.neg() : grad;
        if (o.weight_decay != 0) d_p = d_p.add(param, o.weight_decay);
        if (o.momentum != 0)
        {
            var s = StateFor(param);
            var buf = s.momentum_buffer;
            if (buf == null)
                s.momentum_buffer = buf = ParamState.Own(d_p.clone());
            else
                buf.mul_(o.momentum).add_(d_p, 1 - o.dampening);
            d_p = o.nesterov ? d_p.add(buf, o.momentum) : buf;
        }
        else
        {
            StateFor(param); // PyTorch records {'momentum_buffer': None} for every stepped parameter
        }
        param.add_(d_p, -o.lr);
    });

    /// <summary>SGD's hyperparameters (PyTorch's group keys).</summary>
    public sealed record Options : OptimizerOptions, IMomentumOptions
    {
        public double momentum { get; set; }
        public double dampening { get; set; }
        public bool nesterov { get; set; }

        public override void Validate()
        {
            base.Validate();
            if (!(momentum >= 0)) throw new ArgumentException($"Invalid momentum value: {momentum}");
            if (nesterov && (momentum <= 0 || dampening != 0))
                throw new ArgumentException("Nesterov momentum requires a momentum and zero dampening");
        }

        public override void WriteJson(JsonObject o)
        {
            base.WriteJson(o);
            o["momentum"] = OptimJson.Number(momentum);
            o["dampening"] = OptimJson.Number(dampening);
            o["nesterov"] = nesterov;
        }

        public override void ReadJson(JsonObject o, string source)
        {
            base.ReadJson(o, source);
            momentum = OptimJson.GetDouble(o, "momentum", source);
            dampening = OptimJson.GetDouble(o, "dampening", source);
            nesterov = OptimJson.GetBool(o, "nesterov", source);
        }
    }

    /// <summary>Per-parameter state: the momentum buffer (null without momentum).</summary>
    public sealed class State : ParamState
    {
        public Tensor? momentum_buffer { get; internal set; }

        public override IEnumerable<(string key, Tensor value)> named_tensors()
        {
            if (momentum_buffer != null) yield return ("momentum_buffer", momentum_buffer);
        }

        public override void load(Func<string, Tensor?> get, Tensor param, string source) =>
            momentum_buffer = LoadLikeOptional(get, "momentum_buffer", param, source);

        public override ParamState clone() => new State { momentum_buffer = CopyOptional(momentum_buffer) };
    }
}
