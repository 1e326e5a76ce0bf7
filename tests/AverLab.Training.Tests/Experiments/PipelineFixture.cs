using AverLab.Data.Synthetic;

namespace AverLab.Training.Tests.Experiments;

/// <summary>A small synthetic RAVDESS corpus shared by the pipeline tests: 4 actors, one clip per emotion and
/// intensity (60 wavs), audio only; generated once per test run.</summary>
public sealed class PipelineFixture : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("averlab-pipeline-").FullName;

    public PipelineFixture() =>
        SyntheticCorpus.Generate(Path.Combine(Root, "corpus"), new SyntheticCorpusOptions
        {
            Seed = 3, Actors = 4, AllCombinations = false, Video = false, FerPerClass = 0,
        });

    public string Ravdess => Path.Combine(Root, "corpus", "ravdess");

    /// <summary>A quick config: 1 s clips, a reduced CNN+Transformer, a few epochs.</summary>
    public string Config(string name, int epochs = 3, string extra = "") => $$"""
        name: {{name}}
        seed: 5
        data:
          corpus: ravdess
          root: {{Ravdess}}
          labels: native
          split: {protocol: speaker_holdout, test_fraction: 0.25, val_fraction: 0.25}
        features: {kind: mfcc, sample_rate: 16000, duration: 1.0, n_mfcc: 40, n_fft: 512, hop_length: 160, n_mels: 40}
        model:
          name: audio_cnn_transformer
          params: {transformer_layers: 1}
        training:
          epochs: {{epochs}}
          batch_size: 8
          threads: 1
          optimizer: {name: sgd, lr: 0.01, momentum: 0.8}
        output:
          root: {{Path.Combine(Root, "runs")}}
        {{extra}}
        """;

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition("pipeline")]
public sealed class PipelineCollection : ICollectionFixture<PipelineFixture>;
