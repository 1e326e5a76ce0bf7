using AverLab.Explanations;
using AverLab.Data.Features;
using AverLab.Data.Loading;
using AverLab.Models;
using AverLab.Models.Classical;
using System.Text.Json;
using TorchSharp;
using AverLab.FrontEnds;
using static TorchSharp.torch;
using AverLab.Runs;

namespace AverLab.Inference;

/// <summary>What a trained model analyses (see <see cref="Predictor.RolesOf"/>).</summary>
public sealed record ModelRoles(bool Audio, bool Faces, bool Clips, bool AudioVisualClips);

/// <summary>A trained model ready to predict: model.json (architecture, classes, features, scaler, PCA) plus its
/// checkpoint: a TorchSharp state dict (a checkpoint that does not fit the card is refused with the keys that differ),
/// or a classical model's ML.NET zip. One predictor may serve several threads (the web app's workers share one per
/// run): calls into the model and its front end are taken one at a time.</summary>
public sealed class Predictor : IDisposable
{
    // Grad-CAM switches the module to eval and runs autograd through it, and front ends hold OpenCV detectors that are
    // not thread-safe: one call at a time per predictor (libtorch still spreads each call over its own threads).
    private readonly Lock gate = new();
    private readonly EmotionModel? model;
    /// <summary>A classical model's predict function (its ML.NET model loads only for a classical card).</summary>
    private readonly PredictFunction? classical;
    private readonly ModelSpec spec;

    private Predictor(ModelCard card, EmotionModel? model, PredictFunction? classical, string source, Device device, string? deviceNote)
    {
        Card = card;
        this.model = model;
        this.classical = classical;
        spec = ModelRegistry.Get(card.Model);
        Source = source;
        Device = device;
        DeviceNote = deviceNote;
        if (model != null && device.type != DeviceType.CPU) model.to(device);
        model?.eval();
    }

    /// <summary>Where the model runs: the run's own device (model.json "device"), or the one asked for.</summary>
    public Device Device { get; }

    /// <summary>Set when the run's device is not the one used (a cuda run on a machine without CUDA runs on the CPU).</summary>
    public string? DeviceNote { get; }

    /// <summary>The inference device: <paramref name="requested"/> (cpu, cuda or auto = cuda when available) or, when
    /// null, the device the run trained on, falling back to the CPU with a note where that is cuda and there is none.
    /// Asking for cuda where there is none is an ArgumentException naming the option.</summary>
    public static (Device device, string? note) ResolveDevice(string? requested, ModelCard card, string source)
    {
        var cuda = torch.cuda.is_available();
        switch (requested)
        {
            case null:
                if (card.Device != "cuda") return (CPU, null);
                return cuda ? (CUDA, null) : (CPU, $"{source}: trained on cuda; this machine has no CUDA device, so it runs on the CPU");
            case "cpu": return (CPU, null);
            case "auto": return (cuda ? CUDA : CPU, null);
            case "cuda":
                if (!cuda) throw new ArgumentException("--device cuda: no CUDA device is available here (TorchSharp-cpu, or no GPU/driver); use cpu or auto");
                return (CUDA, null);
            default:
                throw new ArgumentException($"--device {requested}: not a device; use cpu, cuda or auto");
        }
    }

    public ModelCard Card { get; }
    public string Source { get; }
    public IReadOnlyList<string> Classes => Card.Classes;
    public InputKinds Inputs => spec.Inputs;
    /// <summary>Models that read a whole clip through their training front end: frame sequences (LRCN, ConvLSTM),
    /// audio + face frames (the fusion LSTM), AV statistics (the AV transformer).</summary>
    public bool TakesClips => RolesOf(Card).Clips;
    /// <summary>Clip models that also need the audio track (combined analysis).</summary>
    public bool TakesAudioVisualClips => RolesOf(Card).AudioVisualClips;
    public bool TakesAudio => RolesOf(Card).Audio;
    public bool TakesFaces => RolesOf(Card).Faces;
    /// <summary>Whether <see cref="Explain"/> gives a Grad-CAM heatmap (a face ResNet without landmarks).</summary>
    public bool CanExplain => model is FaceResNet face && face.Options.LandmarkCount == 0;

    /// <summary>What a run can analyse, from its model.json alone (no checkpoint loaded): audio windows, face crops,
    /// or whole clips through its front end (and whether those clips need the audio track).</summary>
    public static ModelRoles RolesOf(ModelCard card)
    {
        var inputs = ModelRegistry.Get(card.Model).Inputs;
        var clips = card.Features.Kind is FeatureKind.Frames or FeatureKind.FacesAudio or FeatureKind.AvStats;
        return new ModelRoles(
            Audio: !clips && (inputs.HasFlag(InputKinds.Audio) || (inputs.HasFlag(InputKinds.Features) && card.Features.Kind is FeatureKind.Mfcc or FeatureKind.Handcrafted or FeatureKind.MfccStats)),
            Faces: !clips && inputs.HasFlag(InputKinds.Image),
            Clips: clips,
            AudioVisualClips: card.Features.Kind is FeatureKind.FacesAudio or FeatureKind.AvStats);
    }

