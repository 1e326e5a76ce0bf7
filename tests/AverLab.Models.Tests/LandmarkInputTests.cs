using AverLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace AverLab.Models.Tests;

/// <summary>The optional landmark input (features.landmarks): each model that takes it declares it, sizes its layer
/// after it (parameter counts grow by exactly the extra weights), lets it change the output, and names the
/// missing or mis-sized input.</summary>
public sealed class LandmarkInputTests
{
    private static Tensor Frames(long b, long t) => rand([b, t, 3, 64, 64]);

    [Fact]
    public void LrcnAddsTheLandmarksToEachFrameBeforeTheLstm()
    {
        manual_seed(1);
        using var plain = new Lrcn(new LrcnOptions { NumClasses = 4, ChannelsLast = false });
        manual_seed(1);
        using var with = new Lrcn(new LrcnOptions { NumClasses = 4, ChannelsLast = false, LandmarkCount = 272 });
        // Keras LSTM: 4 gates x units x inputs more kernel weights.
        Assert.Equal(4 * 32 * 272, with.ParameterCount() - plain.ParameterCount());
        Assert.Equal(InputKinds.Frames | InputKinds.Landmarks, with.Inputs);
        CheckLandmarksMatter(with, new ModelInputs { Frames = Frames(2, 5) }, 5, 272);
    }

    [Fact]
    public void ConvLstmJoinsTheLandmarksToTheFlattenedMapsBeforeDense()
    {
        using var plain = new ConvLstm(new ConvLstmOptions { NumClasses = 4, SequenceLength = 5 });
        using var with = new ConvLstm(new ConvLstmOptions { NumClasses = 4, SequenceLength = 5, LandmarkCount = 272 });
        Assert.Equal(4 * 5 * 272, with.ParameterCount() - plain.ParameterCount());
        CheckLandmarksMatter(with, new ModelInputs { Frames = Frames(2, 5) }, 5, 272);
    }

    [Fact]
    public void FaceResNetConcatenatesLandmarksBeforeItsHead()
    {
        using var plain = new FaceResNet(new FaceResNetOptions { NumClasses = 4, ChannelsLast = false });
        using var with = new FaceResNet(new FaceResNetOptions { NumClasses = 4, ChannelsLast = false, LandmarkCount = 136 });
        Assert.Equal(4 * 136, with.ParameterCount() - plain.ParameterCount());
        with.eval();
        using var _ = no_grad();
        var image = rand(2, 3, 64, 64);
        var a = with.call(new ModelInputs { Image = image, Landmarks = zeros(2, 136) });
        var b = with.call(new ModelInputs { Image = image, Landmarks = ones(2, 136) });
        Assert.False(a.allclose(b));
        Assert.Contains("Landmarks", Assert.Throws<ArgumentException>(() => with.call(new ModelInputs { Image = image })).Message);
    }

    [Fact]
    public void FusionLstmAddsTheLandmarksToEachFaceEmbedding()
    {
        using var plain = new AvFusionLstm(new AvFusionLstmOptions { NumClasses = 4, ChannelsLast = false });
        using var with = new AvFusionLstm(new AvFusionLstmOptions { NumClasses = 4, ChannelsLast = false, LandmarkCount = 272 });
        Assert.Equal(4 * 128 * 272, with.ParameterCount() - plain.ParameterCount());     // LSTM weight_ih: 4·hidden x input
        CheckLandmarksMatter(with, new ModelInputs { Frames = Frames(2, 3), Audio = rand(2, 3, 126, 13) }, 3, 272);
    }

    private static void CheckLandmarksMatter(EmotionModel model, ModelInputs inputs, long t, int width)
    {
        model.eval();
        using var _ = no_grad();
        inputs.Landmarks = zeros(2, t, width);
        var a = model.call(inputs);
        Assert.Equal([2L, 4L], a.shape);
        inputs.Landmarks = ones(2, t, width);
        Assert.False(a.allclose(model.call(inputs)), "the landmark input does not change the output");
        inputs.Landmarks = zeros(2, t, width - 1);
        Assert.Contains("landmark", Assert.Throws<ArgumentException>(() => model.call(inputs)).Message);
        inputs.Landmarks = null;
        Assert.Throws<ArgumentException>(() => model.call(inputs));
    }
}
