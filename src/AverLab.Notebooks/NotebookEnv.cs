using AverLab.Data.Synthetic;
using AverLab.Training.Configuration;
using AverLab.Training.Experiments;
using AverLab.Runs;

namespace AverLab.Notebooks;

/// <summary>Where notebooks keep their data and runs, and the small synthetic corpus and quick run they share, so
/// each notebook also runs on its own. The folder is $AVERLAB_NOTEBOOK_DIR, or notebooks/.work in the checkout.</summary>
public static class NotebookEnv
{
    public static string Root
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("AVERLAB_NOTEBOOK_DIR");
            if (!string.IsNullOrEmpty(env)) return Directory.CreateDirectory(env).FullName;
            var dir = Directory.GetCurrentDirectory();
            for (var d = dir; d != null; d = Path.GetDirectoryName(d))
                if (File.Exists(Path.Combine(d, "AverLab.sln"))) return Directory.CreateDirectory(Path.Combine(d, "notebooks", ".work")).FullName;
            return Directory.CreateDirectory(Path.Combine(dir, ".averlab-notebooks")).FullName;
        }
    }

    /// <summary>A small synthetic corpus (4 actors; speech wavs, a few mp4s, 140 FER faces), generated once.</summary>
    public static string Corpus()
    {
        var dir = Path.Combine(Root, "synthetic");
        if (!File.Exists(Path.Combine(dir, "synthetic.txt")))
            SyntheticCorpus.Generate(dir, new SyntheticCorpusOptions { Seed = 11, Actors = 4, AllCombinations = false, Video = true, FerPerClass = 20 });
        return dir;
    }

    /// <summary>The notebooks' quick training config: quickstart's model on 1.5 s clips, a few epochs.</summary>
    public static string QuickConfig(int epochs = 4) => $$"""
        name: notebook_quick
        seed: 3
        data:
          corpus: ravdess
          root: {{Path.Combine(Corpus(), "ravdess")}}
          split: {protocol: speaker_holdout, test_fraction: 0.25, val_fraction: 0.25}
        features: {kind: mfcc, sample_rate: 16000, duration: 1.5, n_mfcc: 40, n_fft: 512, hop_length: 160, n_mels: 40}
        model:
          name: audio_cnn_transformer
          params: {transformer_layers: 1}
        training:
          epochs: {{epochs}}
          batch_size: 8
          threads: 1
          optimizer: {name: adam, lr: 0.001}
        output: {root: {{Path.Combine(Root, "experiments")}}}
        """;

    /// <summary>The latest finished quick run, trained now when there is none.</summary>
    public static string QuickRun()
    {
        var runs = Path.Combine(Root, "experiments", "notebook_quick");
        var done = Directory.Exists(runs)
            ? Directory.GetDirectories(runs).Where(d => RunFolder.At(d).HasMetrics).Order().LastOrDefault()
            : null;
        return done ?? ExperimentRunner.Run(ConfigLoader.FromText(QuickConfig(), "notebook_quick.yaml"), new RunOptions { BootstrapSamples = 200 }).Folder.Path;
    }
}
