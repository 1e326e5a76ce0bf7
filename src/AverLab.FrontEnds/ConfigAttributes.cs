namespace AverLab.FrontEnds;

// The config attributes live here, below Training, because FeatureConfig (which inference reads from model.json)
// carries them; Training's ConfigBinder and ConfigReference read them from here.

/// <summary>The key must be present in the YAML.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RequiredKeyAttribute : Attribute;

/// <summary>Documents a key for the generated reference (configs/README.md) and error messages.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class KeyDocAttribute(string text) : Attribute
{
    public string Text { get; } = text;
}

/// <summary>Numeric bounds checked when binding (inclusive).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RangeAttribute(double min, double max) : Attribute
{
    public double Min { get; } = min;
    public double Max { get; } = max;
}

/// <summary>A config section whose cross-field rules need only its own values. The binder calls
/// <see cref="FindProblem"/> after binding and reports a problem at the section's position (file:line:column, or
/// the `--set` argument), as a section that validates against the binder's context would.</summary>
public interface ISelfCheckedSection
{
    /// <summary>What is wrong with the section, as the error message's problem text; null when it is valid.</summary>
    string? FindProblem();
}
