using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using AverLab.Models;
using AverLab.Training.Augmentation;
using AverLab.Training.Configuration;
using AverLab.FrontEnds;
using YamlDotNet.RepresentationModel;
using AverLab.Runs;

namespace AverLab.Training.Experiments;

/// <summary>The key reference of configs/README.md, generated from the config classes the binder uses (keys, types,
/// defaults, ranges, <see cref="KeyDocAttribute"/> texts) and from every registered model's options (their XML doc
/// summaries), so the reference cannot drift from what the binder accepts: a test compares the committed file with
/// this output. Regenerate: dotnet run --project src/Train -- config-reference &gt; configs/README.md</summary>
public static partial class ConfigReference
{
    /// <summary>model.params keys the runner fills from the data (ExperimentRunner.BindModelOptions).</summary>
    private static readonly Dictionary<string, string> DerivedModelKeys = new()
    {
        ["num_classes"] = "always the size of the data's label space (a config value is replaced)",
        ["n_mfcc"] = "derived from features.n_mfcc unless set",
        ["frames"] = "derived from the features (MFCC frames, or video frames) unless set",
        ["input_size"] = "derived from the feature vector's size unless set",
        ["sequence_length"] = "derived from the video frames unless set",
        ["channels"] = "derived from the video frames unless set",
        ["frame_size"] = "derived from the video frames unless set",
    };

