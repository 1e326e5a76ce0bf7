using AverLab.Training.Configuration;

namespace AverLab.Training.Tests.Configuration;

/// <summary>Every config mistake is reported before work starts, with file:line:column, key path and what is allowed.</summary>
public class ConfigLoaderTests
{
    private const string Valid = """
        name: t
        seed: 7
        data:
          corpus: ravdess
          root: .
          split:
            protocol: speaker_holdout
            test_fraction: 0.2
        model:
          name: feature_mlp
          params:
            hidden_sizes: [64, 32]
        training:
          epochs: 3
          optimizer: {name: sgd, lr: 0.01, momentum: 0.8}
        callbacks:
          - {name: early_stopping, monitor: val_acc, mode: max, patience: 25}
        """;

    private static ConfigException Bad(string yaml, params string[] overrides) =>
        Assert.Throws<ConfigException>(() => ConfigLoader.FromText(yaml, "bad.yaml", overrides));

    [Fact]
    public void ValidConfigBindsEveryLevel()
    {
        var c = ConfigLoader.FromText(Valid, "ok.yaml").Config;
        Assert.Equal("t", c.Name);
        Assert.Equal(7, c.Seed);
        Assert.Equal(CorpusKind.Ravdess, c.Data.Corpus);
        Assert.Equal(OptimizerKind.Sgd, c.Training.Optimizer.Name);
        Assert.Equal(0.8, c.Training.Optimizer.Momentum);
        Assert.Equal(MonitorMode.Max, c.Callbacks[0].Mode);
        Assert.NotNull(c.Model.Params);
    }

    [Fact]
    public void OverridesEditTheTreeAndShowInTheResolvedYaml()
    {
        var loaded = ConfigLoader.FromText(Valid, "ok.yaml", ["training.epochs=9", "output.root=/tmp/x", "training.optimizer.lr=0.5"]);
        Assert.Equal(9, loaded.Config.Training.Epochs);
        Assert.Equal("/tmp/x", loaded.Config.Output.Root);
        Assert.Equal(0.5, loaded.Config.Training.Optimizer.Lr);
        Assert.Contains("epochs: 9", loaded.ResolvedYaml());
    }

    [Fact]
    public void UnknownKeyNamesLineAndAllowedKeys()
    {
        var e = Bad(Valid.Replace("epochs: 3", "epoch: 3"));
        Assert.Equal("bad.yaml:14:3: training.epoch: unknown key 'epoch' (did you mean 'epochs'?); allowed keys: batch_size, bucket_mb, class_weights, device, distributed, epochs, grad_clip, label_smoothing, optimizer, scheduler, threads", e.Message);
    }

    [Fact]
    public void RepeatedOrMissingMilestonesAreRefused()
    {
        // PyTorch decays twice at a repeated milestone, TorchSharp's MultiStepLR once: refused, not trained differently.
        var e = Bad(Valid.Replace("epochs: 3", "epochs: 3\n  scheduler: {name: multi_step, milestones: [2, 5, 5]}"));
        Assert.Contains("bad.yaml:15:", e.Message);
        Assert.Contains("training.scheduler.milestones: milestone 5 is listed 2 times", e.Message);
        Assert.Contains("multi_step needs milestones", Bad(Valid.Replace("epochs: 3", "epochs: 3\n  scheduler: {name: multi_step}")).Message);
        Assert.Contains("epochs >= 1", Bad(Valid.Replace("epochs: 3", "epochs: 3\n  scheduler: {name: multi_step, milestones: [0, 4]}")).Message);
        Assert.Equal([2, 5], ConfigLoader.FromText(Valid.Replace("epochs: 3", "epochs: 3\n  scheduler: {name: multi_step, milestones: [2, 5]}"), "ok.yaml")
            .Config.Training.Scheduler.Milestones);
    }

    [Fact]
    public void WrongTypeNamesTheValue()
    {
        var e = Bad(Valid.Replace("epochs: 3", "epochs: three"));
        Assert.Equal("bad.yaml:14:11: training.epochs: expected an integer, got 'three'", e.Message);
    }

    [Fact]
    public void BadEnumListsAllowedValues()
    {
        var e = Bad(Valid.Replace("corpus: ravdess", "corpus: iemocap"));
        Assert.Equal("bad.yaml:4:11: data.corpus: 'iemocap' is not allowed; allowed values: ravdess, crema_d, fer2013, savee, tess, folder, manifest", e.Message);
    }

