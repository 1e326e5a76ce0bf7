namespace AverLab.Models;

/// <summary>A registered model: its name (as written in configs), a one-line description, the options class a config
/// binds to, the inputs it reads, and a factory taking an instance of <see cref="OptionsType"/>. A classical model
/// (<see cref="IsClassical"/>: random forest, logistic regression, gradient boosting) is no TorchSharp module: its
/// ML.NET trainer lives in AverLab.Models.Classical (ClassicalModel.Train fits it), so this registry does not load
/// ML.NET, and <see cref="Create"/> refuses by name.</summary>
public sealed record ModelSpec(string Name, string Description, Type OptionsType, InputKinds Inputs, Func<object, EmotionModel> Create)
{
    /// <summary>Trained by ML.NET in one step (no epochs, optimizer or checkpoints of tensors).</summary>
    public bool IsClassical { get; init; }

    /// <summary>A model with default options (the published architecture).</summary>
    public EmotionModel CreateDefault() => Create(Activator.CreateInstance(OptionsType)!);

    /// <summary>Typed factory for the registry: checks the options' type and reports a mismatch by name.</summary>
    internal static Func<object, EmotionModel> Factory<TOptions>(string name, Func<TOptions, EmotionModel> create) where TOptions : class =>
        options => options is TOptions typed
            ? create(typed)
            : throw new ArgumentException($"model '{name}' takes {typeof(TOptions).Name}, got {options?.GetType().Name ?? "null"}");

    /// <summary>A classical model's entry: it reads a feature vector; AverLab.Models.Classical trains it.</summary>
    internal static ModelSpec ForClassical<TOptions>(string name, string description) where TOptions : class, Classical.IClassicalOptions =>
        new(name, description, typeof(TOptions), InputKinds.Features,
            _ => throw new NotSupportedException($"model '{name}' is a classical ML.NET model, not a TorchSharp module: ClassicalModel.Train fits it"))
        {
            IsClassical = true,
        };
}
