using AverLab.FrontEnds;
using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AverLab.Training.Configuration;

/// <summary>Binds a YAML document onto typed config classes, strictly: snake_case keys map to properties, an
/// unknown key, a wrong type, a value out of range or a missing required key is a <see cref="ConfigException"/>
/// naming the file, line, key path and the allowed keys or values. Works on YamlDotNet's representation model
/// so every node keeps its position; `--set a.b=c` overrides edit that model before binding.</summary>
public static class ConfigBinder
{
    /// <summary>Where binding is, for messages and validation.</summary>
    public sealed record Context(string File, string KeyPath, YamlNode? Node)
    {
        /// <summary>The error at this node: file:line:column, or the `--set` argument the node came from.</summary>
        public ConfigException Error(string problem) => OverrideOf(Node) is { } assignment
            ? ConfigException.ForOverride(File, assignment, KeyPath, problem)
            : new(File, Node?.Start.Line ?? 0, Node?.Start.Column ?? 0, KeyPath, problem);
    }

    public static ConfigException Fail(Context context, string problem) => context.Error(problem);

    /// <summary>The context of a key inside a section (its value's node when present, else the section's), for
    /// cross-field rules that blame one key.</summary>
    public static Context Child(Context context, string key)
    {
        var path = Join(context.KeyPath, key);
        return context.Node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var node)
            ? new Context(context.File, path, node)
            : context with { KeyPath = path };
    }

    /// <summary>The context of item <paramref name="index"/> of a list.</summary>
    public static Context Item(Context context, int index) =>
        context.Node is YamlSequenceNode seq && index < seq.Children.Count
            ? new Context(context.File, $"{context.KeyPath}[{index}]", seq.Children[index])
            : context with { KeyPath = $"{context.KeyPath}[{index}]" };

    /// <summary>Nodes made by `--set` overrides (keys, values, sections created on the way), with their assignment.</summary>
    private static readonly ConditionalWeakTable<YamlNode, string> Overrides = new();

    /// <summary>The `--set` assignment a node came from; null for nodes of the file.</summary>
    public static string? OverrideOf(YamlNode? node) => node != null && Overrides.TryGetValue(node, out var s) ? s : null;

    public static YamlMappingNode Parse(string text, string file)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            // YamlDotNet's message repeats the position as "(Line: 3, Col: 1, Idx: ..) - (...): "; the prefix says it.
            throw new ConfigException(file, e.Start.Line, e.Start.Column, "(document)", $"invalid YAML: {StripMark(e.Message)}", e);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or NullReferenceException or InvalidCastException)
        {
            // Some malformed documents (an unclosed flow sequence: `batch_size: [32`) make the representation model fail
            // without a position; the parser alone says where the document stops making sense.
            var (line, column, problem) = Locate(text);
            throw new ConfigException(file, line, column, "(document)", $"invalid YAML: {problem}", e);
        }
        if (stream.Documents.Count == 0) throw new ConfigException(file, 1, 1, "(document)", "the file is empty");
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new ConfigException(file, 1, 1, "(document)", "the top level must be a mapping of keys");
        return root;
    }

    /// <summary>Where the YAML parser stops: its error position, or the end of the last event it read.</summary>
    private static (long line, long column, string problem) Locate(string text)
    {
        var parser = new Parser(new StringReader(text));
        var last = new YamlDotNet.Core.Mark(0, 1, 1);
        var open = new Stack<YamlDotNet.Core.Mark>();
        try
        {
            while (parser.MoveNext())
            {
                var current = parser.Current!;
                if (current is YamlDotNet.Core.Events.SequenceStart or YamlDotNet.Core.Events.MappingStart) open.Push(current.Start);
                else if (current is YamlDotNet.Core.Events.SequenceEnd or YamlDotNet.Core.Events.MappingEnd && open.Count > 0) open.Pop();
                last = current.End;
            }
        }
        catch (YamlException e)
        {
            return (e.Start.Line, e.Start.Column, StripMark(e.Message));
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            if (open.Count > 0) return (open.Peek().Line, open.Peek().Column, "a bracket or section opened here is never closed");
            return (last.Line, last.Column, "the document ends unexpectedly");
        }
        if (open.Count > 0) return (open.Peek().Line, open.Peek().Column, "a bracket or section opened here is never closed");
        return (last.Line, last.Column, "the document cannot be read");
    }

    private static string StripMark(string message)
    {
        var i = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line:", StringComparison.Ordinal) && i > 0 ? message[(i + 3)..] : message;
    }

    /// <summary>Applies an override "a.b.c=value" (value parsed as YAML) to the tree, creating mappings on the way.
    /// Every node it makes remembers the assignment, so a later binding error names the `--set` argument.</summary>
    public static void ApplyOverride(YamlMappingNode root, string assignment, string file)
    {
        var eq = assignment.IndexOf('=');
        var pathText = eq > 0 ? assignment[..eq].Trim() : "";
        if (eq <= 0 || pathText.Split('.').Any(p => p.Length == 0))
            throw ConfigException.ForOverride(file, assignment, eq > 0 ? pathText : assignment.Trim(), "an override must look like key.path=value");
        var path = pathText.Split('.');
        var valueText = assignment[(eq + 1)..];
        YamlNode value;
        try
        {
            var s = new YamlStream();
            s.Load(new StringReader("v: " + valueText));
            value = s.Documents.Count == 1 && s.Documents[0].RootNode is YamlMappingNode m && m.Children.Count == 1
                ? m.Children[new YamlScalarNode("v")]
                : new YamlScalarNode(valueText);
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException or ArgumentException or KeyNotFoundException)
        {
            value = new YamlScalarNode(valueText);
        }
        foreach (var n in value.AllNodes) Overrides.AddOrUpdate(n, assignment);
        var node = root;
        for (var i = 0; i < path.Length - 1; i++)
        {
            var key = new YamlScalarNode(path[i]);
            if (!node.Children.TryGetValue(key, out var child))
            {
                Overrides.AddOrUpdate(key, assignment);
                node.Children[key] = child = new YamlMappingNode();
                Overrides.AddOrUpdate(child, assignment);
            }
            node = child as YamlMappingNode
                ?? throw ConfigException.ForOverride(file, assignment, string.Join('.', path[..(i + 1)]), $"'{path[i]}' is a value, not a section");
        }
        var last = new YamlScalarNode(path[^1]);
        if (!node.Children.ContainsKey(last)) Overrides.AddOrUpdate(last, assignment);
        node.Children[last] = value;
    }

    public static T Bind<T>(YamlMappingNode root, string file) where T : new() =>
        (T)BindObject(typeof(T), root, new Context(file, "", root));

    /// <summary>Binds a sub-tree (e.g. model.params) onto an options type known only at run time.</summary>
    public static object Bind(Type type, YamlNode node, string file, string keyPath) =>
        BindObject(type, node, new Context(file, keyPath, node));

    public static string SnakeCase(string name)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) sb.Append('_');
            sb.Append(char.ToLowerInvariant(name[i]));
        }
        return sb.ToString();
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

    private static object BindObject(Type type, YamlNode node, Context ctx)
    {
        if (node is not YamlMappingNode map)
            throw ctx.Error($"expected a section of keys ({string.Join(", ", Keys(type))}), got {Describe(node)}");
        var obj = Activator.CreateInstance(type)!;
        var props = BindableProperties(type).ToDictionary(p => p.Key, p => p.Property);
        var seen = new HashSet<string>();
        foreach (var (keyNode, valueNode) in map.Children)
        {
            if (keyNode is not YamlScalarNode scalarKey)
                throw new Context(ctx.File, ctx.KeyPath, keyNode).Error($"a key must be a plain name, got {Describe(keyNode)}");
            var key = scalarKey.Value ?? "";
            var keyCtx = new Context(ctx.File, Join(ctx.KeyPath, key), keyNode);
            if (!props.TryGetValue(key, out var prop))
            {
                var suggestion = props.Keys.OrderBy(k => Distance(k, key)).First();
                throw keyCtx.Error($"unknown key '{key}'{(Distance(suggestion, key) <= 3 ? $" (did you mean '{suggestion}'?)" : "")}; allowed keys: {string.Join(", ", props.Keys.Order())}");
            }
            if (!seen.Add(key)) throw keyCtx.Error($"key '{key}' appears twice");
            var value = BindValue(prop.PropertyType, valueNode, new Context(ctx.File, keyCtx.KeyPath, valueNode));
            if (prop.GetCustomAttribute<RangeAttribute>() is { } range && value != null)
            {
                var d = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                if (d < range.Min || d > range.Max)
                    throw new Context(ctx.File, keyCtx.KeyPath, valueNode).Error($"{d.ToString(CultureInfo.InvariantCulture)} is out of range [{range.Min.ToString(CultureInfo.InvariantCulture)}, {range.Max.ToString(CultureInfo.InvariantCulture)}]");
            }
            prop.SetValue(obj, value);
        }
        foreach (var (key, prop) in props)
            if (prop.GetCustomAttribute<RequiredKeyAttribute>() != null && !seen.Contains(key))
                throw ctx.Error($"missing required key '{key}'{(prop.GetCustomAttribute<KeyDocAttribute>() is { } doc ? $" ({doc.Text})" : "")}");
        if (obj is IValidatedSection v) v.Validate(ctx);
        if (obj is ISelfCheckedSection c && c.FindProblem() is { } problem) throw ctx.Error(problem);
        return obj;
    }

    private static object? BindValue(Type type, YamlNode node, Context ctx)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying != null)
        {
            if (node is YamlScalarNode { Value: null or "" or "null" or "~" }) return null;
            type = underlying;
        }
        if (type == typeof(YamlNode)) return node;
        if (type == typeof(string)) return Scalar(node, ctx, "a string");
        if (type == typeof(int)) return ParseNumber(node, ctx, s => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture), "an integer");
        if (type == typeof(long)) return ParseNumber(node, ctx, s => long.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture), "an integer");
        if (type == typeof(double)) return ParseNumber(node, ctx, s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture), "a number");
        if (type == typeof(bool))
            return Scalar(node, ctx, "true or false") switch
            {
                "true" or "True" or "yes" => true,
                "false" or "False" or "no" => false,
                var s => throw ctx.Error($"expected true or false, got '{s}'"),
            };
        if (type.IsEnum)
        {
            var s = Scalar(node, ctx, "a name");
            var names = Enum.GetNames(type).ToDictionary(SnakeCase);
            if (names.TryGetValue(s, out var name)) return Enum.Parse(type, name);
            throw ctx.Error($"'{s}' is not allowed; allowed values: {string.Join(", ", names.Keys)}");
        }
        if (type.IsArray)
        {
            var elementType = type.GetElementType()!;
            var list = (IList)BindValue(typeof(List<>).MakeGenericType(elementType), node, ctx)!;
            var array = Array.CreateInstance(elementType, list.Count);
            list.CopyTo(array, 0);
            return array;
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            var elementType = type.GetGenericArguments()[0];
            if (node is not YamlSequenceNode seq) throw ctx.Error($"expected a list, got {Describe(node)}");
            var list = (IList)Activator.CreateInstance(type)!;
            var i = 0;
            foreach (var item in seq.Children)
                list.Add(BindValue(elementType, item, new Context(ctx.File, $"{ctx.KeyPath}[{i++}]", item)));
            return list;
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            var valueType = type.GetGenericArguments()[1];
            if (node is not YamlMappingNode map) throw ctx.Error($"expected a mapping, got {Describe(node)}");
            var dict = (IDictionary)Activator.CreateInstance(type)!;
            foreach (var (k, v) in map.Children)
            {
                var key = Scalar(k, ctx, "a key");
                dict[key] = BindValue(valueType, v, new Context(ctx.File, Join(ctx.KeyPath, key), v));
            }
            return dict;
        }
        if (type.IsClass) return BindObject(type, node, ctx);
        throw ctx.Error($"unsupported config type {type.Name}");
    }

    private static string Scalar(YamlNode node, Context ctx, string expected) =>
        node is YamlScalarNode s ? s.Value ?? "" : throw ctx.Error($"expected {expected}, got {Describe(node)}");

    private static object ParseNumber(YamlNode node, Context ctx, Func<string, object> parse, string expected)
    {
        var s = Scalar(node, ctx, expected);
        try
        {
            return parse(s);
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw ctx.Error($"expected {expected}, got '{s}'");
        }
    }

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a section of keys",
        YamlSequenceNode => "a list",
        YamlScalarNode s => $"'{s.Value}'",
        _ => node.NodeType.ToString(),
    };

    private static IEnumerable<string> Keys(Type type) => BindableProperties(type).Select(p => p.Key);

    /// <summary>The keys a section of <paramref name="type"/> accepts, with the properties they bind to, in
    /// declaration order (also what configs/README.md lists).</summary>
    public static IEnumerable<(string Key, PropertyInfo Property)> BindableProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => (SnakeCase(p.Name), p));

    /// <summary>Whether "a.b.c" names a scalar or list key of <paramref name="root"/> (through sections; anything
    /// below a free-form node such as model.params counts, its binding checks it).</summary>
    public static bool IsKeyPath(Type root, string path)
    {
        var type = root;
        var parts = path.Split('.');
        for (var i = 0; i < parts.Length; i++)
        {
            var prop = BindableProperties(type).FirstOrDefault(p => p.Key == parts[i]).Property;
            if (prop == null) return false;
            var t = Nullable.GetUnderlyingType(prop.PropertyType) ?? prop.PropertyType;
            if (typeof(YamlNode).IsAssignableFrom(t)) return i < parts.Length - 1;
            var isSection = t.IsClass && t != typeof(string) && !t.IsArray && !t.IsGenericType;
            if (i == parts.Length - 1) return !isSection;
            if (!isSection) return false;
            type = t;
        }
        return false;
    }

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        return d[a.Length, b.Length];
    }
}
