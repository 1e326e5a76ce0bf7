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
        owner.register_parameter(name, p);
        return p;
    }

    public static Tensor RegisterBuffer(this nn.Module owner, string name, Tensor value, bool persistent = true)
    {
        owner.register_buffer(name, value, persistent);
        return value;
    }

    /// <summary>Total number of parameter elements.</summary>
    public static long ParameterCount(this nn.Module module) => module.parameters().Sum(p => p.numel());
}
