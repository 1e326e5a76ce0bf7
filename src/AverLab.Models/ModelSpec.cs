namespace AverLab.Models;

/// <summary>A registered model: its name (as written in configs), a one-line description, the options class a config
/// binds to, the inputs it reads, and a factory taking an instance of <see cref="OptionsType"/>.</summary>
public sealed record ModelSpec(string Name, string Description, Type OptionsType, InputKinds Inputs, Func<object, EmotionModel> Create)
{
    /// <summary>A model with default options (the published architecture).</summary>
    public EmotionModel CreateDefault() => Create(Activator.CreateInstance(OptionsType)!);

    /// <summary>Typed factory for the registry: checks the options' type and reports a mismatch by name.</summary>
    internal static Func<object, EmotionModel> Factory<TOptions>(string name, Func<TOptions, EmotionModel> create) where TOptions : class =>
        options => options is TOptions typed
            ? create(typed)
            : throw new ArgumentException($"model '{name}' takes {typeof(TOptions).Name}, got {options?.GetType().Name ?? "null"}");
}
