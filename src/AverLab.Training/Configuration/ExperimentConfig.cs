using AverLab.FrontEnds;
using YamlDotNet.RepresentationModel;

namespace AverLab.Training.Configuration;

/// <summary>A whole experiment, as configs/*.yaml spell it (snake_case keys). See configs/README.md.</summary>
public sealed class ExperimentConfig
{
    [RequiredKey, KeyDoc("experiment name; the run folder is experiments/<name>/<timestamp>-<hash>")]
    public string Name { get; set; } = "";
    [KeyDoc("random seed for initialisation, shuffling, augmentation and splits")]
    public long Seed { get; set; } = 42;
    [RequiredKey] public DataConfig Data { get; set; } = new();
    public FeatureConfig Features { get; set; } = new();
    [RequiredKey] public ModelConfig Model { get; set; } = new();
    public TrainingConfig Training { get; set; } = new();
    public AugmentationConfig Augmentation { get; set; } = new();
    public List<CallbackConfig> Callbacks { get; set; } = [];
    public SearchConfig? Search { get; set; }
    public OutputConfig Output { get; set; } = new();
    [KeyDoc("the published result this config reproduces, shown beside this project's numbers in cv protocol tables")]
    public ReferenceConfig? Reference { get; set; }
    [KeyDoc("`cv --nested`: the candidate settings that inner speaker folds choose among, outer folds estimating the choice")]
    public NestedCvConfig? NestedCv { get; set; }
}

public enum CorpusKind { Ravdess, CremaD, Fer2013, Savee, Tess, Folder, Manifest }
public enum Modality { Audio, Video, Image, AudioVisual }
public enum LabelSpaceKind { Native, Unified, Simple5, Custom }
public enum UnmappedLabels { Drop, Error }
public enum SplitProtocol { SpeakerHoldout, SpeakerKfold, Stratified, StratifiedKfold, Usage }

public sealed class DataConfig : IValidatedSection
{
    [RequiredKey] public CorpusKind Corpus { get; set; }
    [RequiredKey, KeyDoc("corpus root folder (or CSV file for fer2013/manifest)")]
    public string Root { get; set; } = "";
    [KeyDoc("which media of each item to read")]
    public Modality Modality { get; set; } = Modality.Audio;
    [KeyDoc("class set: the corpus's own labels, the eight unified emotions, the seeds' five classes, or label_map")]
    public LabelSpaceKind Labels { get; set; } = LabelSpaceKind.Native;
    [KeyDoc("custom label map, native label -> class name (labels: custom)")]
    public Dictionary<string, string> LabelMap { get; set; } = [];
    [KeyDoc("an item whose label the class set lacks: drop it (counted in skipped.json) or stop with an error")]
    public UnmappedLabels Unmapped { get; set; } = UnmappedLabels.Drop;
    [KeyDoc("keep only these native labels (e.g. the 6 classes of the video seeds)")]
    public List<string> Include { get; set; } = [];
    public SplitConfig Split { get; set; } = new();

    public void Validate(ConfigBinder.Context context)
    {
        if (Labels == LabelSpaceKind.Custom && LabelMap.Count == 0)
            throw ConfigBinder.Fail(context, "labels: custom needs a non-empty label_map");
        if (Labels != LabelSpaceKind.Custom && LabelMap.Count > 0)
            throw ConfigBinder.Fail(context, "label_map is only used with labels: custom");
    }
}

public sealed class SplitConfig : IValidatedSection
{
    [KeyDoc("speaker-independent hold-out or k-fold, stratified random hold-out or k-fold over clips (speakers on both sides, the seeds' protocol), or the corpus's own usage column (FER2013)")]
    public SplitProtocol Protocol { get; set; } = SplitProtocol.SpeakerHoldout;
    [KeyDoc("share of speakers (speaker_holdout) or clips (stratified) tested; speaker_holdout 0: no test speakers, every speaker but the validation ones trains and the test figures are the validation side's (a model to ship, estimated by cv)")]
    [Range(0, 0.9)] public double TestFraction { get; set; } = 0.2;
    [Range(0, 0.9)] public double ValFraction { get; set; } = 0.1;
    [KeyDoc("explicit test speakers (speaker_holdout); overrides test_fraction")]
    public List<string> TestSpeakers { get; set; } = [];
    [Range(2, 100)] public int Folds { get; set; } = 5;
    [KeyDoc("which fold is the test fold for a single run (speaker_kfold, stratified_kfold); `cv` runs them all")]
    [Range(0, 99)] public int Fold { get; set; }
    [KeyDoc("speakers left out of the corpus before any split (a name matches a speaker id or its suffix, as test_speakers); `cv --nested` sets it so inner folds never see the outer fold's test speakers")]
    public List<string> ExcludeSpeakers { get; set; } = [];

