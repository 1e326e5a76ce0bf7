using System.Text.Json;

namespace AverLab.Inference;

/// <summary>The one JSON form of an <see cref="AnalysisResult"/> (schema: src/Predict/result.schema.json), shared by
/// the CLI (src/Predict) and the web application (src/Web) so both write the same fields.</summary>
public static class AnalysisJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static string Serialize(AnalysisResult result) => JsonSerializer.Serialize(result, Options);
}
