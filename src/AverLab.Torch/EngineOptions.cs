namespace AverLab.Torch;

/// <summary>Process-wide engine switches. Those that deliberately differ from PyTorch are off by default (the engine's
/// own defaults stay bit-identical to PyTorch on the same libtorch); those that only change how a bit-identical
/// result is computed are on, and exist for A/B measurements and for the tests that check the identity.</summary>
public static class EngineOptions
{
    private static volatile bool fastDropoutMasks;
    private static volatile bool fusedOptimizers = true;

    /// <summary>Adam and AdamW update each float32 CPU parameter in one native pass instead of PyTorch's 7-9 tensor
    /// kernels, with the same per-element rounding as those kernels (results identical to PyTorch's; tests compare
    /// both paths element for element). On by default; off restores the op-by-op path.</summary>
    public static bool FusedOptimizers
    {
        get => fusedOptimizers;
        set => fusedOptimizers = value;
    }

    /// <summary>Element dropout (<c>F.dropout</c>, <c>nn.Dropout</c> in training) draws its mask from a counter-based
    /// hash seeded by one draw of the global generator, in parallel, instead of libtorch's serial per-element
    /// bernoulli_ (Debian's libtorch has no MKL). Same distribution and scaling and still reproducible from the seed,
    /// but not the mask PyTorch draws for that seed. The training workbench turns it on (training.dropout_masks).</summary>
    public static bool FastDropoutMasks
    {
        get => fastDropoutMasks;
        set => fastDropoutMasks = value;
    }
}
