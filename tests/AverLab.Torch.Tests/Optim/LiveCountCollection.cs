namespace AverLab.Torch.Tests.Optim;

/// <summary>Tests that read the process-wide Tensor.LiveCount run alone, after the parallel ones.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LiveCountCollection
{
    public const string Name = "Optim.LiveCount";
}
