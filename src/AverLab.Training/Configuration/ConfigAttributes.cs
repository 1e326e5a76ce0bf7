namespace AverLab.Training.Configuration;

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

/// <summary>A config section that checks cross-field rules after binding; throw through <see cref="ConfigBinder.Fail"/>.</summary>
public interface IValidatedSection
{
    void Validate(ConfigBinder.Context context);
}
