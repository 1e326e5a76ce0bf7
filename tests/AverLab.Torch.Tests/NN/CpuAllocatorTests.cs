namespace AverLab.Torch.Tests.NN;

public class CpuAllocatorTests
{
    [Fact]
    public void ConfiguresGlibcAndRejectsImpossibleThresholds()
    {
        // Debian (glibc) is the supported platform; elsewhere the call reports false instead of failing.
        if (!OperatingSystem.IsLinux()) return;
        Assert.True(ConfigureCpuAllocator());
        Assert.Throws<ArgumentException>(() => ConfigureCpuAllocator(mmapThresholdBytes: 1L << 40));
    }
}
