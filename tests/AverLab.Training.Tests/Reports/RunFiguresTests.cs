using System.Xml.Linq;
using AverLab.Training.Metrics;
using AverLab.Training.Reports;
using SkiaSharp;

namespace AverLab.Training.Tests.Reports;

/// <summary>The run's figures land in plots/ as PNG + SVG: each PNG decodes at its stated size and is not blank,
/// each SVG parses and carries the axis labels, class names and legend entries as text, in the one sans face.</summary>
public sealed class RunFiguresTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("averlab-figures-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    internal static readonly string[] Labels = ["angry", "happy", "sad <b>"];

    internal static List<EpochRecord> History() => Enumerable.Range(1, 12).Select(e => new EpochRecord
    {
        Epoch = e, TrainLoss = 2.0 / e, TrainAcc = 1 - 0.5 / e, ValLoss = 2.2 / e, ValAcc = 1 - 0.6 / e, Lr = 0.01 * Math.Pow(0.9, e), Seconds = 1.5,
    }).ToList();

    /// <summary>60 items, 3 classes, probabilities that favour the true class most of the time.</summary>
    internal static ClassificationMetrics Metrics(bool withProbabilities = true)
    {
        var rng = new Random(7);
        const int n = 60;
        var y = new int[n];
        var pred = new int[n];
        var p = new double[n, 3];
        for (var i = 0; i < n; i++)
        {
            y[i] = i % 3;
            double sum = 0;
            for (var c = 0; c < 3; c++) sum += p[i, c] = rng.NextDouble() + (c == y[i] ? 1.5 * rng.NextDouble() : 0);
            for (var c = 0; c < 3; c++) p[i, c] /= sum;
            pred[i] = Enumerable.Range(0, 3).MaxBy(c => p[i, c]);
        }
        return ClassificationMetrics.Compute(y, pred, Labels, withProbabilities ? p : null);
    }

    private static string[] Texts(XDocument svg) =>
        svg.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value.Trim()).ToArray();

    [Fact]
    public void EveryFigureIsWrittenAsPngAndSvg()
    {
        var figures = RunFigures.Render(History(), Metrics());
        var plots = Path.Combine(dir, RunFigures.Folder);
        RunFigures.Save(figures, plots);

        string[] expected = ["loss", "accuracy", "learning_rate", "confusion_counts", "confusion_normalized", "f1_per_class", "roc", "reliability"];
        Assert.Equal(expected, figures.Select(f => f.Name));
        Assert.Equal(expected.SelectMany(n => new[] { n + ".png", n + ".svg" }).Order(),
            Directory.GetFiles(plots).Select(Path.GetFileName).Order()); // nothing else: no temp files left behind
        foreach (var f in figures)
        {
            using var png = SKBitmap.Decode(Path.Combine(plots, f.PngFile));
            Assert.NotNull(png);
            Assert.Equal((f.Width, f.Height), (png.Width, png.Height));
            var inked = 0;
            for (var yy = 0; yy < png.Height; yy += 2)
                for (var xx = 0; xx < png.Width; xx += 2)
                    if (png.GetPixel(xx, yy) is var c && c.Red + c.Green + c.Blue < 600) inked++;
            Assert.True(inked > png.Width * png.Height / 4 / 100, $"{f.PngFile} is nearly blank ({inked} inked samples)");

            var svg = XDocument.Load(Path.Combine(plots, f.SvgFile));
            Assert.Equal("svg", svg.Root!.Name.LocalName);
            Assert.Equal(f.Width.ToString(), svg.Root.Attribute("width")!.Value);
            var fonts = svg.Descendants().Select(e => e.Attribute("font-family")?.Value).OfType<string>().Distinct();
            Assert.Equal(["DejaVu Sans, sans-serif"], fonts);
        }

        string[] Svg(string name) => Texts(XDocument.Load(Path.Combine(plots, name + ".svg")));
        Assert.Contains("epoch", Svg("loss"));
        Assert.Contains("loss", Svg("loss"));
        Assert.Contains("train", Svg("loss"));
        Assert.Contains("validation", Svg("loss"));
        foreach (var epoch in new[] { "1", "6", "12" }) Assert.Contains(epoch, Svg("loss")); // every epoch ticked when few
        Assert.Contains("accuracy", Svg("accuracy"));
        Assert.Contains("learning rate (log scale)", Svg("learning_rate"));
        foreach (var name in new[] { "confusion_counts", "confusion_normalized" })
        {
            var texts = Svg(name);
            Assert.Contains("predicted class", texts);
            Assert.Contains("true class", texts);
            foreach (var label in Labels) Assert.Equal(2, texts.Count(t => t == label)); // one tick label per axis
        }
        var m = Metrics();
        Assert.Contains(m.Confusion[0, 0].ToString(), Svg("confusion_counts"));
        Assert.Contains(m.ConfusionNormalized[0, 0].ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), Svg("confusion_normalized"));
        Assert.Contains($"F1 per class (macro {m.MacroF1:0.000})", Svg("f1_per_class"));
        Assert.All(Labels, l => Assert.Contains(l, Svg("f1_per_class")));
        var roc = Svg("roc");
        Assert.Contains("false positive rate", roc);
        Assert.Contains("true positive rate", roc);
        for (var c = 0; c < 3; c++) Assert.Contains($"{Labels[c]} (AUC {m.RocCurves![c].Auc:0.000})", roc);
        Assert.Contains($"Reliability diagram (ECE {m.ExpectedCalibrationError:0.000}, 15 bins)", Svg("reliability"));
        Assert.Contains("confidence (largest class probability)", Svg("reliability"));
    }

    [Fact]
    public void WithoutProbabilitiesThereIsNoRocNorReliabilityFigure()
    {
        var names = RunFigures.Render(History(), Metrics(withProbabilities: false)).Select(f => f.Name).ToList();
        Assert.DoesNotContain("roc", names);
        Assert.DoesNotContain("reliability", names);
        Assert.Contains("confusion_counts", names);
    }

    [Fact]
    public void WithoutValidationTheCurvesShowTrainOnly()
    {
        var history = History().Select(h => h with { ValLoss = double.NaN, ValAcc = double.NaN }).ToList();
        var loss = RunFigures.Render(history, null).Single(f => f.Name == "loss");
        var texts = Texts(XDocument.Parse(loss.Svg));
        Assert.Contains("train", texts);
        Assert.DoesNotContain("validation", texts);
    }

    [Fact]
    public void TheSansFaceIsInstalled()
    {
        // SkiaSharp substitutes another face for a missing one without a word: check the one the figures name.
        using var face = SKTypeface.FromFamilyName(Figures.FontName);
        Assert.Equal(Figures.FontName, face.FamilyName);
    }
}
