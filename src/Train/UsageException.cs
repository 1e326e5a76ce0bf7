namespace AverLab.Train;

/// <summary>A command line that cannot work (a missing or contradictory option): exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
