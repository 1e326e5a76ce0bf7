using AverLab.Data.Synthetic;
using AverLab.IO;
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
        return LinkFolder($"fer2013-real-{trainPerClass}-{testPerClass}",
            [.. FerLinks(fer, "Training", trainPerClass), .. FerLinks(fer, "PublicTest", testPerClass)]);
    }

    /// <summary>The first <paramref name="take"/> faces (file order, no choice by content) of each emotion under
    /// <c>&lt;fer&gt;/&lt;usage&gt;/</c>, as link name → file.</summary>
    private static IEnumerable<(string Name, string Target)> FerLinks(string fer, string usage, int take) =>
        from emotion in Directory.GetDirectories(Path.Combine(fer, usage)).Order(StringComparer.Ordinal)
        from file in Directory.GetFiles(emotion).Order(StringComparer.Ordinal).Take(take)
        select (Path.Combine(usage, Path.GetFileName(emotion), Path.GetFileName(file)), file);

    /// <summary>Only the faces a <see cref="Faces"/> run is tested on, for scoring another model (the shipped package)
    /// on the same items without its training faces: with real data the same PublicTest faces, linked into
    /// <c>PublicTest/&lt;emotion&gt;/</c>; else the synthetic CSV's rows of its test usage (PrivateTest when it has
    /// any, as the preset split does).</summary>
    public static string FaceTestSet(int testPerClass = 60)
    {
        if (DataRoot is not { } data)
        {
            var csv = Faces();
            var lines = File.ReadAllLines(csv);
            var usage = Array.IndexOf(lines[0].Split(','), "Usage");
            if (usage < 0) throw new InvalidDataException($"{csv}: no Usage column");
            string UsageOf(string line) => line.Split(',')[usage].Trim();
            var test = lines.Skip(1).Any(l => UsageOf(l) == "PrivateTest") ? "PrivateTest" : "PublicTest";
            var path = Path.Combine(Root, $"fer2013-synthetic-{test}.csv");
            if (!File.Exists(path))
                AtomicFile.WriteAllText(path, string.Concat(lines.Take(1).Concat(lines.Skip(1).Where(l => UsageOf(l) == test)).Select(l => l + "\n")));
            return path;
        }
        var fer = Path.Combine(data, "fer2013");
        if (!Directory.Exists(Path.Combine(fer, "PublicTest"))) throw new DirectoryNotFoundException($"{fer}: no PublicTest/<emotion>/ folders");
        return LinkFolder($"fer2013-real-publictest-{testPerClass}", FerLinks(fer, "PublicTest", testPerClass));
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

    /// <summary>The notebooks' quick training config: quickstart's model (CNN + Transformer on MFCCs) on 1.5 s clips,
    /// a few epochs, on <see cref="Speech"/>'s first 4 actors.</summary>
    public static string QuickConfig(int epochs = 4) => $$"""
        name: notebook_quick
        seed: 3
        data:
          corpus: ravdess
          root: {{Speech(actors: 4)}}
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
    public static string QuickRun() => LatestRun("notebook_quick") ?? Train(QuickConfig(), "notebook_quick.yaml");

    /// <summary>The speech recipe of the shipped ravdess-speech package (feature MLP on 1020 hand-crafted statistics of
    /// one clip), on <paramref name="actors"/> actors held out by speaker (a quarter test, a quarter validation).</summary>
    public static string SpeechConfig(int epochs, int actors = 8) => $$"""
        name: notebook_speech
        seed: 42
        data:
          corpus: ravdess
          root: {{Speech(actors)}}
          split: {protocol: speaker_holdout, test_fraction: 0.25, val_fraction: 0.25}
        features: {kind: handcrafted, sample_rate: 22050, offset: 0.5, duration: 3.0}
        model:
          name: feature_mlp
          params: {hidden_sizes: [256], dropout: 0.5}
        training:
          epochs: {{epochs}}
          batch_size: 32
          threads: 2
          optimizer: {name: adam_w, lr: 0.001, weight_decay: 0.01}
          label_smoothing: 0.1
        output: {root: {{Path.Combine(Root, "experiments")}}}
        """;

    /// <summary>Epochs of the notebooks' speech run: 40 on real data, 15 on the synthetic corpus.</summary>
    public static int SpeechEpochs => RealData ? 40 : 15;

    /// <summary>The latest finished speech run (notebook 02's), trained now when there is none.</summary>
    public static string SpeechRun() => LatestRun("notebook_speech") ?? Train(SpeechConfig(SpeechEpochs), "notebook_speech.yaml");

    /// <summary>The shipped face recipe (configs/fer2013_face.yaml: fer_vgg, one-cycle SGD, augmentation) on a FER2013
    /// subset (<see cref="Faces"/>) for a few epochs: a short schedule, not the package's 30 epochs on 28,709 faces.</summary>
    public static string FaceConfig(int epochs) => $$"""
        name: notebook_face
        seed: 42
        data:
          corpus: fer2013
          root: {{Faces()}}
          modality: image
          labels: native
          split: {protocol: usage}
        features: {kind: pixels, image_size: 48, grayscale: true}
        model:
          name: fer_vgg
          params: {channels: [32, 64, 128, 256], convs_per_stage: 2, hidden_size: 256, dropout: 0.4, flip_average: true}
        training:
          epochs: {{epochs}}
          batch_size: 64
          threads: 2
          optimizer: {name: sgd, lr: 0.004, momentum: 0.9, nesterov: true, weight_decay: 0.0005}
          scheduler: {name: one_cycle, max_lr: 0.1}
          label_smoothing: 0.1
        augmentation:
          image:
            - {name: hflip, p: 0.5}
            - {name: affine, p: 0.8, range: [-12, 12]}
        output: {root: {{Path.Combine(Root, "experiments")}}}
        """;

    /// <summary>Epochs of the notebooks' face run: 8 on real data, 3 on the synthetic faces.</summary>
    public static int FaceEpochs => RealData ? 8 : 3;

    /// <summary>The latest finished face run (notebook 03's), trained now when there is none.</summary>
    public static string FaceRun() => LatestRun("notebook_face") ?? Train(FaceConfig(FaceEpochs), "notebook_face.yaml");

    /// <summary>The newest finished run of an experiment under <see cref="Root"/>, or null.</summary>
    public static string? LatestRun(string experiment)
    {
        var runs = Path.Combine(Root, "experiments", experiment);
        return Directory.Exists(runs)
            ? Directory.GetDirectories(runs).Where(d => !Path.GetFileName(d).StartsWith('.') && RunFolder.At(d).HasMetrics).Order(StringComparer.Ordinal).LastOrDefault()
            : null;
    }

    private static string Train(string yaml, string name) =>
        ExperimentRunner.Run(ConfigLoader.FromText(yaml, name), new RunOptions { BootstrapSamples = 200 }).Folder.Path;

    /// <summary>The installed model packages (the repository's models/, or $AVERLAB_MODELS), found from the current
    /// folder as averlab-predict finds them.</summary>
    public static IReadOnlyList<AverLab.Inference.InstalledPackage> Packages() => AverLab.Inference.ModelPackages.Find(AverLab.Inference.ModelPackages.Locations(
        Environment.GetEnvironmentVariable(AverLab.Inference.ModelPackages.EnvironmentVariable), AverLab.Inference.ModelPackages.RepoModelsDir(Directory.GetCurrentDirectory())));
}
