using AverLab.FrontEnds;

namespace AverLab.Inference.Tests.Explanations;

/// <summary>Grad-CAM through a loaded run, as inference callers (the web app, averlab-predict) get it.</summary>
[Collection("trained run")]
public sealed class PredictorExplainTests(TrainedRunFixture fx)
{
    [Fact]
    public void AudioRunGivesOneMapPerConvBranchOverItsMfccImage()
    {
        using var p = Predictor.Load(fx.Run);
        var wav = Directory.GetFiles(fx.Corpus, "03-01-*.wav", SearchOption.AllDirectories).Order().First();
        var front = FrontEnd.Create(p.Card.Features);
        var features = front.Primary.Extract(wav);
        var maps = p.ExplainMaps(features.Data, features.Shape, 0);
        Assert.Equal(["conv2Dblock1", "conv2Dblock2"], maps.Select(m => m.Stage));
        foreach (var m in maps)
        {
            Assert.Equal((features.Shape[^2], features.Shape[^1]), ((long)m.Height, (long)m.Width));
            Assert.Equal(m.Height * m.Width, m.Heat.Length);
            Assert.All(m.Heat, v => Assert.InRange(v, 0f, 1f));
        }
        foreach (var x in new[] { front.Primary }.OfType<IDisposable>()) x.Dispose();
    }
}
