namespace AverLab.Models;

/// <summary>Every model by name. The table is static and lives here, so no model depends on someone remembering an
/// import; each entry is defined at the bottom of its model's file.</summary>
public static class ModelRegistry
{
    private static readonly ModelSpec[] Specs = Build(
        AudioCnnTransformer.Spec,
        Lrcn.Spec,
        ConvLstm.Spec,
        FaceResNet.Spec,
        AudioResNet.Spec,
        AvFusionLstm.Spec,
        AvTransformer.Spec,
        FeatureMlp.Spec,
        FerVgg.Spec,
        Classical.RandomForest.Spec,
        Classical.LogisticRegression.Spec,
        Classical.GradientBoosting.Spec);

    /// <summary>All registered models, in registration order.</summary>
    public static IReadOnlyList<ModelSpec> All => Specs;

    /// <summary>The model registered as <paramref name="name"/> (snake_case, e.g. "audio_cnn_transformer").</summary>
    public static ModelSpec Get(string name) =>
        Specs.FirstOrDefault(s => s.Name == name)
        ?? throw new ArgumentException($"unknown model '{name}'; known models: {string.Join(", ", Specs.Select(s => s.Name))}", nameof(name));

    /// <summary>The TorchSharp models (every model but the classical ML.NET ones).</summary>
    public static IEnumerable<ModelSpec> Neural => Specs.Where(s => !s.IsClassical);

    /// <summary>Creates a model by name with <paramref name="options"/> (an instance of the spec's OptionsType) or the defaults.</summary>
    public static EmotionModel Create(string name, object? options = null)
    {
        var spec = Get(name);
        return options is null ? spec.CreateDefault() : spec.Create(options);
    }

    internal static ModelSpec[] Build(params ModelSpec[] specs)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in specs)
            if (!seen.Add(s.Name))
                throw new InvalidOperationException($"model name '{s.Name}' is registered twice");
        return specs;
    }
}
