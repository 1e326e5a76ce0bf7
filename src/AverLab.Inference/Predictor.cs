using AverLab.Data.Features;
using AverLab.Data.Loading;
using AverLab.Models;
using AverLab.Models.Classical;
using System.Text.Json;
using TorchSharp;
using AverLab.FrontEnds;
using static TorchSharp.torch;

namespace AverLab.Inference;

/// <summary>A trained model ready to predict: model.json (architecture, classes, features, scaler, PCA) plus its
/// checkpoint: a TorchSharp state dict (a checkpoint that does not fit the card is refused with the keys that differ),
/// or a classical model's ML.NET zip.</summary>
public sealed class Predictor : IDisposable
{
    private readonly EmotionModel? model;
    private readonly ClassicalModel? classical;
    private readonly ModelSpec spec;

    private Predictor(ModelCard card, EmotionModel? model, ClassicalModel? classical, string source)
    {
        Card = card;
        this.model = model;
        this.classical = classical;
        spec = ModelRegistry.Get(card.Model);
        Source = source;
        model?.eval();
    }

    public ModelCard Card { get; }
    public string Source { get; }
    public IReadOnlyList<string> Classes => Card.Classes;
    public InputKinds Inputs => spec.Inputs;
    /// <summary>Models that read a whole clip through their training front end: frame sequences (LRCN, ConvLSTM),
    /// audio + face frames (the fusion LSTM), AV statistics (the AV transformer).</summary>
    public bool TakesClips => Card.Features.Kind is FeatureKind.Frames or FeatureKind.FacesAudio or FeatureKind.AvStats;
    /// <summary>Clip models that also need the audio track (combined analysis).</summary>
    public bool TakesAudioVisualClips => Card.Features.Kind is FeatureKind.FacesAudio or FeatureKind.AvStats;
    public bool TakesAudio => !TakesClips && (spec.Inputs.HasFlag(InputKinds.Audio) || (spec.Inputs.HasFlag(InputKinds.Features) && Card.Features.Kind is FeatureKind.Mfcc or FeatureKind.Handcrafted or FeatureKind.MfccStats));
    public bool TakesFaces => !TakesClips && spec.Inputs.HasFlag(InputKinds.Image);

    /// <summary>Loads a run folder or a model.json path.</summary>
    public static Predictor Load(string runOrCard)
    {
        var cardPath = Directory.Exists(runOrCard) ? Path.Combine(runOrCard, "model.json") : runOrCard;
        var card = ModelCard.Load(cardPath);
        var checkpoint = Path.IsPathRooted(card.Checkpoint) ? card.Checkpoint : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(cardPath))!, card.Checkpoint);
        if (!File.Exists(checkpoint)) throw new FileNotFoundException($"{cardPath}: its checkpoint {checkpoint} does not exist", checkpoint);
        if (ModelRegistry.All.FirstOrDefault(s => s.Name == card.Model) is { IsClassical: true } classicalSpec)
            return new Predictor(card, null, LoadClassical(card, classicalSpec, checkpoint, cardPath), cardPath);
        EmotionModel model;
        try
        {
            model = card.CreateModel();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.Text.Json.JsonException or System.Runtime.InteropServices.ExternalException)
        {
            throw new InvalidDataException($"{cardPath}: its model {card.Model} cannot be built from the card's options: {e.Message}", e);
        }
        try
        {
            ModelFile.LoadInto(model, checkpoint, $"{cardPath} ({card.Model})");
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException)
        {
            model.Dispose();
            // A key mismatch says so (ModelFile); a file that is not safetensors keeps the reader's own message.
            throw e is InvalidDataException { InnerException: StateDictException } ? e
                : new InvalidDataException($"{checkpoint} cannot be loaded for {cardPath} ({card.Model}): {e.Message}", e);
        }
        return new Predictor(card, model, null, cardPath);
    }

    private static ClassicalModel LoadClassical(ModelCard card, ModelSpec spec, string checkpoint, string cardPath)
    {
        IClassicalOptions options;
        try
        {
            options = (IClassicalOptions)(card.Options.Deserialize(spec.OptionsType, ModelCard.Json)
                                          ?? throw new InvalidDataException("the options are empty"));
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidDataException)
        {
            throw new InvalidDataException($"{cardPath}: the options of {card.Model} cannot be read: {e.Message}", e);
        }
        try
        {
            return ClassicalModel.Load(checkpoint, card.Classes.Length, options.InputSize);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{checkpoint} cannot be loaded for {cardPath} ({card.Model}): {e.Message}", e);
        }
    }

    /// <summary>Class probabilities for one feature array laid out as in training ([rows, frames] MFCC,
    /// [1, 48, 48] pixels, ...), after the run's standardization and PCA; <paramref name="extra"/> are the further
    /// inputs of a multi-input model (the fusion model's face frames), as its front end makes them.</summary>
    public double[] Predict(float[] features, long[] shape, IReadOnlyList<FeatureArray>? extra = null)
    {
        (var x, shape) = Card.Transform(features, shape);
        if (classical != null) return classical.PredictProbabilities(x);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var t = tensor(x, [1, .. shape]);
        var extras = (extra ?? []).Select(e => tensor(e.Data, [1, .. e.Shape])).ToList();
        var probs = model!.call(ModelInputMapping.ToInputs(spec, t, extras)).softmax(1).to(ScalarType.Float64).data<double>().ToArray();
        return probs;
    }

    /// <summary>Class probabilities of a whole clip (a file) through the run's own front end: exactly the features
    /// it was trained on.</summary>
    public double[] PredictClip(string path)
    {
        frontEnd ??= FrontEnd.Create(Card.Features);
        var primary = frontEnd.Primary.Extract(path);
        return Predict(primary.Data, primary.Shape, frontEnd.Extras.Select(x => x.Extract(path)).ToList());
    }

    private FrontEnd? frontEnd;

    public EmotionEstimate Estimate(double[] probabilities) => Estimate(probabilities, Classes);

    /// <summary>Grad-CAM heatmap of a class for one face crop ([1, size, size] in [0, 1]); null when the model is not a
    /// face ResNet without landmarks.</summary>
    public float[]? Explain(float[] features, long[] shape, int classIndex)
    {
        if (model is not FaceResNet face || face.Options.LandmarkCount > 0) return null;
        using var scope = NewDisposeScope();
        return GradCam.Compute(face, tensor(features, [1, .. shape]), classIndex);
    }

    public static EmotionEstimate Estimate(double[] p, IReadOnlyList<string> classes)
    {
        var best = 0;
        for (var i = 1; i < p.Length; i++) if (p[i] > p[best]) best = i;
        return new EmotionEstimate(classes[best], classes.Select((c, i) => (c, v: Math.Round(p[i], 6))).ToDictionary(x => x.c, x => x.v));
    }

    public void Dispose()
    {
        model?.Dispose();
        if (frontEnd is null) return;
        foreach (var x in frontEnd.Extras.Prepend(frontEnd.Primary).OfType<IDisposable>()) x.Dispose();
    }
}
