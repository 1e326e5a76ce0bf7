using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Microsoft.ML.Trainers;
using Microsoft.ML;

namespace AverLab.Models.Classical;

/// <summary>What a trainer takes besides its options: the seed of its own random choices (bagging, feature
/// sampling), its threads (1 keeps every trainer deterministic), and whether rows carry a weight column.</summary>
public sealed record TrainerSettings(int Seed, int Threads, bool Weighted);

/// <summary>Builds a classical model's ML.NET trainer over the columns <see cref="ClassicalModel.LabelColumn"/> (key),
/// <see cref="ClassicalModel.FeaturesColumn"/> (float vector) and, when weighted, <see cref="ClassicalModel.WeightColumn"/>.</summary>
public delegate IEstimator<ITransformer> ClassicalTrainerFactory(MLContext ml, object options, TrainerSettings settings);

/// <summary>The ML.NET trainer of each classical model in the registry (<see cref="ModelSpec.IsClassical"/>), by name.
/// The registry itself (AverLab.Models) knows their names and options without ML.NET, so a neural inference host
/// never loads it.</summary>
public static class ClassicalTrainers
{
    private static readonly Dictionary<string, ClassicalTrainerFactory> ByName = new(StringComparer.Ordinal)
    {
        ["random_forest"] = Typed<RandomForestOptions>("random_forest", (ml, o, s) => ml.MulticlassClassification.Trainers.OneVersusAll(
            ml.BinaryClassification.Trainers.FastForest(new FastForestBinaryTrainer.Options
            {
                LabelColumnName = ClassicalModel.LabelColumn, FeatureColumnName = ClassicalModel.FeaturesColumn,
                ExampleWeightColumnName = s.Weighted ? ClassicalModel.WeightColumn : null,
                NumberOfTrees = o.Trees, NumberOfLeaves = o.Leaves, MinimumExampleCountPerLeaf = o.MinExamplesPerLeaf,
                FeatureFraction = o.FeatureFraction, BaggingExampleFraction = o.BaggingFraction,
                Seed = s.Seed, NumberOfThreads = s.Threads,
            }),
            ClassicalModel.LabelColumn, useProbabilities: true)),
        ["logistic_regression"] = Typed<LogisticRegressionOptions>("logistic_regression", (ml, o, s) => ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
        {
            LabelColumnName = ClassicalModel.LabelColumn, FeatureColumnName = ClassicalModel.FeaturesColumn,
            ExampleWeightColumnName = s.Weighted ? ClassicalModel.WeightColumn : null,
            L1Regularization = (float)o.L1, L2Regularization = (float)o.L2, OptimizationTolerance = (float)o.Tolerance,
            MaximumNumberOfIterations = o.MaxIterations, NumberOfThreads = s.Threads,
        })),
        ["gradient_boosting"] = Typed<GradientBoostingOptions>("gradient_boosting", (ml, o, s) => ml.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
        {
            LabelColumnName = ClassicalModel.LabelColumn, FeatureColumnName = ClassicalModel.FeaturesColumn,
            ExampleWeightColumnName = s.Weighted ? ClassicalModel.WeightColumn : null,
            NumberOfIterations = o.Iterations, LearningRate = o.LearningRate, NumberOfLeaves = o.Leaves,
            MinimumExampleCountPerLeaf = o.MinExamplesPerLeaf, UseSoftmax = true,
            Booster = new GradientBooster.Options { L2Regularization = o.L2, FeatureFraction = o.FeatureFraction },
            Seed = s.Seed, NumberOfThreads = s.Threads, Silent = true,
        })),
    };

    /// <summary>The trainer of <paramref name="spec"/>; an error naming it when it is not a classical model.</summary>
    public static ClassicalTrainerFactory For(ModelSpec spec) =>
        spec.IsClassical && ByName.TryGetValue(spec.Name, out var f) ? f : throw new ArgumentException($"model '{spec.Name}' is not a classical model");

    /// <summary>The names with a trainer (every classical model of the registry: ClassicalModelTests checks).</summary>
    public static IEnumerable<string> Names => ByName.Keys;

    private static ClassicalTrainerFactory Typed<TOptions>(string name, Func<MLContext, TOptions, TrainerSettings, IEstimator<ITransformer>> trainer)
        where TOptions : class, IClassicalOptions =>
        (ml, options, settings) => options is TOptions typed
            ? trainer(ml, typed, settings)
            : throw new ArgumentException($"model '{name}' takes {typeof(TOptions).Name}, got {options?.GetType().Name ?? "null"}");
}
