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

        /// <summary>A config error at <paramref name="keyPath"/> ("data.split.test_speakers", "callbacks[1].monitor"):
        /// the line of the deepest part of the path the file has (or the `--set` argument that set it).</summary>
        public ConfigException Error(string keyPath, string problem, Exception? inner = null)
        {
            YamlNode node = Tree;
            foreach (var part in keyPath.Split('.'))
            {
                var name = part;
                var index = -1;
                var bracket = part.IndexOf('[');
                if (bracket > 0 && part.EndsWith(']'))
                {
                    name = part[..bracket];
                    index = int.TryParse(part[(bracket + 1)..^1], out var i) ? i : -1;
                }
                if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(name), out var child)) break;
                node = child;
                if (index < 0) continue;
                if (node is not YamlSequenceNode seq || index >= seq.Children.Count) break;
                node = seq.Children[index];
            }
            if (ConfigBinder.OverrideOf(node) is { } assignment) return ConfigException.ForOverride(File, assignment, keyPath, problem);
            // A section of the file with values from --set inside: say which, the file's line alone would mislead.
            var sets = node.AllNodes.Select(ConfigBinder.OverrideOf).OfType<string>().Distinct().ToList();
            if (sets.Count > 0) problem += $" (with {string.Join(", ", sets.Select(x => "--set " + x))})";
            return new ConfigException(File, Math.Max(1, node.Start.Line), Math.Max(1, node.Start.Column), keyPath, problem, inner);
        }

        /// <summary>Runs <paramref name="action"/>, turning a <see cref="ConfigValueException"/> into a config error at its key.</summary>
        public T At<T>(Func<T> action)
        {
            try
            {
                return action();
            }
            catch (ConfigValueException e)
            {
                throw Error(e.KeyPath, e.Problem, e);
            }
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
        var loaded = new Loaded(config, tree, file);
        ClassicalRules.Check(loaded);
        return loaded;
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