    /// <summary>Loads a run folder or a model.json path onto the run's own device.</summary>
    public static Predictor Load(string runOrCard) => Load(runOrCard, null);

    /// <summary>Loads a run folder or a model.json path onto <paramref name="device"/> (cpu, cuda, auto; null: the
    /// run's own device, see <see cref="ResolveDevice"/>). Classical models always run on the CPU.</summary>
    public static Predictor Load(string runOrCard, string? device)
    {
        var cardPath = Directory.Exists(runOrCard) ? RunFolder.At(runOrCard).ModelJson : runOrCard;
        var card = ModelCard.Load(cardPath);
        var (target, note) = ResolveDevice(device, card, cardPath);
        var checkpoint = Path.IsPathRooted(card.Checkpoint) ? card.Checkpoint : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(cardPath))!, card.Checkpoint);
        if (!File.Exists(checkpoint)) throw new FileNotFoundException($"{cardPath}: its checkpoint {checkpoint} does not exist", checkpoint);
        if (ModelRegistry.All.FirstOrDefault(s => s.Name == card.Model) is { IsClassical: true } classicalSpec)
            return new Predictor(card, null, LoadClassical(card, classicalSpec, checkpoint, cardPath), cardPath, CPU, null);
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
        return new Predictor(card, model, null, cardPath, target, note);
    }

    private static PredictFunction LoadClassical(ModelCard card, ModelSpec spec, string checkpoint, string cardPath)
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
            return ClassicalModel.Load(checkpoint, card.Classes.Length, options.InputSize).PredictRows;
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{checkpoint} cannot be loaded for {cardPath} ({card.Model}): {e.Message}", e);
        }
    }

    /// <summary>Class probabilities for one feature array laid out as in training ([rows, frames] MFCC,
    /// [1, 48, 48] pixels, ...), after the run's standardization and PCA; <c>extra</c> are the further
    /// inputs of a multi-input model (the fusion model's face frames), as its front end makes them.</summary>
    /// <summary>Features as the model reads them: the speaker's standardization (speaker_norm runs), then the run's
    /// own transform (training scaler, PCA).</summary>
    private (float[] x, long[] shape) Prepare(float[] features, long[] shape)
    {
        if (Card.Features.SpeakerNorm)
            features = (speakerScaler ?? throw new InvalidOperationException(
                $"{Source}: this model standardizes features per speaker (features.speaker_norm): give several clips of the speaker (--speaker-clips <folder or files>)")).Transform(features);
        return Card.Transform(features, shape);
    }

    public double[] Predict(float[] features, long[] shape, IReadOnlyList<FeatureArray>? extra = null)
    {
        (var x, shape) = Prepare(features, shape);
        lock (gate) return PredictPrepared(x, shape, extra);
    }

    private double[] PredictPrepared(float[] x, long[] shape, IReadOnlyList<FeatureArray>? extra)
    {
        if (classical != null) return classical([x])[0];
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var t = tensor(x, [1, .. shape]).to(Device);
        var extras = (extra ?? []).Select(e => tensor(e.Data, [1, .. e.Shape]).to(Device)).ToList();
        var probs = model!.call(ModelInputMapping.ToInputs(spec, t, extras)).softmax(1).to(ScalarType.Float64).cpu().data<double>().ToArray();
        return probs;
    }

    /// <summary>Class probabilities of a whole clip (a file) through the run's own front end: exactly the features
    /// it was trained on.</summary>
    public double[] PredictClip(string path)
    {
        FeatureArray primary;
        List<FeatureArray> extras;
        lock (gate)
        {
            frontEnd ??= FrontEnd.Create(Card.Features);
            primary = frontEnd.Primary.Extract(path);
            extras = frontEnd.Extras.Select(x => x.Extract(path)).ToList();
        }
        return Predict(primary.Data, primary.Shape, extras);
    }

    private FrontEnd? frontEnd;
    private FeatureScaler? speakerScaler;

    /// <summary>Clips whose statistics standardized this model's inputs (features.speaker_norm runs), 0 before
    /// <see cref="UseSpeakerClips"/>.</summary>
    public int SpeakerClipCount { get; private set; }

    /// <summary>Fits the per-speaker statistics of a speaker_norm run from clips of the speaker being analysed,
    /// through the run's own front end (as training did from each speaker's utterances; labels are never needed).
    /// Needs at least two clips; the more, the closer to training (RAVDESS speakers had 60).</summary>
    public void UseSpeakerClips(IReadOnlyList<string> paths)
    {
        if (!Card.Features.SpeakerNorm)
            throw new ArgumentException($"{Source}: speaker clips were given, but this model does not standardize per speaker (features.speaker_norm is off)");
        if (paths.Count < 2)
            throw new ArgumentException($"{Source}: per-speaker statistics need at least 2 clips of the speaker, got {paths.Count}");
        lock (gate) frontEnd ??= FrontEnd.Create(Card.Features);
        var features = new List<float[]>();
        long[]? shape = null;
        foreach (var path in paths)
        {
            FeatureArray f;
            try
            {
                lock (gate) f = frontEnd.Primary.Extract(path);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException)
            {
                throw new InvalidDataException($"speaker clip {path}: {e.Message}", e);
            }
            if (shape != null && !shape.SequenceEqual(f.Shape))
                throw new InvalidDataException($"speaker clip {path}: features of shape [{string.Join(", ", f.Shape)}] differ from the first clip's [{string.Join(", ", shape)}]");
            shape ??= f.Shape;
            features.Add(f.Data);
        }
        speakerScaler = SpeakerNormalizer.FitOne(features, shape!);
        SpeakerClipCount = paths.Count;
    }

    public EmotionEstimate Estimate(double[] probabilities) => Estimate(probabilities, Classes);

    /// <summary>Grad-CAM heatmap of a class for one face crop ([1, size, size] in [0, 1]); null when the model is not a
    /// face ResNet without landmarks.</summary>
    public float[]? Explain(float[] features, long[] shape, int classIndex)
    {
        if (model is not FaceResNet face || face.Options.LandmarkCount > 0) return null;
        lock (gate)
        {
            using var scope = NewDisposeScope();
            return GradCam.Compute(face, tensor(features, [1, .. shape]).to(Device), classIndex);
        }
    }

    /// <summary>Grad-CAM maps of a class for one item of any convolutional model (every stage it exposes: audio
    /// ResNet, the CNN+Transformer's conv branches, LRCN/ConvLSTM frames, the fusion encoders, face ResNets), features
    /// laid out as in <see cref="Predict"/>; empty for a model without convolutions.</summary>
    public IReadOnlyList<ClassActivationMap> ExplainMaps(float[] features, long[] shape, int classIndex, IReadOnlyList<FeatureArray>? extra = null)
    {
        if (model is null) return []; // a classical model has no convolutions
        (var x, shape) = Prepare(features, shape);
        lock (gate)
        {
            using var scope = NewDisposeScope();
            var t = tensor(x, [1, .. shape]).to(Device);
            var extras = (extra ?? []).Select(e => tensor(e.Data, [1, .. e.Shape]).to(Device)).ToList();
            return GradCam.Compute(model, ModelInputMapping.ToInputs(spec, t, extras), classIndex);
        }
    }

    /// <summary>Whether the model reads one feature vector (the MLP, the AV transformer, the classical baselines), so
    /// that <see cref="ExplainAttributions"/> applies.</summary>
    public bool ReadsFeatureVector => classical != null || model?.Inputs == InputKinds.Features;

    /// <summary>Whether <see cref="ExplainMaps"/> can give maps: a TorchSharp model whose input is image-like.</summary>
    public bool HasConvolutionalInput => model != null && model.Inputs != InputKinds.Features;

    /// <summary>Shapley values (<see cref="ShapleySampling"/>, antithetic permutations) of one feature vector's
    /// probability of <paramref name="classIndex"/>, against one background row: the training mean, which the run's
    /// standardization maps to all zeros (a run without a scaler: all-zero features, said in
    /// <see cref="AttributionBaseline"/>). Features laid out as in <see cref="Predict"/>; the values are those of the
    /// features the model reads (after the scaler and PCA), named by <see cref="FeatureNaming"/>. Null for a model that
    /// does not read a feature vector.</summary>
    public (string[] Names, double[] Values, double[] StandardErrors, double Prediction, double Baseline)? ExplainAttributions(
        float[] features, long[] shape, int classIndex, int permutations = 16, int seed = 0)
    {
        if (!ReadsFeatureVector) return null;
        (var x, _) = Prepare(features, shape);
        var predict = classical ?? PredictFunctions.For(model!);
        ShapleyResult r;
        lock (gate) r = ShapleySampling.Estimate(predict, x, [new float[x.Length]], permutations, seed);
        return (FeatureNaming.Of(Card.Features, x.Length, Card.Pca != null), r.Of(classIndex), r.StandardErrorsOf(classIndex),
            r.Prediction[classIndex], r.Expected[classIndex]);
    }

    /// <summary>What the background row of <see cref="ExplainAttributions"/> stands for.</summary>
    public string AttributionBaseline => Card.Scaler != null || Card.Pca != null
        ? "the training mean (all-zero standardized features)" : "all-zero features (this run does not standardize its features)";

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
