using Microsoft.ML;

namespace AverLab.Models.Classical;

/// <summary>Options every classical model has: the class count and the feature vector's width (both filled from the
/// data by the runner).</summary>
public interface IClassicalOptions
{
    int NumClasses { get; set; }
    int InputSize { get; set; }
}

/// <summary>What a trainer takes besides its options: the seed of its own random choices (bagging, feature
/// sampling), its threads (1 keeps every trainer deterministic), and whether rows carry a weight column.</summary>
public sealed record TrainerSettings(int Seed, int Threads, bool Weighted);

/// <summary>Builds a classical model's ML.NET trainer over the columns <see cref="ClassicalModel.LabelColumn"/> (key),
/// <see cref="ClassicalModel.FeaturesColumn"/> (float vector) and, when weighted, <see cref="ClassicalModel.WeightColumn"/>.</summary>
public delegate IEstimator<ITransformer> ClassicalTrainerFactory(MLContext ml, object options, TrainerSettings settings);
