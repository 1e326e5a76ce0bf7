using System.Text.Json.Nodes;
using AverLab.Torch.Optim;
using AverLab.Torch.Serialization;

namespace AverLab.Torch.Tests.Optim;

/// <summary>The fixed model of tests/golden/make_optim_golden.py (a 2-layer tanh MLP as raw tensors) and the
/// helpers that build optimizers and schedulers from the JSON configurations stored in the fixtures.</summary>
internal static class OptimFixture
{
    public static readonly string[] Names = ["W1", "b1", "W2", "b2"];

    public static string GoldenPath(string file) => Path.Combine(AppContext.BaseDirectory, "golden", file);

    /// <summary>x, y and fresh leaf copies of the initial parameters (requires_grad), outside any scope.</summary>
    public static (Tensor x, Tensor y, Dictionary<string, Tensor> p) Model()
    {
        var t = SafeTensors.Load(GoldenPath("optim_model.safetensors"));
        var p = Names.ToDictionary(n => n, n => t[n].requires_grad_(true));
        return (t["x"], t["y"], p);
    }

    /// <summary>pred = tanh(x @ W1.t() + b1) @ W2.t() + b2; loss = (pred - y).pow(2).mean(), as in the script.</summary>
    public static Tensor Loss(Tensor x, Tensor y, IReadOnlyDictionary<string, Tensor> p)
    {
        var h = (x.matmul(p["W1"].t()) + p["b1"]).tanh();
        var pred = h.matmul(p["W2"].t()) + p["b2"];
        return (pred - y).pow(2).mean();
    }

    public static OptimizerOptions Defaults(string kind) => kind switch
    {
        "SGD" => new SGD.Options(),
        "Adam" => new Adam.Options(),
        "AdamW" => new AdamW.Options(),
        "RMSprop" => new RMSprop.Options(),
        "Adagrad" => new Adagrad.Options(),
        _ => throw new ArgumentException(kind),
    };

    /// <summary>Sets the PyTorch keyword arguments of <paramref name="kw"/> on a copy of <paramref name="o"/>.</summary>
    public static OptimizerOptions Apply(OptimizerOptions o, JsonObject kw)
    {
        o = o with { };
        foreach (var (key, node) in kw)
        {
            var v = node!;
            double D() => v.GetValue<double>();
            bool B() => v.GetValue<bool>();
            switch (key, o)
            {
                case ("lr", _): o.lr = D(); break;
                case ("weight_decay", _): o.weight_decay = D(); break;
                case ("maximize", _): o.maximize = B(); break;
                case ("momentum", IMomentumOptions m): m.momentum = D(); break;
                case ("dampening", SGD.Options s): s.dampening = D(); break;
                case ("nesterov", SGD.Options s): s.nesterov = B(); break;
                case ("betas", Adam.Options a): a.betas = (v[0]!.GetValue<double>(), v[1]!.GetValue<double>()); break;
                case ("eps", Adam.Options a): a.eps = D(); break;
                case ("amsgrad", Adam.Options a): a.amsgrad = B(); break;
                case ("eps", RMSprop.Options r): r.eps = D(); break;
                case ("alpha", RMSprop.Options r): r.alpha = D(); break;
                case ("centered", RMSprop.Options r): r.centered = B(); break;
                case ("eps", Adagrad.Options g): g.eps = D(); break;
                case ("lr_decay", Adagrad.Options g): g.lr_decay = D(); break;
                case ("initial_accumulator_value", Adagrad.Options g): g.initial_accumulator_value = D(); break;
                default: throw new ArgumentException($"unknown option {key} for {o.GetType().Name}");
            }
        }
        return o;
    }

    public static Optimizer Create(string kind, IEnumerable<ParamGroup> groups, OptimizerOptions defaults) => kind switch
    {
        "SGD" => new SGD(groups, (SGD.Options)defaults),
        "Adam" => new Adam(groups, (Adam.Options)defaults),
        "AdamW" => new AdamW(groups, (AdamW.Options)defaults),
        "RMSprop" => new RMSprop(groups, (RMSprop.Options)defaults),
        "Adagrad" => new Adagrad(groups, (Adagrad.Options)defaults),
        _ => throw new ArgumentException(kind),
    };

    /// <summary>The optimizer of a fixture configuration: {"optimizer", "kwargs", optional "groups"}.</summary>
    public static Optimizer Build(JsonObject cfg, IReadOnlyDictionary<string, Tensor> p)
    {
        var kind = cfg["optimizer"]!.GetValue<string>();
        var defaults = Apply(Defaults(kind), cfg["kwargs"]!.AsObject());
        List<ParamGroup> groups;
        if (cfg["groups"] is JsonArray gs)
            groups = gs.Select(g =>
            {
                var names = g![0]!.AsArray().Select(n => n!.GetValue<string>());
                return new ParamGroup(names.Select(n => p[n]), Apply(defaults, g[1]!.AsObject()));
            }).ToList();
        else
            groups = [new ParamGroup(Names.Select(n => p[n]))];
        return Create(kind, groups, defaults);
    }

    public static JsonObject Config(IReadOnlyDictionary<string, string> metadata, string name) =>
        JsonNode.Parse(metadata[name])!.AsObject();
}
