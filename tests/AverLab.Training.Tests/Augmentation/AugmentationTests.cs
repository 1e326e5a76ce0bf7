using AverLab.Training.Augmentation;
using AverLab.Training.Configuration;

namespace AverLab.Training.Tests.Augmentation;

public class AugmentationTests
{
    private static float[] Tone(int n = 16000, double f = 220) => Enumerable.Range(0, n).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * f * i / 16000))).ToArray();

    [Theory]
    [InlineData(10.0)]
    [InlineData(20.0)]
    public void AwgnHitsTheRequestedSnr(double snr)
    {
        var x = Tone();
        var y = AudioAugment.Awgn(x, snr, new Random(1));
        double ps = x.Average(v => (double)v * v), pn = x.Zip(y).Average(p => Math.Pow(p.Second - p.First, 2));
        Assert.Equal(snr, 10 * Math.Log10(ps / pn), 0.3);
    }

    [Fact]
    public void GainShiftAndStretchDoWhatTheySay()
    {
        var x = Tone();
        Assert.Equal(x[100] * 2, AudioAugment.Gain(x, 20 * Math.Log10(2))[100], 5);
        var shifted = AudioAugment.Shift(x, 10);
        Assert.Equal(0f, shifted[5]);
        Assert.Equal(x[0], shifted[10]);
        Assert.Equal(8000, AudioAugment.TimeStretch(x, 2.0, 16000).Length);
        Assert.Equal(x.Length, AudioAugment.PitchShift(x, 2, 16000).Length);
    }

    [Fact]
    public void SpecAugmentMasksABandAndASpan()
    {
        var rng = new Random(3);
        var x = Enumerable.Range(0, 40 * 100).Select(i => (float)i).ToArray();
        var f = SpecAugment.FrequencyMask(x, 40, 10, rng);
        var t = SpecAugment.TimeMask(x, 40, 20, rng);
        Assert.True(f.Zip(x).Count(p => p.First != p.Second) % 100 == 0);
        Assert.True(t.Zip(x).Count(p => p.First != p.Second) <= 40 * 20);
    }

    [Fact]
    public void ImageTransformsKeepRangeAndShape()
    {
        var rng = new Random(5);
        var img = Enumerable.Range(0, 3 * 16 * 16).Select(_ => (float)rng.NextDouble()).ToArray();
        foreach (var y in new[]
                 {
                     ImageAugment.HorizontalFlip(img, 3, 16, 16), ImageAugment.Affine(img, 3, 16, 16, 15), ImageAugment.GaussianBlur(img, 3, 16, 16, 1),
                     ImageAugment.MotionBlur(img, 3, 16, 16, 5), ImageAugment.Sharpen(img, 3, 16, 16, 0.5), ImageAugment.Equalize(img, 3, 16, 16),
                     ImageAugment.HueSaturation(img, 16, 16, 30, 0.5), ImageAugment.Photometric(img, 0.1, 1.2, 0.9), ImageAugment.GaussianNoise(img, 0.05, rng),
                 })
        {
            Assert.Equal(img.Length, y.Length);
            Assert.All(y, v => Assert.InRange(v, 0f, 1f));
        }
        var flip = ImageAugment.HorizontalFlip(img, 3, 16, 16);
        Assert.Equal(img[0], flip[15]);
        Assert.Equal(img, ImageAugment.HorizontalFlip(flip, 3, 16, 16));
    }

    [Fact]
    public void UnknownAugmentationIsAConfigErrorAtItsItem()
    {
        // A config built in code, not read by the binder: the pipeline applies the binder's own rules and names the
        // item, which ConfigLoader.Loaded.At turns into file:line (AugmentationConfigErrorTests).
        var cfg = new AugmentationConfig { Audio = [new AugmentConfig { Name = "gain", Range = [-6, 6] }, new AugmentConfig { Name = "reverb", Range = [0, 1] }] };
        var e = Assert.Throws<ConfigValueException>(() => new AugmentationPipeline(cfg));
        Assert.Equal("augmentation.audio[1].name", e.KeyPath);
        Assert.StartsWith("unknown augmentation 'reverb'; known: awgn, gain,", e.Problem);
        var range = Assert.Throws<ConfigValueException>(() => new AugmentationPipeline(new AugmentationConfig { Image = [new AugmentConfig { Name = "blur", Range = [2, 1] }] }));
        Assert.Equal(("augmentation.image[0].range", "a range needs [low, high] with low <= high"), (range.KeyPath, range.Problem));
    }
}
