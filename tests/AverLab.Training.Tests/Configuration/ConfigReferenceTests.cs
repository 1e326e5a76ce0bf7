using AverLab.Training.Configuration;
using AverLab.Training.Experiments;

namespace AverLab.Training.Tests.Configuration;

/// <summary>configs/README.md is the generated key reference: it must equal what the code generates, and the
/// generator must cover every key the binder accepts.</summary>
public class ConfigReferenceTests
{
    private static readonly string Reference = ConfigReference.Markdown();

    [Fact]
    public void CommittedReferenceIsCurrent()
    {
        var dir = AppContext.BaseDirectory;
        while (dir != null && !File.Exists(Path.Combine(dir, "AverLab.sln"))) dir = Path.GetDirectoryName(dir);
        var committed = File.ReadAllText(Path.Combine(dir!, "configs", "README.md"));
        Assert.True(committed == Reference,
            "configs/README.md is out of date: dotnet run --project src/Train -- config-reference > configs/README.md");
    }

    [Theory]
    [InlineData("`name` | string | **required** |")]
    [InlineData("`data.split.test_fraction` | number in [0, 0.9] | `0.2` |")]
    [InlineData("`training.optimizer.betas` | list of number | `[0.9, 0.999]` |")]
    [InlineData("`training.device` | string | `cpu` | cpu, cuda")]
    [InlineData("`callbacks[].patience` | integer in [0, 1000000] | `10` |")]
    [InlineData("`search` | section (optional) |")]
    [InlineData("`search.space.<name>.loguniform` | list of number |")]
    [InlineData("`data.corpus` | ravdess / crema_d / fer2013 / savee / tess / folder / manifest | **required** |")]
    public void DescribesExperimentKeys(string row) => Assert.Contains(row, Reference);

    [Fact]
    public void DescribesModelParamsWithTheirDefaultsAndDocs()
    {
        var section = Reference[Reference.IndexOf("## model.params for `audio_cnn_transformer`", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 3, StringComparison.Ordinal)];
        Assert.Contains("| `conv_branches` | integer | `2` | Parallel conv branches (2 published; 3 is a published variant). |", section);
        Assert.Contains("| `num_classes` | integer | `8` | always the size of the data's label space", section);
        Assert.Contains("| `channels_last` | true/false | `true` |", section);
        Assert.Contains("| `filters` | list of integer | `[16, 32, 64, 64]` |", Reference); // lrcn
    }

    /// <summary>Every key path the binder accepts appears: walk the config types the way the binder does.</summary>
    [Fact]
    public void ListsEveryBindableKey()
    {
        foreach (var key in Keys(typeof(ExperimentConfig), ""))
            Assert.Contains($"| `{key}` |", Reference);
    }

    private static IEnumerable<string> Keys(Type type, string prefix)
    {
        foreach (var p in type.GetProperties().Where(p => p.CanWrite))
        {
            var key = prefix + ConfigBinder.SnakeCase(p.Name);
            yield return key;
            var t = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
            // A list of sections (callbacks) has keys under [].; a list of mappings (nested_cv.candidates) is a value.
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(List<>) && t.GetGenericArguments()[0] is { IsClass: true, IsGenericType: false } e && e != typeof(string))
                foreach (var k in Keys(e, key + "[].")) yield return k;
            else if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Dictionary<,>) && t.GetGenericArguments()[1] is { IsClass: true } v && v != typeof(string))
                foreach (var k in Keys(v, key + ".<name>.")) yield return k;
            else if (t.IsClass && t != typeof(string) && !t.IsGenericType && t.Namespace == typeof(ExperimentConfig).Namespace)
                foreach (var k in Keys(t, key + ".")) yield return k;
        }
    }
}
