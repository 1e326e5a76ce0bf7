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

    /// <summary>The real corpora's root, from $AVERLAB_DATA (<c>scripts/notebooks.sh run --data &lt;root&gt;</c>): it
    /// holds <c>ravdess-speech-*/Actor_NN</c> folders and <c>fer2013/&lt;Usage&gt;/&lt;emotion&gt;/*.jpg</c>. Null when
    /// unset: the notebooks then use the synthetic corpus. A set variable naming no folder is an error, not a silent
    /// fall back.</summary>
    public static string? DataRoot
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("AVERLAB_DATA");
            if (string.IsNullOrWhiteSpace(env)) return null;
            if (!Directory.Exists(env)) throw new DirectoryNotFoundException($"AVERLAB_DATA={env}: no such folder");
            return Path.GetFullPath(env);
        }
    }

    public static bool RealData => DataRoot != null;

    /// <summary>One line for a notebook's first output: which data it runs on.</summary>
    public static string Describe() => RealData
        ? $"real data under {DataRoot} (AVERLAB_DATA); runs kept short for a 2-core CPU: small subsets, few epochs"
        : "AverLab's synthetic corpus (set AVERLAB_DATA, or run scripts/notebooks.sh run --data <root>, for real data)";

    /// <summary>A RAVDESS speech root: with real data, the first <paramref name="actors"/> actors of every
    /// <c>ravdess-speech-*</c> folder under <see cref="DataRoot"/>, linked into one folder (the corpus reader wants one
    /// root); else the synthetic corpus's RAVDESS folder (its 4 actors).</summary>
    public static string Speech(int actors = 12)
    {
        if (DataRoot is not { } data) return Path.Combine(Corpus(), "ravdess");
        var found = Directory.GetDirectories(data, "ravdess-speech-*").SelectMany(d => Directory.GetDirectories(d, "Actor_*"))
            .OrderBy(Path.GetFileName, StringComparer.Ordinal).Take(actors).ToList();
        if (found.Count == 0) throw new DirectoryNotFoundException($"{data}: no ravdess-speech-*/Actor_NN folders");
        return LinkFolder($"ravdess-real-{found.Count}", found.Select(d => (Path.GetFileName(d), d)));
    }

    /// <summary>A FER2013 root: with real data, the first <paramref name="trainPerClass"/> Training and
    /// <paramref name="testPerClass"/> PublicTest faces of each emotion under <see cref="DataRoot"/>/fer2013, linked
    /// into <c>&lt;Usage&gt;/&lt;emotion&gt;/</c> folders (file order, no choice by content); else the synthetic FER2013 CSV.</summary>
    public static string Faces(int trainPerClass = 200, int testPerClass = 60)
    {
        if (DataRoot is not { } data) return Path.Combine(Corpus(), "fer2013", "fer2013.csv");
        var fer = Path.Combine(data, "fer2013");
        if (!Directory.Exists(Path.Combine(fer, "Training"))) throw new DirectoryNotFoundException($"{fer}: no Training/<emotion>/ folders");
        var links = new List<(string, string)>();
        foreach (var (usage, take) in new[] { ("Training", trainPerClass), ("PublicTest", testPerClass) })
            foreach (var emotion in Directory.GetDirectories(Path.Combine(fer, usage)).Order(StringComparer.Ordinal))
                foreach (var file in Directory.GetFiles(emotion).Order(StringComparer.Ordinal).Take(take))
                    links.Add((Path.Combine(usage, Path.GetFileName(emotion), Path.GetFileName(file)), file));
        return LinkFolder($"fer2013-real-{trainPerClass}-{testPerClass}", links);
    }

    /// <summary>A folder under <see cref="Root"/> of symbolic links (name → target), made once: the real files stay
    /// where they are.</summary>
    private static string LinkFolder(string name, IEnumerable<(string Name, string Target)> links)
    {
        var dir = Path.Combine(Root, name);
        if (Directory.Exists(dir)) return dir;
        var temp = $"{dir}.{Environment.ProcessId}.tmp";
        foreach (var (link, target) in links)
        {
            var path = Path.Combine(temp, link);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.CreateSymbolicLink(path, target);
        }
        Directory.Move(temp, dir);
        return dir;
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