    public void Validate(ConfigBinder.Context context)
    {
        if (Fold >= Folds) throw ConfigBinder.Fail(context, $"fold {Fold} does not exist with folds: {Folds} (use 0..{Folds - 1})");
        if (TestFraction + ValFraction >= 1) throw ConfigBinder.Fail(context, "test_fraction + val_fraction must be below 1");
        if (TestSpeakers.Count > 0 && Protocol != SplitProtocol.SpeakerHoldout)
            throw ConfigBinder.Fail(context, $"test_speakers is only used with protocol: speaker_holdout, not {ConfigBinder.SnakeCase(Protocol.ToString())}");
        if (TestSpeakers.Any(string.IsNullOrWhiteSpace)) throw ConfigBinder.Fail(context, "test_speakers holds an empty name");
        if (ExcludeSpeakers.Any(string.IsNullOrWhiteSpace)) throw ConfigBinder.Fail(context, "exclude_speakers holds an empty name");
    }
}

public sealed class ModelConfig : IValidatedSection
{
    [RequiredKey, KeyDoc("registered model name (list: dotnet run --project src/Train -- models)")]
    public string Name { get; set; } = "";
    [KeyDoc("the model's own hyperparameters, checked against its options")]
    public YamlNode? Params { get; set; }

    /// <summary>The model name must be registered, and model.params must bind onto its options (unknown key, wrong
    /// type) when the config is read, before any data is touched; values the model itself refuses are found when it is
    /// built (ExperimentRunner.CreateModel, also by --dry-run).</summary>
    public void Validate(ConfigBinder.Context context)
    {
        var map = context.Node as YamlMappingNode;
        YamlNode? Child(string key) => map != null && map.Children.TryGetValue(new YamlScalarNode(key), out var n) ? n : null;
        var spec = AverLab.Models.ModelRegistry.All.FirstOrDefault(s => s.Name == Name)
                   ?? throw (context with { KeyPath = Key(context, "name"), Node = Child("name") ?? context.Node }).Error(
                       $"unknown model '{Name}'; known models: {string.Join(", ", AverLab.Models.ModelRegistry.All.Select(s => s.Name))}");
        if (Params != null) ConfigBinder.Bind(spec.OptionsType, Params, context.File, Key(context, "params"));
    }

    private static string Key(ConfigBinder.Context context, string key) => context.KeyPath.Length == 0 ? key : $"{context.KeyPath}.{key}";
}

public enum OptimizerKind { Sgd, Adam, AdamW, Rmsprop, Adagrad }
public enum SchedulerKind { None, Step, MultiStep, Exponential, Cosine, OneCycle, Linear }
public enum ClassWeighting { None, Balanced }
public enum DistributedKind { None, Mpi }

public sealed class TrainingConfig : IValidatedSection
{
    [Range(1, 100000)] public int Epochs { get; set; } = 10;
    [Range(1, 65536)] public int BatchSize { get; set; } = 32;
    public OptimizerConfig Optimizer { get; set; } = new();
    public SchedulerConfig Scheduler { get; set; } = new();
    [KeyDoc("balanced: cross-entropy weights inversely proportional to the training split's class counts")]
    public ClassWeighting ClassWeights { get; set; } = ClassWeighting.None;
    [Range(0, 1e6), KeyDoc("clip the gradients' global L2 norm to this value; empty = no clipping")] public double? GradClip { get; set; }
    [Range(0, 1), KeyDoc("cross-entropy label smoothing (PyTorch's label_smoothing)")] public double LabelSmoothing { get; set; }
    [Range(0, 256), KeyDoc("CPU threads; 0 = the model's measured policy: one for the audio CNN+Transformer, the AV transformer and the MLP, every core for the convolutional video and ResNet models; one for the classical models")] public int Threads { get; set; }
    [KeyDoc("cpu, cuda (refused where TorchSharp finds no CUDA device: install the TorchSharp-cuda-* package, build with -p:TorchFlavour=cuda-linux) or auto (cuda when available, else cpu)")]
    public string Device { get; set; } = "cpu";
    [KeyDoc("none, or mpi: data-parallel training, one process per rank (launch with mpirun -np N or srun); each rank trains on its shard of every batch (batch_size stays the global batch), gradients are summed by MPI all-reduce, rank 0 writes the run folder. README \"On a cluster\"")]
    public DistributedKind Distributed { get; set; } = DistributedKind.None;
    [Range(0.001, 1024), KeyDoc("distributed: mpi: gradients are flattened into buckets of this many MiB, one all-reduce per bucket")]
    public double BucketMb { get; set; } = 25;

