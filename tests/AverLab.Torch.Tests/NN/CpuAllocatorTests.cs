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

    [Fact]
    public void HeapOnlyServesBlocksAboveTheMmapCapAndCanBeSwitchedBack()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            Assert.True(ConfigureCpuAllocator(heapOnly: true));
            // 96 MB, above glibc's 32-MiB mmap cap: with mapping off it must still allocate, hold values and free.
            using (var big = ones(24L << 20))
            {
                big.mul_(3.0);
                Assert.Equal(3.0f, big.min().item<float>());
                Assert.Equal(3.0f, big.max().item<float>());
            }
            Assert.True(ConfigureCpuAllocator(heapOnly: false));
            using var again = ones(24L << 20);
            Assert.Equal(1.0f, again[^1].item<float>());
        }
        finally
        {
            ConfigureCpuAllocator(); // the engine's default for the rest of the process
        }
    }
}
