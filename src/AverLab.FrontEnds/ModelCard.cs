using System.Text.Json;
using System.Text.Json.Nodes;
using AverLab.Models;
using AverLab.Runs;

namespace AverLab.FrontEnds;

/// <summary>model.json: everything inference needs to use a run's checkpoint — the model's name and resolved
/// options, the class names in output order, the feature settings, and which checkpoint to load.</summary>
public sealed record ModelCard
{
    public required string Model { get; init; }
    public required JsonObject Options { get; init; }
    public required string[] Classes { get; init; }
    public required FeatureConfig Features { get; init; }
    public required string Inputs { get; init; }
    public string Checkpoint { get; init; } = RunLayout.BestCheckpoint;
    public string Corpus { get; init; } = "";
    /// <summary>Feature standardization fitted on the training split, applied before the model.</summary>
    public FeatureScaler? Scaler { get; init; }
    /// <summary>Principal component projection fitted on the training split (features.pca), applied after the scaler.</summary>
    public PcaProjection? Pca { get; init; }
    public long Seed { get; init; }
    /// <summary>The device the run trained on ("cpu" or "cuda", training.device resolved); inference uses it unless told
    /// otherwise. Cards written before the field existed read as "cpu".</summary>
    public string Device { get; init; } = "cpu";

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public void Save(string path) => AverLab.IO.AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    public static ModelCard Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such model card (model.json)", path);
        try
        {
            return JsonSerializer.Deserialize<ModelCard>(File.ReadAllText(path), Json)
                   ?? throw new InvalidDataException($"{path}: empty model card");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid model card: {e.Message}", e);
        }
    }

    /// <summary>A feature array as the model takes it: standardized with the run's scaler, then projected by its PCA
    /// (a [1, F] vector becomes [1, k]): what inference applies, the same two steps training applied to each split
    /// (ExperimentData).</summary>
    public (float[] Data, long[] Shape) Transform(float[] data, long[] shape)
    {
        var x = Scaler is { } s ? s.Transform(data) : data;
        if (Pca is not { } p) return (x, shape);
        return (p.Transform(x), shape.Length == 1 ? [p.Count] : [1, p.Count]);
    }

    /// <summary>Recreates the untrained model the card describes (load the checkpoint into it).</summary>
    public EmotionModel CreateModel()
    {
        var spec = ModelRegistry.Get(Model);
        var options = Options.Deserialize(spec.OptionsType, OptionsJson)
                      ?? throw new InvalidDataException($"model.json: options of {Model} are empty");
        return spec.Create(options);
    }

    public static JsonObject ToJson(object options) => JsonSerializer.SerializeToNode(options, options.GetType(), OptionsJson)!.AsObject();

    private static readonly JsonSerializerOptions OptionsJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
