using System.Text.Json;
using AverLab.FrontEnds;
using AverLab.Models;

namespace AverLab.Training.Configuration;

/// <summary>What a config may say to a classical model (random_forest, logistic_regression, gradient_boosting): it
/// is fitted by ML.NET in one step, so of the training section only training.threads and training.class_weights
/// apply; any other training key set away from its default, a callback, an augmentation or a search (trials are
/// ranked by per-epoch metrics) is refused at its key rather than silently ignored, and the features must be a vector.
/// Checked when the config is read (<see cref="ConfigLoader"/>), so --dry-run, cv and sweeps refuse the same.</summary>
public static class ClassicalRules
{
    /// <summary>The training keys a classical model uses.</summary>
    public static readonly string[] ApplicableTrainingKeys = ["training.threads", "training.class_weights"];

    public static void Check(ConfigLoader.Loaded loaded)
    {
        var c = loaded.Config;
        if (ModelRegistry.All.FirstOrDefault(s => s.Name == c.Model.Name) is not { IsClassical: true } spec) return;
        var why = $"does not apply to {spec.Name}, a classical (ML.NET) model fitted in one step; of the training section it takes {string.Join(" and ", ApplicableTrainingKeys)} only";
        foreach (var key in Differing(typeof(TrainingConfig), c.Training, new TrainingConfig(), "training."))
            if (!ApplicableTrainingKeys.Contains(key)) throw loaded.Error(key, why);
        if (c.Callbacks.Count > 0) throw loaded.Error("callbacks", $"callbacks watch epochs: {why}");
        if (c.Augmentation.Audio.Count > 0) throw loaded.Error("augmentation.audio", $"augmentation runs per epoch and does not apply to {spec.Name} (features.smote balances the training classes)");
        if (c.Augmentation.Image.Count > 0) throw loaded.Error("augmentation.image", $"augmentation runs per epoch and does not apply to {spec.Name}");
        if (c.Search != null) throw loaded.Error("search", $"sweeps rank trials by per-epoch metrics (val_acc, ...), which a {spec.Name} run does not record; compare classical runs with `cv` or `compare`");
        if (!FeatureConfig.IsVector(c.Features.Kind))
            throw loaded.Error("features.kind", $"{spec.Name} takes a feature vector: handcrafted, mfcc_stats or av_stats, not {ConfigBinder.SnakeCase(c.Features.Kind.ToString())}");
    }

    /// <summary>Key paths whose value differs from the section's default (sections walked, values compared as JSON).</summary>
    private static IEnumerable<string> Differing(Type type, object value, object defaults, string prefix)
    {
        foreach (var (key, p) in ConfigBinder.BindableProperties(type))
        {
            var (a, b) = (p.GetValue(value), p.GetValue(defaults));
            var t = p.PropertyType;
            if (t.IsClass && t != typeof(string) && !t.IsGenericType && !t.IsArray && a != null && b != null && t.Namespace == type.Namespace)
            {
                foreach (var k in Differing(t, a, b, prefix + key + ".")) yield return k;
                continue;
            }
            if (JsonSerializer.Serialize(a, t) != JsonSerializer.Serialize(b, t)) yield return prefix + key;
        }
    }
}
