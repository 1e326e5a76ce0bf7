using System.Text.Json;

namespace AverLab.Inference.Tests;

/// <summary>Validates JSON against the subset of JSON Schema that result.schema.json uses (type incl. unions,
/// required, properties, additionalProperties, items, enum, minimum, maximum, local $ref). No JSON-Schema package
/// installs here; this is small and tested against documents that must fail.</summary>
internal static class MiniJsonSchema
{
    public static List<string> Validate(JsonElement schema, JsonElement doc)
    {
        var errors = new List<string>();
        Check(schema, schema, doc, "$", errors);
        return errors;
    }

    private static void Check(JsonElement root, JsonElement s, JsonElement d, string path, List<string> errors)
    {
        if (s.TryGetProperty("$ref", out var r))
        {
            var target = root;
            foreach (var part in r.GetString()!.TrimStart('#', '/').Split('/')) target = target.GetProperty(part);
            Check(root, target, d, path, errors);
            return;
        }
        if (s.TryGetProperty("type", out var type))
        {
            var types = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToList() : [type.GetString()!];
            if (!types.Any(t => Is(t, d))) { errors.Add($"{path}: expected {string.Join("|", types)}, got {d.ValueKind}"); return; }
            if (d.ValueKind == JsonValueKind.Null) return;
        }
        if (s.TryGetProperty("enum", out var e) && !e.EnumerateArray().Any(v => v.ToString() == d.ToString()))
            errors.Add($"{path}: '{d}' not in enum");
        if (d.ValueKind == JsonValueKind.Number)
        {
            if (s.TryGetProperty("minimum", out var min) && d.GetDouble() < min.GetDouble()) errors.Add($"{path}: {d} < minimum {min}");
            if (s.TryGetProperty("maximum", out var max) && d.GetDouble() > max.GetDouble()) errors.Add($"{path}: {d} > maximum {max}");
        }
        if (d.ValueKind == JsonValueKind.Object)
        {
            if (s.TryGetProperty("required", out var req))
                foreach (var k in req.EnumerateArray())
                    if (!d.TryGetProperty(k.GetString()!, out _)) errors.Add($"{path}: missing required '{k}'");
            var props = s.TryGetProperty("properties", out var p) ? p : default;
            foreach (var prop in d.EnumerateObject())
            {
                if (props.ValueKind == JsonValueKind.Object && props.TryGetProperty(prop.Name, out var ps)) Check(root, ps, prop.Value, $"{path}.{prop.Name}", errors);
                else if (s.TryGetProperty("additionalProperties", out var ap) && ap.ValueKind == JsonValueKind.Object) Check(root, ap, prop.Value, $"{path}.{prop.Name}", errors);
            }
        }
        if (d.ValueKind == JsonValueKind.Array && s.TryGetProperty("items", out var items))
        {
            var i = 0;
            foreach (var item in d.EnumerateArray()) Check(root, items, item, $"{path}[{i++}]", errors);
        }
    }

    private static bool Is(string t, JsonElement d) => t switch
    {
        "object" => d.ValueKind == JsonValueKind.Object,
        "array" => d.ValueKind == JsonValueKind.Array,
        "string" => d.ValueKind == JsonValueKind.String,
        "number" => d.ValueKind == JsonValueKind.Number,
        "integer" => d.ValueKind == JsonValueKind.Number && d.TryGetInt64(out _),
        "boolean" => d.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => d.ValueKind == JsonValueKind.Null,
        _ => false,
    };
}