    /// <summary>The device <see cref="Device"/> names on this machine (auto resolved).</summary>
    public TorchSharp.torch.Device ResolveDevice() =>
        Device == "cuda" || (Device == "auto" && TorchSharp.torch.cuda.is_available()) ? TorchSharp.torch.CUDA : TorchSharp.torch.CPU;

    public void Validate(ConfigBinder.Context context)
    {
        // Accepting "cuda" and training on the CPU anyway would be a silent lie about where a run ran.
        if (Device is not ("cpu" or "cuda" or "auto"))
            throw ConfigBinder.Fail(context, $"device: '{Device}' is not a device; use cpu, cuda or auto");
        if (Device == "cuda" && !TorchSharp.torch.cuda.is_available())
            throw ConfigBinder.Fail(context, "device: 'cuda' is not available: TorchSharp finds no CUDA device here (this build uses " +
                "the TorchSharp-cpu package; on a CUDA machine build with -p:TorchFlavour=cuda-linux); use cpu or auto");
        // The all-reduce goes through host memory (libmpi on float buffers); a CUDA-aware path is not built.
        if (Distributed == DistributedKind.Mpi && Device != "cpu")
            throw ConfigBinder.Fail(context, $"distributed: mpi trains on the CPU only (gradients are all-reduced in host memory); device is '{Device}'");
        if (Distributed == DistributedKind.Mpi && ClassWeights != ClassWeighting.None)
            throw ConfigBinder.Fail(context, "distributed: mpi does not support class_weights yet (each rank's weighted mean has its own denominator)");
    }
}

public sealed class OptimizerConfig
{
    public OptimizerKind Name { get; set; } = OptimizerKind.Adam;
    [Range(0, 10)] public double Lr { get; set; } = 1e-3;
    [Range(0, 1)] public double Momentum { get; set; }
    [Range(0, 1)] public double WeightDecay { get; set; }
    [KeyDoc("SGD Nesterov momentum")]
    public bool Nesterov { get; set; }
    [KeyDoc("Adam/AdamW (beta1, beta2)")]
    public List<double> Betas { get; set; } = [0.9, 0.999];
}

public sealed class SchedulerConfig : IValidatedSection
{
    /// <summary>multi_step milestones are epochs (or batches with per_batch) ≥ 1, each once: PyTorch's MultiStepLR decays
    /// twice at a repeated milestone, TorchSharp's once, so a repeat is refused rather than trained differently.</summary>
    public void Validate(ConfigBinder.Context context)
    {
        var ctx = ConfigBinder.Child(context, "milestones");
        if (Milestones.Any(m => m < 1))
            throw ConfigBinder.Fail(ctx, $"milestones must be epochs >= 1, got {Milestones.First(m => m < 1)}");
        if (Milestones.GroupBy(m => m).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw ConfigBinder.Fail(ctx, $"milestone {twice.Key} is listed {twice.Count()} times; give each once (PyTorch would decay by gamma^{twice.Count()} there: fold it into a separate epoch or gamma)");
        if (Name == SchedulerKind.MultiStep && Milestones.Count == 0)
            throw ConfigBinder.Fail(ctx, "multi_step needs milestones: [epoch, ...]");
    }

    public SchedulerKind Name { get; set; } = SchedulerKind.None;
    [Range(1, 1e6), KeyDoc("step: epochs between decays")] public int StepSize { get; set; } = 10;
    [Range(0, 1), KeyDoc("step, multi_step, exponential: decay factor")] public double Gamma { get; set; } = 0.1;
    [KeyDoc("multi_step: epochs at which the rate decays")]
    public List<int> Milestones { get; set; } = [];
    [KeyDoc("one_cycle: peak rate; empty = 10 x optimizer.lr")]
    public double? MaxLr { get; set; }
    [Range(0, 1e6), KeyDoc("linear: epochs of linear warm-up")] public int WarmupEpochs { get; set; }
    [KeyDoc("step the scheduler after every batch instead of every epoch")]
    public bool PerBatch { get; set; }
}

public sealed class AugmentationConfig : IValidatedSection
{
    public List<AugmentConfig> Audio { get; set; } = [];
    public List<AugmentConfig> Image { get; set; } = [];

