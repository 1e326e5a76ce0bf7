namespace AverLab.Torch.Tests.Engine;

/// <summary>Thread settings. Inter-op threads can be set once per process; these run in one collection so the
/// order is fixed.</summary>
[Collection("process-wide settings")]
public class ThreadSettingsTests
{
    [Fact]
    public void IntraOpThreadsAreASetting()
    {
        var before = get_num_threads();
        try
        {
            set_num_threads(1);
            Assert.Equal(1, get_num_threads());
            set_num_threads(2);
            Assert.Equal(2, get_num_threads());
        }
        finally
        {
            set_num_threads(before);
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => set_num_threads(0));
    }

    [Fact]
    public void SecondInteropSettingRaisesInsteadOfAborting()
    {
        // The first call may already be refused when parallel work has started in this process; either way the
        // second call must surface libtorch's error as a .NET exception.
        try { set_num_interop_threads(1); } catch (TorchException) { }
        var e = Assert.Throws<TorchException>(() => set_num_interop_threads(2));
        Assert.Contains("interop", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.True(get_num_interop_threads() >= 1);
    }

    [Fact]
    public void BuildFactsAreReadable()
    {
        Assert.StartsWith("1.13", version);
        Assert.Contains("ATen", parallel_info());
        Assert.Equal(cuda.device_count() > 0, cuda.is_available());
    }
}