    [Fact]
    public void MissingRequiredKey()
    {
        var e = Bad(Valid.Replace("  root: .\n", ""));
        Assert.Equal("bad.yaml:4:3: data: missing required key 'root' (corpus root folder (or CSV file for fer2013/manifest))", e.Message);
    }

    [Fact]
    public void OutOfRange()
    {
        var e = Bad(Valid.Replace("test_fraction: 0.2", "test_fraction: 1.5"));
        Assert.Equal("bad.yaml:8:20: data.split.test_fraction: 1.5 is out of range [0, 0.9]", e.Message);
    }

    [Fact]
    public void SectionGivenAsScalar()
    {
        var e = Bad(Valid.Replace("training:\n  epochs: 3\n  optimizer: {name: sgd, lr: 0.01, momentum: 0.8}", "training: fast"));
        Assert.StartsWith("bad.yaml:13:11: training: expected a section of keys (epochs, batch_size,", e.Message);
    }

    [Fact]
    public void ListExpected()
    {
        var e = Bad(Valid.Replace("callbacks:\n  - {name: early_stopping, monitor: val_acc, mode: max, patience: 25}", "callbacks: early_stopping"));
        Assert.Equal("bad.yaml:16:12: callbacks: expected a list, got 'early_stopping'", e.Message);
    }

    [Fact]
    public void NestedListItemErrorsCarryTheIndex()
    {
        var e = Bad(Valid.Replace("mode: max", "mode: maximum"));
        Assert.Equal("bad.yaml:17:52: callbacks[0].mode: 'maximum' is not allowed; allowed values: min, max", e.Message);
    }

    [Fact]
    public void InvalidYamlIsReportedWithPosition()
    {
        var e = Bad("name: t\ndata: [unclosed\n");
        Assert.StartsWith("bad.yaml:3:1: (document): invalid YAML:", e.Message);
    }

    [Fact]
    public void MissingDataRootSaysHowToMakeIt()
    {
        var e = Bad(Valid.Replace("root: .", "root: data/nowhere"));
        Assert.Equal("bad.yaml:5:9: data.root: 'data/nowhere' does not exist (for the synthetic corpus run: dotnet run --project src/Train -- synth --out data/nowhere)", e.Message);
    }

    [Fact]
    public void CrossFieldRules()
    {
        Assert.Equal("bad.yaml:4:3: data: labels: custom needs a non-empty label_map",
            Bad(Valid.Replace("corpus: ravdess", "corpus: ravdess\n  labels: custom")).Message);
        Assert.Equal("bad.yaml:7:5: data.split: fold 5 does not exist with folds: 5 (use 0..4)",
            Bad(Valid.Replace("protocol: speaker_holdout", "protocol: speaker_kfold\n    fold: 5")).Message);
    }

    [Fact]
    public void CudaIsRefusedNotSilentlyRunOnTheCpu()
    {
        var e = Bad(Valid.Replace("epochs: 3", "epochs: 3\n  device: cuda"));
        Assert.StartsWith("bad.yaml:", e.Message);
        Assert.Contains("training: device: 'cuda' is not available", e.Message);
        Assert.Equal("cpu", ConfigLoader.FromText(Valid.Replace("epochs: 3", "epochs: 3\n  device: cpu"), "ok.yaml").Config.Training.Device);
    }

    [Fact]
    public void BadOverride()
    {
        Assert.Equal("--set training.epochs: training.epochs: an override must look like key.path=value",
            Bad(Valid, "training.epochs").Message);
        Assert.Equal("--set seed.x=1: seed: 'seed' is a value, not a section",
            Bad(Valid, "seed.x=1").Message);
    }

    /// <summary>An error in a --set value names the --set argument, not line 1 of the file.</summary>
    [Fact]
    public void OverrideErrorsNameTheSetArgument()
    {
        Assert.Equal("--set training.epochs=three: training.epochs: expected an integer, got 'three'", Bad(Valid, "training.epochs=three").Message);
        Assert.Equal("--set training.batch_size=[32: training.batch_size: expected an integer, got '[32'", Bad(Valid, "training.batch_size=[32").Message);
        Assert.StartsWith("--set training.epochz=3: training.epochz: unknown key 'epochz' (did you mean 'epochs'?)", Bad(Valid, "training.epochz=3").Message);
        Assert.Equal("--set data.split.test_fraction=2: data.split.test_fraction: 2 is out of range [0, 0.9]", Bad(Valid, "data.split.test_fraction=2").Message);
        Assert.StartsWith("--set model.params.hidden_sizes=wide: model.params.hidden_sizes: expected a list", Bad(Valid, "model.params.hidden_sizes=wide").Message);
        // A value from the file is still reported at its line when an unrelated --set is given.
        Assert.StartsWith("bad.yaml:14:11: training.epochs:", Bad(Valid.Replace("epochs: 3", "epochs: x"), "seed=3").Message);
    }

