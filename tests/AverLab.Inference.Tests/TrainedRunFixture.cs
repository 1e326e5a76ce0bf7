using AverLab.Tests.Support;

namespace AverLab.Inference.Tests;

/// <summary>The shared trained runs (<see cref="SharedTrainedRuns"/>: a small synthetic corpus, an audio
/// CNN+Transformer, a face ResNet18 and the fusion LSTM), copied into a folder of this process: enough for the
/// inference plumbing, not for accuracy (the ≥ 90% figure is measured on the quickstart).</summary>
public sealed class TrainedRunFixture : IDisposable
{
    private readonly SharedTrainedRuns runs = new(Directory.CreateTempSubdirectory("averlab-infer-").FullName);

    public string Root => runs.Root;
    public string Run => runs.AudioRun;
    /// <summary>A FaceResNet18 trained one epoch on the synthetic FER CSV (unified labels), for image analysis.</summary>
    public string FaceRun => runs.FaceRun;
    /// <summary>The audio + faces fusion LSTM trained one epoch on the corpus's mp4s (5 classes), a clip model.</summary>
    public string FusionRun => runs.FusionRun;
    public string Corpus => runs.Corpus;

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition("trained run")]
public sealed class TrainedRunCollection : ICollectionFixture<TrainedRunFixture>;
