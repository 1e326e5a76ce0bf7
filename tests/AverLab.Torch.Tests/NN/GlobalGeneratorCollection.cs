namespace AverLab.Torch.Tests.NN;

/// <summary>Tests that seed or draw from the process-wide generator (torch.manual_seed, default init, dropout) run
/// in this collection, one at a time and never beside other tests, so no other thread consumes random numbers
/// between a seed and the draws it should fix.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalGeneratorCollection
{
    public const string Name = "global generator";
}
