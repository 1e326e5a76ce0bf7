using System.Globalization;
using System.Text.Json.Nodes;

namespace AverLab.Torch.Optim;

/// <summary>Reads and writes the JSON of optimizer and scheduler state with errors that name the source and the
/// key. Doubles are written shortest-round-trip (so a reload is bitwise exact); ±Infinity and NaN, which JSON
/// lacks, are written as the strings Python's json module would print.</summary>
internal static class OptimJson
{
    public static JsonNode Number(double v) =>
        double.IsFinite(v) ? JsonValue.Create(v) : JsonValue.Create(double.IsNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");

    public static JsonArray Numbers(IEnumerable<double> values) => new(values.Select(v => (JsonNode?)Number(v)).ToArray());
    public static JsonArray Ints(IEnumerable<int> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    public static JsonNode Require(JsonObject o, string key, string source) =>
        o[key] ?? throw new FormatException($"{source}: missing key \"{key}\"");

    public static double GetDouble(JsonObject o, string key, string source) => ToDouble(Require(o, key, source), key, source);

    public static double ToDouble(JsonNode node, string key, string source)
    {
        try
        {
            if (node is JsonValue v && v.TryGetValue<string>(out var s))
                return s switch
                {
                    "Infinity" or "inf" => double.PositiveInfinity,
                    "-Infinity" or "-inf" => double.NegativeInfinity,
                    "NaN" or "nan" => double.NaN,
                    _ => throw new FormatException($"{source}: \"{key}\" is the string \"{s}\", expected a number"),
                };
            return node.GetValue<double>();
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            throw new FormatException($"{source}: \"{key}\" must be a number, got {node.ToJsonString()}");
        }
    }

    public static int GetInt(JsonObject o, string key, string source)
    {
        var node = Require(o, key, source);
        try { return node.GetValue<int>(); }
        catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException)
        {
            throw new FormatException($"{source}: \"{key}\" must be an integer, got {node.ToJsonString()}");
        }
    }

    public static bool GetBool(JsonObject o, string key, string source)
    {
        var node = Require(o, key, source);
        try { return node.GetValue<bool>(); }
        catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException)
        {
            throw new FormatException($"{source}: \"{key}\" must be true or false, got {node.ToJsonString()}");
        }
    }

    public static string GetString(JsonObject o, string key, string source)
    {
        var node = Require(o, key, source);
        try { return node.GetValue<string>(); }
        catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException)
        {
            throw new FormatException($"{source}: \"{key}\" must be a string, got {node.ToJsonString()}");
        }
    }

    public static JsonArray GetArray(JsonObject o, string key, string source) =>
        Require(o, key, source) as JsonArray ?? throw new FormatException($"{source}: \"{key}\" must be an array");

    public static JsonObject GetObject(JsonObject o, string key, string source) =>
        Require(o, key, source) as JsonObject ?? throw new FormatException($"{source}: \"{key}\" must be an object");

    public static double[] GetDoubles(JsonObject o, string key, string source) =>
        GetArray(o, key, source).Select((n, i) => n is null
            ? throw new FormatException($"{source}: \"{key}\"[{i}] is null")
            : ToDouble(n, $"{key}[{i}]", source)).ToArray();

    public static int[] GetInts(JsonObject o, string key, string source) =>
        GetArray(o, key, source).Select((n, i) =>
        {
            try { return n!.GetValue<int>(); }
            catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException or NullReferenceException)
            {
                throw new FormatException($"{source}: \"{key}\"[{i}] must be an integer");
            }
        }).ToArray();

    public static JsonObject Parse(string json, string source)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject ?? throw new FormatException($"{source}: expected a JSON object");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new FormatException($"{source}: invalid JSON ({e.Message})");
        }
    }
}