    /// <summary>`batch_size: [32` (a YAML syntax error) names the file and line, not YamlDotNet's "Operation is not
    /// valid due to the current state of the object.".</summary>
    [Fact]
    public void UnclosedBracketNamesFileAndLine()
    {
        var e = Bad(Valid.Replace("epochs: 3", "epochs: 3\n  batch_size: [32"));
        Assert.StartsWith("bad.yaml:15:15: (document): invalid YAML: ", e.Message);
        Assert.DoesNotContain("Operation is not valid", e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }

    [Fact]
    public void UnknownModelNameHasItsLineAndTheKnownNames()
    {
        var e = Bad(Valid.Replace("name: feature_mlp", "name: feature_mpl"));
        Assert.StartsWith("bad.yaml:10:9: model.name: unknown model 'feature_mpl'; known models: audio_cnn_transformer,", e.Message);
        Assert.DoesNotContain("(Parameter", e.Message);
    }

    /// <summary>model.params binds onto the model's options when the config is read: dry run and run refuse the same
    /// unknown key or wrong type before touching data.</summary>
    [Fact]
    public void ModelParamsAreCheckedWhenRead()
    {
        Assert.StartsWith("bad.yaml:12:5: model.params.hidden: unknown key 'hidden'",
            Bad(Valid.Replace("hidden_sizes: [64, 32]", "hidden: [64, 32]")).Message);
        Assert.Equal("bad.yaml:12:20: model.params.hidden_sizes[0]: expected an integer, got 'four'",
            Bad(Valid.Replace("hidden_sizes: [64, 32]", "hidden_sizes: [four, 32]")).Message);
    }

    [Fact]
    public void CallbacksAugmentationsAndSearchAreCheckedWhenRead()
    {
        Assert.StartsWith("bad.yaml:17:12: callbacks[0].name: unknown callback 'early_stop'",
            Bad(Valid.Replace("name: early_stopping", "name: early_stop")).Message);
        Assert.StartsWith("bad.yaml:17:37: callbacks[0].monitor: 'val_accuracy' is not a metric",
            Bad(Valid.Replace("monitor: val_acc", "monitor: val_accuracy")).Message);
        Assert.Matches(@"^bad\.yaml:20:\d+: augmentation\.audio\[0\]\.name: unknown augmentation 'nois'",
            Bad(Valid + "\naugmentation:\n  audio:\n    - {name: nois, p: 0.5, range: [1, 2]}\n").Message);
        Assert.Matches(@"^bad\.yaml:20:\d+: search\.space\.training\.optimizer\.lrr: 'training\.optimizer\.lrr' is not a config key",
            Bad(Valid + "\nsearch:\n  space:\n    training.optimizer.lrr: {uniform: [0.01, 0.1]}\n").Message);
    }

    [Fact]
    public void TestSpeakersOnlyWithTheSpeakerHoldout()
    {
        Assert.Equal(["01", "02"], ConfigLoader.FromText(Valid.Replace("test_fraction: 0.2", "test_speakers: [01, 02]"), "ok.yaml").Config.Data.Split.TestSpeakers);
        Assert.Equal("bad.yaml:7:5: data.split: test_speakers is only used with protocol: speaker_holdout, not stratified",
            Bad(Valid.Replace("protocol: speaker_holdout", "protocol: stratified\n    test_speakers: [01]")).Message);
    }

    [Fact]
    public void DuplicateKeys()
    {
        var e = Bad(Valid.Replace("seed: 7", "seed: 7\nseed: 8"));
        Assert.Contains("(document): invalid YAML", e.Message);
    }

    [Fact]
    public void SearchSpaceNeedsExactlyOneDistribution()
    {
        var e = Bad(Valid + "\nsearch:\n  space:\n    training.optimizer.lr: {uniform: [0.1, 0.01]}\n");
        Assert.Equal("bad.yaml:20:28: search.space.training.optimizer.lr: a range needs [low, high] with low < high", e.Message);
    }
}
