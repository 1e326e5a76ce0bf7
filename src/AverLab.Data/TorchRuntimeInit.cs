using System.Runtime.CompilerServices;
using AverLab.TorchRuntime;

namespace AverLab.Data;

internal static class TorchRuntimeInit
{
#pragma warning disable CA2255 // Data calls TorchSharp (collation, feature caches): the guard must be in before its first tensor
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Init() => FinalizerGuard.Install();
}
