using AverLab.Media.Video;

namespace AverLab.Media.Tests.Video;

public class TimeWindowsTests
{
    [Fact]
    public void ExactMultipleGivesFullWindows()
    {
        var w = TimeWindows.Split(12.0, 4.0);
        Assert.Equal([new(0, 4), new(4, 8), new(8, 12)], w);
    }

    [Theory]
    [InlineData(LastWindowPolicy.Drop, 2)]
    [InlineData(LastWindowPolicy.KeepShort, 3)]
    [InlineData(LastWindowPolicy.AlignToEnd, 3)]
    public void RemainderFollowsThePolicy(LastWindowPolicy policy, int count)
    {
        var w = TimeWindows.Split(9.5, 4.0, last: policy);
        Assert.Equal(count, w.Count);
        if (policy == LastWindowPolicy.KeepShort) Assert.Equal(new TimeWindow(8, 9.5), w[^1]);
        if (policy == LastWindowPolicy.AlignToEnd) Assert.Equal(new TimeWindow(5.5, 9.5), w[^1]);
    }

    [Fact]
    public void HopMakesOverlappingWindows()
    {
        var w = TimeWindows.Split(6.0, 4.0, hop: 1.0);
        Assert.Equal([new(0, 4), new(1, 5), new(2, 6)], w);
    }

    [Fact]
    public void ShortClips()
    {
        Assert.Empty(TimeWindows.Split(3.0, 4.0));
        Assert.Equal([new(0, 3)], TimeWindows.Split(3.0, 4.0, last: LastWindowPolicy.KeepShort));
        Assert.Equal([new(0, 4)], TimeWindows.Split(3.0, 4.0, last: LastWindowPolicy.AlignToEnd));
        Assert.Empty(TimeWindows.Split(0, 4.0, last: LastWindowPolicy.AlignToEnd));
        Assert.Throws<ArgumentOutOfRangeException>(() => TimeWindows.Split(3.0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => TimeWindows.Split(double.NaN, 4.0));
    }
}