    public static string Markdown()
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Config reference");
        sb.AppendLine();
        sb.AppendLine("Generated from the code by `dotnet run --project src/Train -- config-reference > configs/README.md`;");
        sb.AppendLine("a test fails when this file and the code disagree. Keys are snake_case; an unknown key, a wrong type,");
        sb.AppendLine("a value out of range or a missing required key stops the run with the file, line and key path.");
        sb.AppendLine("Any key can be overridden from the command line: `--set training.epochs=5`.");
        sb.AppendLine();
        sb.AppendLine("## Experiment");
        sb.AppendLine();
        Table(sb, Rows(typeof(ExperimentConfig), new ExperimentConfig(), ""));
        sb.AppendLine();
        sb.AppendLine("## Names");
        sb.AppendLine();
        sb.AppendLine($"- `augmentation.audio[].name`, on the waveform before features: {Names(AugmentationPipeline.WaveformNames)}");
        sb.AppendLine($"- `augmentation.audio[].name`, on the features: {Names(AugmentationPipeline.FeatureNames)}");
        sb.AppendLine($"- `augmentation.image[].name`: {Names(AugmentationPipeline.ImageNames)}");
        sb.AppendLine($"- `callbacks[].name`: {Names(ExperimentRunner.CallbackNames)}");
        sb.AppendLine($"- `model.name`: {Names(ModelRegistry.All.Select(s => s.Name))}");
        sb.AppendLine();
        sb.AppendLine($"Classical models ({Names(ModelRegistry.All.Where(s => s.IsClassical).Select(s => s.Name))}) are fitted by ML.NET in one step on a");
        sb.AppendLine($"feature vector (`features.kind` handcrafted, mfcc_stats or av_stats); their checkpoint is `{RunLayout.ClassicalCheckpoint}`. Of the");
        sb.AppendLine($"`training` section they take {string.Join(" and ", ClassicalRules.ApplicableTrainingKeys.Select(k => $"`{k}`"))} only (threads 0 = one thread);");
        sb.AppendLine("any other training key set away from its default, `callbacks`, `augmentation` or a `search` section is refused.");
        foreach (var spec in ModelRegistry.All)
        {
            sb.AppendLine();
            sb.AppendLine($"## model.params for `{spec.Name}`");
            sb.AppendLine();
            sb.AppendLine(spec.Description);
            sb.AppendLine();
            var docs = XmlDocs(spec.OptionsType.Assembly);
            var defaults = Activator.CreateInstance(spec.OptionsType)!;
            var rows = Rows(spec.OptionsType, defaults, "").Select(r =>
            {
                var doc = docs.GetValueOrDefault($"P:{spec.OptionsType.FullName}.{r.Property}", "");
                if (DerivedModelKeys.TryGetValue(r.Key, out var derived)) doc = doc.Length == 0 ? derived : $"{doc} ({derived})";
                return r with { Doc = doc };
            });
            Table(sb, rows);
        }
        return sb.ToString();
    }

    private sealed record Row(string Key, string Property, string Type, string Default, string Doc);

    private static string Names(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"`{n}`"));

    private static void Table(StringBuilder sb, IEnumerable<Row> rows)
    {
        sb.AppendLine("| key | type | default | meaning |");
        sb.AppendLine("|---|---|---|---|");
        foreach (var r in rows) sb.AppendLine($"| `{r.Key}` | {Cell(r.Type)} | {Cell(r.Default)} | {Cell(r.Doc)} |");
    }

    private static string Cell(string text) => text.Replace("|", "\\|").Replace("\n", " ");

    private static IEnumerable<Row> Rows(Type type, object? defaults, string prefix)
    {
        foreach (var (name, p) in ConfigBinder.BindableProperties(type))
        {
            var key = prefix + name;
            var value = defaults == null ? null : p.GetValue(defaults);
            var required = p.GetCustomAttribute<RequiredKeyAttribute>() != null;
            var doc = p.GetCustomAttribute<KeyDocAttribute>()?.Text ?? "";
            var t = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
            var element = ListElement(t);
            if (IsSection(t))
            {
                // An optional section (search) is absent by default; its keys' defaults apply once it is given.
                var optional = value == null;
                yield return new Row(key, p.Name, optional ? "section (optional)" : "section", "", doc);
                foreach (var r in Rows(t, value ?? Activator.CreateInstance(t), key + ".")) yield return r;
            }
            else if (element != null && IsSection(element))
            {
                yield return new Row(key, p.Name, "list of sections", Default(value, required), doc);
                foreach (var r in Rows(element, Activator.CreateInstance(element), key + "[].")) yield return r;
            }
            else if (DictionaryValue(t) is { } dictValue && IsSection(dictValue))
            {
                yield return new Row(key, p.Name, "mapping of name → section", Default(value, required), doc);
                foreach (var r in Rows(dictValue, null, key + ".<name>.")) yield return r;
            }
            else
            {
                var typeText = TypeText(p.PropertyType);
                if (p.GetCustomAttribute<RangeAttribute>() is { } range)
                    typeText += $" in [{Number(range.Min)}, {Number(range.Max)}]";
                yield return new Row(key, p.Name, typeText, Default(value, required), doc);
            }
        }
    }

    private static bool IsSection(Type t) =>
        t.IsClass && t != typeof(string) && !t.IsArray && !t.IsGenericType && !typeof(YamlNode).IsAssignableFrom(t);

    private static Type? ListElement(Type t) =>
        t.IsArray ? t.GetElementType()
        : t.IsGenericType && t.GetGenericTypeDefinition() == typeof(List<>) ? t.GetGenericArguments()[0] : null;

    private static Type? DictionaryValue(Type t) =>
        t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Dictionary<,>) ? t.GetGenericArguments()[1] : null;

    private static string TypeText(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying != null) return TypeText(underlying) + " or null";
        if (type == typeof(string)) return "string";
        if (type == typeof(int) || type == typeof(long)) return "integer";
        if (type == typeof(double) || type == typeof(float)) return "number";
        if (type == typeof(bool)) return "true/false";
        if (type.IsEnum) return string.Join(" / ", Enum.GetNames(type).Select(ConfigBinder.SnakeCase));
        if (typeof(YamlNode).IsAssignableFrom(type)) return "section (the model's keys, below)";
        if (ListElement(type) is { } element) return $"list of {TypeText(element)}";
        if (DictionaryValue(type) is { } value)
            return typeof(YamlNode).IsAssignableFrom(value) ? "mapping of key → value" : $"mapping of name → {TypeText(value)}";
        return type.Name;
    }

    private static string Default(object? value, bool required)
    {
        if (required) return "**required**";
        return value switch
        {
            null => "",
            string s => s.Length == 0 ? "" : $"`{s}`",
            bool b => b ? "`true`" : "`false`",
            Enum e => $"`{ConfigBinder.SnakeCase(e.ToString())}`",
            IDictionary d => d.Count == 0 ? "" : $"{d.Count} entries",
            IEnumerable list => list.Cast<object>().Any() ? $"`[{string.Join(", ", list.Cast<object>().Select(Scalar))}]`" : "`[]`",
            _ => $"`{Scalar(value)}`",
        };
    }

    private static string Scalar(object value) => value switch
    {
        double d => Number(d),
        float f => Number(f),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Number(double d) => d.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Property summaries from the assembly's XML documentation file (built beside it); none when absent.</summary>
    private static Dictionary<string, string> XmlDocs(Assembly assembly)
    {
        var path = Path.ChangeExtension(assembly.Location, ".xml");
        if (string.IsNullOrEmpty(assembly.Location) || !File.Exists(path)) return [];
        return XDocument.Load(path).Descendants("member")
            .Where(m => m.Attribute("name")?.Value.StartsWith("P:", StringComparison.Ordinal) == true && m.Element("summary") != null)
            .ToDictionary(m => m.Attribute("name")!.Value, m => Flatten(m.Element("summary")!));
    }

    /// <summary>A summary as one line of text: cref and paramref names kept, whitespace collapsed.</summary>
    private static string Flatten(XElement summary)
    {
        var text = string.Concat(summary.Nodes().Select(n => n switch
        {
            XText t => t.Value,
            XElement e when e.Attribute("cref") is { } cref => cref.Value[(cref.Value.LastIndexOf('.') + 1)..],
            XElement e when e.Attribute("name") is { } name => name.Value,
            XElement e => e.Value,
            _ => "",
        }));
        return Whitespace().Replace(text, " ").Trim();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
