namespace AverLab.Torch.Optim;

/// <summary>A parameter group: parameters that share one set of hyperparameters
/// (https://pytorch.org/docs/1.13/optim.html#per-parameter-options).</summary>
/// <example><code>
/// var opt = torch.optim.Adam([new ParamGroup(weights), ParamGroup.With&lt;Adam.Options&gt;(biases, o => o with { lr = 0.03 })], lr: 0.01);
/// </code></example>
public sealed class ParamGroup
{
    private readonly Func<OptimizerOptions, OptimizerOptions>? configure;
    private OptimizerOptions? resolved;

    /// <summary>A group that uses the optimizer's defaults, or <paramref name="options"/> when given (it must be
    /// the optimizer's own options type).</summary>
    public ParamGroup(IEnumerable<Tensor> @params, OptimizerOptions? options = null)
    {
        this.@params = @params.ToArray();
        resolved = options is null ? null : options with { }; // a copy: schedulers write lr per group
    }

    private ParamGroup(IEnumerable<Tensor> @params, Func<OptimizerOptions, OptimizerOptions> configure)
    {
        this.@params = @params.ToArray();
        this.configure = configure;
    }

    /// <summary>A group whose options are the optimizer's defaults changed by <paramref name="configure"/>, the way a
    /// PyTorch group dict overrides only the keys it names: <c>o => o with { lr = 0.03 }</c>.</summary>
    public static ParamGroup With<TOptions>(IEnumerable<Tensor> @params, Func<TOptions, TOptions> configure)
        where TOptions : OptimizerOptions =>
        new(@params, o => o is TOptions t
            ? configure(t)
            : throw new ArgumentException($"this parameter group configures {typeof(TOptions).Name}, but the optimizer's options are {o.GetType().Name}"));

    public IReadOnlyList<Tensor> @params { get; }

    /// <summary>This group's hyperparameters (the optimizer's options type).</summary>
    public OptimizerOptions options => resolved ?? throw new InvalidOperationException("the parameter group is not attached to an optimizer yet");

    /// <summary>The learning rate, read and written by LR schedulers.</summary>
    public double lr
    {
        get => options.lr;
        set => options.lr = value;
    }

    /// <summary>Values that LR schedulers keep in the group, under PyTorch's keys: initial_lr, and OneCycleLR's
    /// max_lr, min_lr, max_momentum, base_momentum. Saved with the optimizer's state.</summary>
    public Dictionary<string, double> extra { get; } = new(StringComparer.Ordinal);

    /// <summary>The learning rate a scheduler started from (group['initial_lr']), or null before any scheduler.</summary>
    public double? initial_lr
    {
        get => extra.TryGetValue("initial_lr", out var v) ? v : null;
        set
        {
            if (value.HasValue) extra["initial_lr"] = value.Value;
            else extra.Remove("initial_lr");
        }
    }

    internal void Attach(OptimizerOptions defaults)
    {
        if (resolved == null)
        {
            resolved = configure != null ? configure(defaults with { }) : defaults with { };
            if (ReferenceEquals(resolved, defaults)) resolved = defaults with { };
        }
        if (resolved.GetType() != defaults.GetType())
            throw new ArgumentException($"a parameter group has {resolved.GetType().Name} options, but this optimizer takes {defaults.GetType().Name}");
        resolved.Validate();
    }

    /// <summary>Takes hyperparameters and scheduler keys from a loaded state dict.</summary>
    internal void Replace(OptimizerOptions options, Dictionary<string, double> values)
    {
        resolved = options;
        extra.Clear();
        foreach (var (k, v) in values) extra[k] = v;
    }
}