    /// <summary>Names and ranges are checked when the config is read, each error at its list item
    /// (the rules: <see cref="Augmentation.AugmentationPipeline.FindProblem"/>).</summary>
    public void Validate(ConfigBinder.Context context)
    {
        foreach (var (list, items) in new[] { ("audio", Audio), ("image", Image) })
        {
            var listCtx = ConfigBinder.Child(context, list);
            for (var i = 0; i < items.Count; i++)
                if (Augmentation.AugmentationPipeline.FindProblem(items[i], Augmentation.AugmentationPipeline.Known(list)) is { } p)
                    throw ConfigBinder.Fail(ConfigBinder.Child(ConfigBinder.Item(listCtx, i), p.Field), p.Problem);
        }
    }
}

public sealed class AugmentConfig
{
    [RequiredKey] public string Name { get; set; } = "";
    [Range(0, 1), KeyDoc("probability that the transform is applied to an example")] public double P { get; set; } = 0.5;
    [KeyDoc("[low, high] range of the transform's parameter (SNR in dB, gain in dB, shift in s, degrees, ...)")]
    public List<double> Range { get; set; } = [];
}

public enum MonitorMode { Min, Max }

public sealed class CallbackConfig : IValidatedSection
{

    [RequiredKey] public string Name { get; set; } = "";
    [KeyDoc("metric watched: val_loss, val_acc, train_loss, train_acc")]
    public string Monitor { get; set; } = "val_loss";
    [KeyDoc("min: lower is better; max: higher is better")]
    public MonitorMode Mode { get; set; } = MonitorMode.Min;
    [Range(0, 1e6), KeyDoc("epochs without improvement before stopping or reducing the rate")] public int Patience { get; set; } = 10;
    [Range(0, 1e6), KeyDoc("smallest change that counts as an improvement")] public double MinDelta { get; set; }
    [Range(0, 1), KeyDoc("reduce_lr_on_plateau: the rate is multiplied by this")] public double Factor { get; set; } = 0.1;
    [Range(0, 1e6), KeyDoc("reduce_lr_on_plateau: epochs to wait after a reduction")] public int Cooldown { get; set; }
    [Range(0, 10), KeyDoc("reduce_lr_on_plateau: lower bound of the rate")] public double MinLr { get; set; }
    [KeyDoc("early_stopping: put the best epoch's weights back when stopping")]
    public bool RestoreBest { get; set; }

    public void Validate(ConfigBinder.Context context)
    {
        if (!Experiments.ExperimentRunner.CallbackNames.Contains(Name))
            throw ConfigBinder.Fail(ConfigBinder.Child(context, "name"), $"unknown callback '{Name}'; known: {string.Join(", ", Experiments.ExperimentRunner.CallbackNames)}");
        if (!Reports.EpochRecord.MetricNames.Contains(Monitor))
            throw ConfigBinder.Fail(ConfigBinder.Child(context, "monitor"), $"'{Monitor}' is not a metric; allowed: {string.Join(", ", Reports.EpochRecord.MetricNames)}");
    }
}

public enum SearchStrategy { Grid, Random, Asha }
public enum SearchBackend { Local, Slurm }

public sealed class SearchConfig : IValidatedSection
{
    [KeyDoc("grid (every combination of choice values), random, or asha (random trials, successive halving on epochs)")]
    public SearchStrategy Strategy { get; set; } = SearchStrategy.Random;
    [Range(1, 100000), KeyDoc("random and asha: number of trials")] public int Trials { get; set; } = 8;
    [Range(1, 64), KeyDoc("trials run in parallel as worker processes (backend slurm: most array tasks running at once)")] public int Workers { get; set; } = 1;
    [KeyDoc("where sweep trials and cv folds run: local (this machine) or slurm (job arrays through sbatch; also `--backend` on the command line). README \"On a cluster\"")]
    public SearchBackend Backend { get; set; } = SearchBackend.Local;
    [KeyDoc("backend slurm: what each array task asks for and how the runner follows it")]
    public SlurmConfig Slurm { get; set; } = new();
    [Range(2, 10), KeyDoc("asha: keep 1 of this many trials at each rung")] public int ReductionFactor { get; set; } = 3;
    [Range(1, 100000), KeyDoc("asha: epochs of the first rung")] public int MinEpochs { get; set; } = 1;
    [KeyDoc("metric the search ranks trials by")]
    public string Metric { get; set; } = "val_acc";
    public MonitorMode Mode { get; set; } = MonitorMode.Max;
    [KeyDoc("key path -> {choice: [...]} | {uniform: [a, b]} | {loguniform: [a, b]} | {int: [a, b]}; sweep needs at least one (cv reads only backend and slurm)")]
    public Dictionary<string, SearchDimension> Space { get; set; } = [];

