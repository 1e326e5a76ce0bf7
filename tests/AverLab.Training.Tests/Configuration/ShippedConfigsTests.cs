using AverLab.Models;
using AverLab.Training.Configuration;

namespace AverLab.Training.Tests.Configuration;

/// <summary>Every config in configs/ parses, binds strictly, names a registered model and binds its params.</summary>
public class ShippedConfigsTests
{
    public static TheoryData<string> Configs()
    {
        var dir = AppContext.BaseDirectory;
        while (dir != null && !File.Exists(Path.Combine(dir, "AverLab.sln"))) dir = Path.GetDirectoryName(dir);
        return new TheoryData<string>(Directory.GetFiles(Path.Combine(dir!, "configs"), "*.yaml").Order());
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void Validates(string path)
    {
        var loaded = ConfigLoader.Load(path, checkPaths: false);
        var spec = ModelRegistry.Get(loaded.Config.Model.Name);
        if (loaded.Config.Model.Params is { } p) Assert.NotNull(ConfigBinder.Bind(spec.OptionsType, p, path, "model.params"));
        Assert.False(string.IsNullOrEmpty(loaded.Config.Name));
    }
}
