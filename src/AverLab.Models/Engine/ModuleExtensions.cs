using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AverLab.Models;

/// <summary>Registration that returns what it registered, so a model's constructor reads as PyTorch's __init__ does
/// (<c>self.conv1 = nn.Conv2d(...)</c>): the name given becomes the state-dict key.</summary>
public static class ModuleExtensions
{
    public static T RegisterModule<T>(this nn.Module owner, string name, T module) where T : nn.Module
    {
        owner.register_module(name, module);
        return module;
    }

    public static Parameter RegisterParameter(this nn.Module owner, string name, Tensor value, bool requires_grad = true)
    {
        var p = value as Parameter ?? new Parameter(value, requires_grad);
        // The module owns it from now on: a dispose scope open around the constructor (the caller's, or the module's own
        // for its temporaries) must not dispose it, or the parameter silently drops out of parameters() and state_dict().
        p.DetachFromDisposeScope();
        owner.register_parameter(name, p);
        return p;
    }

    public static Tensor RegisterBuffer(this nn.Module owner, string name, Tensor value, bool persistent = true)
    {
        value.DetachFromDisposeScope();  // owned by the module (see RegisterParameter)
        owner.register_buffer(name, value, persistent);
        return value;
    }

    /// <summary>Total number of parameter elements.</summary>
    public static long ParameterCount(this nn.Module module) => module.parameters().Sum(p => p.numel());
}