    /// <summary>The metric must be one the trainer records, and every space key a key a config can set.</summary>
    public void Validate(ConfigBinder.Context context)
    {
        if (!Reports.EpochRecord.MetricNames.Contains(Metric))
            throw ConfigBinder.Fail(ConfigBinder.Child(context, "metric"), $"'{Metric}' is not a metric; allowed: {string.Join(", ", Reports.EpochRecord.MetricNames)}");
        var space = ConfigBinder.Child(context, "space");
        foreach (var key in Space.Keys)
            if (!ConfigBinder.IsKeyPath(typeof(ExperimentConfig), key))
                throw ConfigBinder.Fail(ConfigBinder.Child(space, key), $"'{key}' is not a config key a trial can set (model.params.<key>, or a key of configs/README.md's table)");
    }
}

/// <summary>search.slurm: the job array's resources and the runner's follow-up (README "On a cluster").</summary>
public sealed class SlurmConfig : IValidatedSection
{
    [Range(1, 4096), KeyDoc("#SBATCH --cpus-per-task; each task trains with this many threads (training.threads)")]
    public int CpusPerTask { get; set; } = 1;
    [KeyDoc("#SBATCH --mem, e.g. 4G; empty = the partition's default")]
    public string Memory { get; set; } = "";
    [KeyDoc("#SBATCH --time, e.g. 02:00:00 or 1-00:00:00; empty = the partition's default")]
    public string Time { get; set; } = "";
    [KeyDoc("#SBATCH --partition; empty = the cluster's default partition")]
    public string Partition { get; set; } = "";
    [KeyDoc("#SBATCH --job-name of the arrays")]
    public string JobName { get; set; } = "averlab";
    [KeyDoc("more #SBATCH lines, each without the prefix, e.g. [\"--account=lab\", \"--qos=short\"]")]
    public List<string> Extra { get; set; } = [];
    [KeyDoc("shell commands run before training in every task (module load ..., source venv)")]
    public List<string> Setup { get; set; } = [];
    [Range(0, 100), KeyDoc("a failed task (non-zero exit, cancelled, timed out, node failure) is submitted again this many times, then reported in slurm/failed.json")]
    public int Retries { get; set; } = 1;
    [Range(0.1, 3600), KeyDoc("seconds between squeue polls")]
    public double PollSeconds { get; set; } = 10;
    [KeyDoc("the training command each task runs (before --config F --run-dir D); empty = this program, as the controller was started")]
    public string Command { get; set; } = "";

    public void Validate(ConfigBinder.Context context)
    {
        if (Memory.Length > 0 && !System.Text.RegularExpressions.Regex.IsMatch(Memory, "^[0-9]+[KMGT]?$"))
            throw ConfigBinder.Fail(ConfigBinder.Child(context, "memory"), $"'{Memory}' is not a Slurm memory size (e.g. 4G, 500M, 16000)");
        if (Time.Length > 0 && !System.Text.RegularExpressions.Regex.IsMatch(Time, "^([0-9]+-)?[0-9]+(:[0-9]{1,2}){0,2}$"))
            throw ConfigBinder.Fail(ConfigBinder.Child(context, "time"), $"'{Time}' is not a Slurm time limit (minutes, HH:MM:SS or D-HH:MM:SS)");
        foreach (var line in Extra)
            if (!line.StartsWith('-') || line.Contains('\n'))
                throw ConfigBinder.Fail(ConfigBinder.Child(context, "extra"), $"'{line}' is not an sbatch option (write e.g. --account=lab, without #SBATCH)");
        if (JobName.Length == 0 || JobName.Any(char.IsWhiteSpace))
            throw ConfigBinder.Fail(ConfigBinder.Child(context, "job_name"), $"job_name '{JobName}' must be one word");
    }
}

public sealed class SearchDimension : IValidatedSection
{
    public List<string>? Choice { get; set; }
    public List<double>? Uniform { get; set; }
    public List<double>? Loguniform { get; set; }
    public List<long>? Int { get; set; }

