namespace AverLab.Torch;

/// <summary>Process-wide engine switches that deliberately differ from PyTorch (off by default: the engine's own
/// defaults stay bit-identical to PyTorch on the same libtorch).</summary>
public static class EngineOptions
{
    private static volatile bool fastDropoutMasks;

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
