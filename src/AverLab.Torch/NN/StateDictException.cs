namespace AverLab.Torch;

/// <summary>load_state_dict found missing, unexpected or mis-shaped keys; the message lists all of them in
/// PyTorch's wording.</summary>
public sealed class StateDictException(string module, IList<string> missing, IList<string> unexpected, IList<string> misShaped)
    : Exception(Describe(module, missing, unexpected, misShaped))
{
    public IList<string> MissingKeys { get; } = missing;
    public IList<string> UnexpectedKeys { get; } = unexpected;
    public IList<string> SizeMismatches { get; } = misShaped;

    private static string Describe(string module, IList<string> missing, IList<string> unexpected, IList<string> misShaped)
    {
        var parts = new List<string>();
        if (missing.Count > 0) parts.Add("Missing key(s) in state_dict: " + string.Join(", ", missing.Select(k => $"\"{k}\"")) + ".");
        if (unexpected.Count > 0) parts.Add("Unexpected key(s) in state_dict: " + string.Join(", ", unexpected.Select(k => $"\"{k}\"")) + ".");
        parts.AddRange(misShaped.Select(m => m + "."));
        return $"Error(s) in loading state_dict for {module}:\n\t" + string.Join("\n\t", parts);
    }
}
