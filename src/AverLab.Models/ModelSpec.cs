using AverLab.Models.Classical;

namespace AverLab.Models;

/// <summary>A registered model: its name (as written in configs), a one-line description, the options class a config
/// binds to, the inputs it reads, and a factory taking an instance of <see cref="OptionsType"/>. A classical model
/// (<see cref="Classical"/> set: random forest, logistic regression, gradient boosting through ML.NET) is no
/// TorchSharp module: <see cref="ClassicalModel.Train"/> fits it, and <see cref="Create"/> refuses by name.</summary>
public sealed record ModelSpec(string Name, string Description, Type OptionsType, InputKinds Inputs, Func<object, EmotionModel> Create)
{
    /// <summary>The ML.NET trainer of a classical model; null for the TorchSharp models.</summary>
    public ClassicalTrainerFactory? Classical { get; init; }

    /// <summary>Trained by ML.NET in one step (no epochs, optimizer or checkpoints of tensors).</summary>
    public bool IsClassical => Classical != null;

    /// <summary>A model with default options (the published architecture).</summary>
    public EmotionModel CreateDefault() => Create(Activator.CreateInstance(OptionsType)!);

    /// <summary>Typed factory for the registry: checks the options' type and reports a mismatch by name.</summary>
    internal static Func<object, EmotionModel> Factory<TOptions>(string name, Func<TOptions, EmotionModel> create) where TOptions : class =>
        options => options is TOptions typed
            ? create(typed)
            : throw new ArgumentException($"model '{name}' takes {typeof(TOptions).Name}, got {options?.GetType().Name ?? "null"}");

    /// <summary>A classical model's entry: it reads a feature vector, and its trainer checks the options' type.</summary>
    internal static ModelSpec ForClassical<TOptions>(string name, string description, Func<Microsoft.ML.MLContext, TOptions, TrainerSettings, Microsoft.ML.IEstimator<Microsoft.ML.ITransformer>> trainer)
        where TOptions : class, IClassicalOptions =>
        new(name, description, typeof(TOptions), InputKinds.Features,
            _ => throw new NotSupportedException($"model '{name}' is a classical ML.NET model, not a TorchSharp module: ClassicalModel.Train fits it"))
        {
            Classical = (ml, options, settings) => options is TOptions typed
                ? trainer(ml, typed, settings)
                : throw new ArgumentException($"model '{name}' takes {typeof(TOptions).Name}, got {options?.GetType().Name ?? "null"}"),
        };
}
