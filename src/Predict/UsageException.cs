namespace AverLab.Predict;

/// <summary>A command line that cannot work (missing or contradictory options, a --model that is not a usable run):
/// exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
