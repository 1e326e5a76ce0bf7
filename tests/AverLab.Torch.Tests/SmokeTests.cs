namespace AverLab.Torch.Tests;

public class SmokeTests
{
    [Fact]
    public void AddsAndReadsBack()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 2, 3 });
        var b = ones(3);
        var c = a + b * 2;
        Assert.Equal(new float[] { 3, 4, 5 }, c.data<float>());
        Assert.Equal("tensor([3., 4., 5.])", c.ToString());
    }
}
