using YamlDotNet.RepresentationModel;

namespace AverLab.Training.Configuration;

/// <summary>Reads an experiment config: parse, apply `--set` overrides, bind strictly, check paths. Everything
/// that can be wrong with a config is reported here, before any work starts.</summary>
public static class ConfigLoader
{
    public sealed record Loaded(ExperimentConfig Config, YamlMappingNode Tree, string File)
    {
        /// <summary>The config after overrides, as YAML (written to each run folder as config.yaml).</summary>
        public string ResolvedYaml()
        {
            var doc = new YamlDocument(Tree);
            var writer = new StringWriter();
            new YamlStream(doc).Save(writer, assignAnchors: false);
            return writer.ToString().TrimEnd('.', '\n', ' ') + "\n";
        }
    }

    public static Loaded Load(string path, IEnumerable<string>? overrides = null, bool checkPaths = true)
    {
        if (!File.Exists(path)) throw new ConfigException(path, 0, 0, "(file)", "no such config file");
        return FromText(File.ReadAllText(path), path, overrides, checkPaths);
    }

    public static Loaded FromText(string text, string file, IEnumerable<string>? overrides = null, bool checkPaths = true)
    {
        var tree = ConfigBinder.Parse(text, file);
        foreach (var o in overrides ?? []) ConfigBinder.ApplyOverride(tree, o, file);
        var config = ConfigBinder.Bind<ExperimentConfig>(tree, file);
        if (checkPaths) CheckPaths(config, tree, file);
        return new Loaded(config, tree, file);
    }

    /// <summary>Relative data roots resolve against the current directory (the repository root for the README's
    /// commands), so a config runs the same from any checkout.</summary>
    private static void CheckPaths(ExperimentConfig config, YamlMappingNode tree, string file)
    {
        var root = config.Data.Root;
        if (Directory.Exists(root) || File.Exists(root)) return;
        var node = ((YamlMappingNode)tree.Children[new YamlScalarNode("data")]).Children[new YamlScalarNode("root")];
        throw new ConfigException(file, node.Start.Line, node.Start.Column, "data.root",
            $"'{root}' does not exist (for the synthetic corpus run: dotnet run --project src/Train -- synth --out {root})");
    }
}