    public void Validate(ConfigBinder.Context context)
    {
        var given = new object?[] { Choice, Uniform, Loguniform, Int }.Count(x => x != null);
        if (given != 1) throw ConfigBinder.Fail(context, "give exactly one of choice, uniform, loguniform, int");
        if (Choice is { Count: 0 }) throw ConfigBinder.Fail(context, "choice needs at least one value");
        foreach (var range in new IList<double>?[] { Uniform, Loguniform })
            if (range != null && (range.Count != 2 || range[0] >= range[1]))
                throw ConfigBinder.Fail(context, "a range needs [low, high] with low < high");
        if (Loguniform != null && Loguniform[0] <= 0) throw ConfigBinder.Fail(context, "loguniform bounds must be positive");
        if (Int != null && (Int.Count != 2 || Int[0] > Int[1])) throw ConfigBinder.Fail(context, "int needs [low, high] with low <= high");
    }
}

/// <summary>What `cv --nested` ranks the candidates by: the inner runs' test-side metric, averaged over inner folds.</summary>
public enum SelectionMetric { Accuracy, BalancedAccuracy, MacroF1 }

/// <summary>nested_cv: nested speaker cross-validation (`cv --nested`). The outer folds are data.split's speaker
/// folds; inside each, the training speakers are split again into inner_folds speaker folds, every candidate is
/// trained on each, and the candidate with the best mean inner metric is trained on the outer fold and tested on its
/// speakers: the mean over outer folds estimates the whole procedure, choice included.</summary>
public sealed class NestedCvConfig : IValidatedSection
{
    [Range(2, 100), KeyDoc("speaker folds inside each outer fold's training speakers (the outer folds are data.split.folds); with val_fraction > 0 at least 3, one validating")]
    public int InnerFolds { get; set; } = 3;
    [KeyDoc("what the inner folds choose by: each candidate's mean over inner folds of this test-side metric (ties: the earlier candidate)")]
    public SelectionMetric Metric { get; set; } = SelectionMetric.BalancedAccuracy;
    [KeyDoc("the settings to choose among, at least 2: each a mapping of config key paths to values as --set takes them, e.g. {model.params.dropout: 0.5, training.epochs: 30}; {} is the config as it is")]
    public List<Dictionary<string, YamlNode>> Candidates { get; set; } = [];

    /// <summary>At least two candidates, each key one a config can set, none of the split's or nested_cv's own (the
    /// nested protocol sets those).</summary>
    public void Validate(ConfigBinder.Context context)
    {
        var list = ConfigBinder.Child(context, "candidates");
        if (Candidates.Count < 2) throw ConfigBinder.Fail(list, $"{Candidates.Count} candidate(s): nested cv needs at least 2 to choose among");
        for (var i = 0; i < Candidates.Count; i++)
            foreach (var key in Candidates[i].Keys)
            {
                var at = ConfigBinder.Child(ConfigBinder.Item(list, i), key);
                if (key.StartsWith("data.split.", StringComparison.Ordinal) || key == "seed" || key.StartsWith("nested_cv", StringComparison.Ordinal) || key.StartsWith("output.", StringComparison.Ordinal))
                    throw ConfigBinder.Fail(at, $"'{key}' is set by the nested protocol itself (split, seed, output); a candidate cannot choose it");
                if (!ConfigBinder.IsKeyPath(typeof(ExperimentConfig), key))
                    throw ConfigBinder.Fail(at, $"'{key}' is not a config key a candidate can set (model.params.<key>, or a key of configs/README.md's table)");
            }
    }
}

public sealed class ReferenceConfig
{
    [Range(0, 1), KeyDoc("the published test accuracy (0-1)")] public double? Accuracy { get; set; }
    [KeyDoc("how the publication split the data (e.g. 'stratified random 80/20, noisy copies in both sides')")]
    public string Protocol { get; set; } = "";
    [KeyDoc("where the number comes from (paper, repository, seed id)")]
    public string Source { get; set; } = "";
}

public sealed class OutputConfig
{
    [KeyDoc("folder under which experiments/<name>/<run> is written")]
    public string Root { get; set; } = "experiments";
}
