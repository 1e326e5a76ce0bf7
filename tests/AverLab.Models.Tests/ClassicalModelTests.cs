using AverLab.Models.Classical;

namespace AverLab.Models.Tests;

/// <summary>The classical baselines on Gaussian blobs (4 classes, 12 features; class c lifts features c and c + 4 by
/// 2.5 over unit noise: the Bayes accuracy is about 0.97, chance 0.25): each learns them, and its model zip reloads
/// to the same probabilities.</summary>
public sealed class ClassicalModelTests
{
    public static readonly TheoryData<string> Names = new() { "random_forest", "logistic_regression", "gradient_boosting" };

    /// <summary>The registry (AverLab.Models, no ML.NET) and the trainers (AverLab.Models.Classical) name the same models.</summary>
    [Fact]
    public void EveryClassicalModelOfTheRegistryHasATrainer()
    {
        Assert.Equal(ModelRegistry.All.Where(s => s.IsClassical).Select(s => s.Name).Order(StringComparer.Ordinal), ClassicalTrainers.Names.Order(StringComparer.Ordinal));
        Assert.Equal(((IEnumerable<object[]>)Names).Select(n => (string)n[0]).Order(StringComparer.Ordinal), ClassicalTrainers.Names.Order(StringComparer.Ordinal));
        Assert.Throws<ArgumentException>(() => ClassicalTrainers.For(ModelRegistry.Get("feature_mlp")));
    }

    /// <summary>The model zoo's assembly does not reference ML.NET: a host of neural models never loads it.</summary>
    [Fact]
    public void TheZooAssemblyDoesNotReferenceMlNet() =>
        Assert.DoesNotContain(typeof(ModelRegistry).Assembly.GetReferencedAssemblies(), a => a.Name!.StartsWith("Microsoft.ML", StringComparison.Ordinal));

    private static (List<float[]> X, List<int> Y) Blobs(int n, int seed)
    {
        var rng = new Random(seed);
        var x = new List<float[]>();
        var y = new List<int>();
        for (var i = 0; i < n; i++)
        {
            var c = i % 4;
            var row = new float[12];
            for (var j = 0; j < row.Length; j++)
            {
                // Box–Muller: a standard normal per feature.
                var g = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
                row[j] = (float)(g + (j == c || j == c + 4 ? 2.5 : 0));
            }
            x.Add(row);
            y.Add(c);
        }
        return (x, y);
    }

    private static ClassicalModel Train(string name, List<float[]> x, List<int> y, int seed = 7, IReadOnlyList<float>? weights = null)
    {
        var spec = ModelRegistry.Get(name);
        var options = (IClassicalOptions)Activator.CreateInstance(spec.OptionsType)!;
        options.NumClasses = 4;
        options.InputSize = 12;
        return ClassicalModel.Train(spec, options, x, y, weights, seed);
    }

    private static double Accuracy(ClassicalModel model, List<float[]> x, List<int> y)
    {
        var p = model.PredictProbabilities(x);
        var right = 0;
        for (var i = 0; i < x.Count; i++)
            if (Enumerable.Range(0, 4).MaxBy(c => p[i, c]) == y[i]) right++;
        return right / (double)x.Count;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void LearnsBlobsFarAboveChance(string name)
    {
        var (x, y) = Blobs(240, 1);
        var (tx, ty) = Blobs(200, 2);
        var model = Train(name, x, y);
        Assert.True(Accuracy(model, tx, ty) >= 0.85, $"{name}: held-out accuracy {Accuracy(model, tx, ty):F3}");
        var p = model.PredictProbabilities(tx);
        for (var i = 0; i < tx.Count; i++)
            Assert.Equal(1.0, Enumerable.Range(0, 4).Sum(c => p[i, c]), 9);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void ModelZipReloadsToTheSameProbabilities(string name)
    {
        var (x, y) = Blobs(160, 3);
        var (tx, _) = Blobs(40, 4);
        var model = Train(name, x, y);
        var dir = Directory.CreateTempSubdirectory("averlab-classical-");
        try
        {
            var path = Path.Combine(dir.FullName, "model.zip");
            model.Save(path);
            Assert.Equal([path], Directory.GetFiles(dir.FullName)); // no temp file left beside it
            var loaded = ClassicalModel.Load(path, 4, 12);
            Assert.Equal(model.PredictProbabilities(tx), loaded.PredictProbabilities(tx));
            Assert.Throws<InvalidDataException>(() => ClassicalModel.Load(path, 5, 12));
            Assert.Throws<InvalidDataException>(() => ClassicalModel.Load(path, 4, 13));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void SameSeedSameModel(string name)
    {
        var (x, y) = Blobs(160, 5);
        var (tx, _) = Blobs(40, 6);
        Assert.Equal(Train(name, x, y).PredictProbabilities(tx), Train(name, x, y).PredictProbabilities(tx));
    }

    [Fact]
    public void ExampleWeightsChangeTheModel()
    {
        var (x, y) = Blobs(160, 8);
        var (tx, _) = Blobs(40, 9);
        var weights = y.Select(c => c == 0 ? 5f : 1f).ToList();
        Assert.NotEqual(Train("logistic_regression", x, y).PredictProbabilities(tx), Train("logistic_regression", x, y, weights: weights).PredictProbabilities(tx));
    }

    [Fact]
    public void AClassicalModelIsNoTorchModule()
    {
        var e = Assert.Throws<NotSupportedException>(() => ModelRegistry.Get("random_forest").CreateDefault());
        Assert.Contains("random_forest", e.Message);
        Assert.Contains("classical", e.Message);
    }

    [Fact]
    public void RowsOfTheWrongWidthAreRefused()
    {
        var (x, y) = Blobs(40, 10);
        var model = Train("logistic_regression", x, y);
        var e = Assert.Throws<ArgumentException>(() => model.PredictProbabilities(new float[11]));
        Assert.Contains("12 features, got 11", e.Message);
    }
}
