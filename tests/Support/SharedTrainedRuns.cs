using AverLab.Data.Synthetic;
using AverLab.Training.Configuration;
using AverLab.Training.Experiments;

namespace AverLab.Tests.Support;

/// <summary>The small trained runs the inference, predict and web tests analyse with, trained once per code version
/// (<see cref="TrainedRunCache"/>) and copied into a fresh folder per test process: a synthetic corpus (4 actors,
/// audio, a few mp4s, a FER CSV of 12 faces per class) and, on it, an audio CNN+Transformer (2 epochs), a face ResNet18
/// (1 epoch, unified labels), the audio + faces fusion LSTM (1 epoch, 5 classes), a random forest on MFCC statistics and
/// a CNN+Transformer without conv branches (1 epoch). Enough for the plumbing, not for accuracy (the quickstart measures
/// that). <c>experiments/</c> holds the audio and face runs only, the folder a web app serves; the fusion run is under
/// <c>clip-runs/</c>, the last two under <c>experiments-explain/</c>.</summary>
public sealed class SharedTrainedRuns
{
    /// <summary>The corpus and every config, with ROOT for the folder they are trained in.</summary>
    private const string Recipe = """
        corpus: seed 2, actors 4, all combinations false, video true, fer per class 12
        ---
        name: web_audio
        seed: 1
        data:
          corpus: ravdess
          root: ROOT/corpus/ravdess
          split: {protocol: speaker_holdout, test_fraction: 0.25, val_fraction: 0.25}
        features: {kind: mfcc, sample_rate: 16000, duration: 1.5, n_fft: 512, hop_length: 160, n_mels: 40}
        model:
          name: audio_cnn_transformer
          params: {transformer_layers: 1}
        training:
          epochs: 2
          batch_size: 8
          threads: 2
        output: {root: ROOT/experiments}
        ---
        name: web_face
        seed: 1
        data:
          corpus: fer2013
          root: ROOT/corpus/fer2013/fer2013.csv
          modality: image
          labels: unified
          split: {protocol: usage}
        features: {kind: pixels, image_size: 48, grayscale: true}
        model:
          name: face_resnet
        training:
          epochs: 1
          batch_size: 32
          threads: 2
        output: {root: ROOT/experiments}
        ---
        name: infer_fusion
        seed: 1
        data:
          corpus: ravdess
          root: ROOT/corpus/ravdess
          modality: audio_visual
          labels: simple5
          split: {protocol: speaker_holdout, test_fraction: 0.25, val_fraction: 0.25}
        features: {kind: faces_audio, sample_rate: 16000, n_mfcc: 13, duration: 1.5, frames: 2, image_size: 32, grayscale: true}
        model:
          name: av_fusion_lstm
        training:
          epochs: 1
          batch_size: 8
          threads: 2
        output: {root: ROOT/clip-runs}
        ---
        name: web_forest
        seed: 1
        data:
          corpus: ravdess
          root: ROOT/corpus/ravdess
          split: {protocol: speaker_holdout, test_fraction: 0.25, val_fraction: 0.25}
        features: {kind: mfcc_stats, sample_rate: 16000, duration: 1.5, n_mfcc: 20}
        model: {name: random_forest, params: {trees: 20}}
        output: {root: ROOT/experiments-explain}
        ---
        name: web_noconv
        seed: 1
        data:
          corpus: ravdess
          root: ROOT/corpus/ravdess
          split: {protocol: speaker_holdout, test_fraction: 0.25, val_fraction: 0.25}
        features: {kind: mfcc, sample_rate: 16000, duration: 1.5, n_fft: 512, hop_length: 160, n_mels: 40}
        model: {name: audio_cnn_transformer, params: {transformer_layers: 1, conv_branches: 0}}
        training: {epochs: 1, batch_size: 8, threads: 2}
        output: {root: ROOT/experiments-explain}
        """;

    /// <summary>Bootstrap resamples of the test metrics: enough for confidence intervals to exist.</summary>
    private const int Bootstrap = 50;

    public SharedTrainedRuns(string root)
    {
        Root = root;
        TrainedRunCache.Materialize("shared-runs", Recipe, typeof(ExperimentRunner).Assembly, Build, Root);
        AudioRun = OnlyRun(Path.Combine(Experiments, "web_audio"));
        FaceRun = OnlyRun(Path.Combine(Experiments, "web_face"));
        FusionRun = OnlyRun(Path.Combine(Root, "clip-runs", "infer_fusion"));
    }

    public string Root { get; }
    public string Corpus => Path.Combine(Root, "corpus", "ravdess");
    public string Experiments => Path.Combine(Root, "experiments");
    public string AudioRun { get; }
    public string FaceRun { get; }
    public string FusionRun { get; }

    /// <summary>A second experiments folder (so the tests that count <see cref="Experiments"/>' runs keep their two): a
    /// random forest on MFCC statistics (a feature-vector model: Shapley values) and a CNN+Transformer with no conv
    /// branch (no convolutional stage: no Grad-CAM, and the result says why).</summary>
    public string ExplanationExperiments => Path.Combine(Root, "experiments-explain");

    private static void Build(string root)
    {
        SyntheticCorpus.Generate(Path.Combine(root, "corpus"), new SyntheticCorpusOptions
        {
            Seed = 2, Actors = 4, AllCombinations = false, Video = true, FerPerClass = 12,
        });
        Train(Recipe[(Recipe.IndexOf("---", StringComparison.Ordinal) + 3)..], root);
    }

    private static void Train(string configs, string root)
    {
        foreach (var yaml in configs.Split("---", StringSplitOptions.RemoveEmptyEntries))
        {
            var text = yaml.Replace("ROOT", root, StringComparison.Ordinal);
            ExperimentRunner.Run(ConfigLoader.FromText(text, "shared.yaml"), new RunOptions { BootstrapSamples = Bootstrap });
        }
    }

    private static string OnlyRun(string experiment) => Directory.GetDirectories(experiment).Single(d => !Path.GetFileName(d).StartsWith('.'));
}
