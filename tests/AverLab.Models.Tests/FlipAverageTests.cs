using AverLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace AverLab.Models.Tests;

public class FlipAverageTests
{
    private static Tensor Faces() => rand(new long[] { 3, 1, 48, 48 }, generator: new Generator(7));

    [Fact]
    public void EvalOutputIsTheLogOfTheMeanOfTheFaceAndMirrorProbabilities()
    {
        torch.manual_seed(1);
        using var model = new FerVgg(new FerVggOptions { NumClasses = 7 });
        using var x = Faces();
        using (no_grad())
        {
            // Peaked outputs, so that a face and its mirror get visibly different probabilities before averaging.
            foreach (var p in model.parameters()) p.mul_(3);
            model.train();
            for (var i = 0; i < 3; i++) model.forward(new ModelInputs { Image = x }).Dispose(); // batch-norm statistics
        }
        model.eval();
        using var plain = model.forward(new ModelInputs { Image = x }).softmax(1);
        using var mirror = model.forward(new ModelInputs { Image = x.flip(3) }).softmax(1);
        model.Options.FlipAverage = true;
        using var averaged = model.forward(new ModelInputs { Image = x }).softmax(1);
        using var expected = (plain + mirror) / 2;
        Assert.True(averaged.allclose(expected, rtol: 1e-4, atol: 1e-6), $"max difference {(averaged - expected).abs().max().ToSingle()}");
        Assert.True((plain - mirror).abs().max().ToSingle() > 1e-3); // the untrained net is not mirror-invariant itself
        using var ofMirror = model.forward(new ModelInputs { Image = x.flip(3) }).softmax(1);
        Assert.True(ofMirror.allclose(averaged, rtol: 1e-4, atol: 1e-6)); // with the option it is
    }

    [Fact]
    public void TrainingStepsAreUnchanged()
    {
        torch.manual_seed(1);
        using var model = new FerVgg(new FerVggOptions { NumClasses = 7, Dropout = 0 });
        model.train();
        using var x = Faces();
        using var plain = model.forward(new ModelInputs { Image = x });
        model.Options.FlipAverage = true;
        using var withOption = model.forward(new ModelInputs { Image = x });
        Assert.Equal(new long[] { 3, 7 }, withOption.shape);
        Assert.True(withOption.allclose(plain, rtol: 1e-5, atol: 1e-6));
    }
}
