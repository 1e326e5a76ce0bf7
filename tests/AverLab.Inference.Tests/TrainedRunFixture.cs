using AverLab.Data.Synthetic;
using AverLab.Training.Configuration;
using AverLab.Training.Experiments;

namespace AverLab.Inference.Tests;

/// <summary>A small synthetic corpus (4 actors, audio + a few mp4s) and an audio model trained on it for a few
/// epochs: enough for the inference plumbing, not for accuracy (the ≥ 90% figure is measured on the quickstart).</summary>
public sealed class TrainedRunFixture : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("averlab-infer-").FullName;
    public string Run { get; }
    /// <summary>A FaceResNet18 trained one epoch on the synthetic FER CSV (unified labels), for image analysis.</summary>
    public string FaceRun { get; }
    /// <summary>The audio + faces fusion LSTM trained one epoch on the corpus's mp4s (5 classes), a clip model.</summary>
    public string FusionRun { get; }
    public string Corpus => Path.Combine(Root, "corpus", "ravdess");

    public TrainedRunFixture()
    {
        SyntheticCorpus.Generate(Path.Combine(Root, "corpus"), new SyntheticCorpusOptions
        {
            Seed = 2, Actors = 4, AllCombinations = false, Video = true, FerPerClass = 12,
        });
        var yaml = $$"""
            name: infer
            seed: 1
            data:
              corpus: ravdess
              root: {{Corpus}}
              split: {protocol: speaker_holdout, test_fraction: 0.25, val_fraction: 0.25}
            features: {kind: mfcc, sample_rate: 16000, duration: 1.5, n_fft: 512, hop_length: 160, n_mels: 40}
            model:
              name: audio_cnn_transformer
              params: {transformer_layers: 1}
            training:
              epochs: 2
              batch_size: 8
              threads: 1
            output: {root: {{Path.Combine(Root, "runs")}}}
            """;
        Run = ExperimentRunner.Run(ConfigLoader.FromText(yaml, "infer.yaml"), new RunOptions { BootstrapSamples = 0 }).Folder.Path;
        var face = $$"""
            name: infer_face
            seed: 1
            data:
              corpus: fer2013
              root: {{Path.Combine(Root, "corpus", "fer2013", "fer2013.csv")}}
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
            output: {root: {{Path.Combine(Root, "runs")}}}
            """;
        FaceRun = ExperimentRunner.Run(ConfigLoader.FromText(face, "infer_face.yaml"), new RunOptions { BootstrapSamples = 0 }).Folder.Path;
        var fusion = $$"""
            name: infer_fusion
            seed: 1
            data:
              corpus: ravdess
              root: {{Corpus}}
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
            output: {root: {{Path.Combine(Root, "runs")}}}
            """;
        FusionRun = ExperimentRunner.Run(ConfigLoader.FromText(fusion, "infer_fusion.yaml"), new RunOptions { BootstrapSamples = 0 }).Folder.Path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition("trained run")]
public sealed class TrainedRunCollection : ICollectionFixture<TrainedRunFixture>;
