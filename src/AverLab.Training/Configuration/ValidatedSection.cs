namespace AverLab.Training.Configuration;

/// <summary>A config section that checks cross-field rules after binding; throw through <see cref="ConfigBinder.Fail"/>.
/// Sections below Training (FeatureConfig) use <see cref="AverLab.FrontEnds.ISelfCheckedSection"/> (no binder context below Training) instead.</summary>
public interface IValidatedSection
{
    void Validate(ConfigBinder.Context context);
}
