using System.Text.Json.Nodes;

namespace AverLab.Torch.Optim;

/// <summary>The hyperparameters of one parameter group (PyTorch keeps them as keys of the group dict). Each
/// optimizer derives its own record; <c>defaults with { lr = 0.01 }</c> makes a group's variant.</summary>
public abstract record OptimizerOptions
{
    public double lr { get; set; }
    public double weight_decay { get; set; }
    public bool maximize { get; set; }

    /// <summary>Throws ArgumentException for a value PyTorch's constructor refuses.</summary>
    public virtual void Validate()
    {
        if (!(lr >= 0)) throw new ArgumentException($"Invalid learning rate: {lr}");
        if (!(weight_decay >= 0)) throw new ArgumentException($"Invalid weight_decay value: {weight_decay}");
    }

    /// <summary>Writes every hyperparameter under PyTorch's key.</summary>
    public virtual void WriteJson(JsonObject o)
    {
        o["lr"] = OptimJson.Number(lr);
        o["weight_decay"] = OptimJson.Number(weight_decay);
        o["maximize"] = maximize;
    }

    /// <summary>Reads what <see cref="WriteJson"/> wrote; <paramref name="source"/> names the file in errors.</summary>
    public virtual void ReadJson(JsonObject o, string source)
    {
        lr = OptimJson.GetDouble(o, "lr", source);
        weight_decay = OptimJson.GetDouble(o, "weight_decay", source);
        maximize = OptimJson.GetBool(o, "maximize", source);
    }
}

/// <summary>Options with a momentum factor that OneCycleLR(cycle_momentum: true) may drive (SGD, RMSprop).</summary>
public interface IMomentumOptions
{
    double momentum { get; set; }
}

/// <summary>Options with Adam's betas; OneCycleLR(cycle_momentum: true) drives beta1.</summary>
public interface IBetasOptions
{
    (double beta1, double beta2) betas { get; set; }
}
