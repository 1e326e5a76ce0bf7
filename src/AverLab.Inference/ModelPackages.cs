using AverLab.FrontEnds;
using AverLab.Runs;

namespace AverLab.Inference;

/// <summary>An installed model package (models/&lt;name&gt;/, made by `averlab-train package`): its folder, where it was
/// found, its card and what it analyses, the headline figure of its metrics.json, or what is wrong with it.</summary>
public sealed record InstalledPackage
{
    public required string Name { get; init; }
    public required string Folder { get; init; }
    /// <summary>Where it was found: <see cref="ModelPackages.EnvironmentVariable"/> or "repo".</summary>
    public required string Origin { get; init; }
    public ModelCard? Card { get; init; }
    public ModelRoles? Roles { get; init; }
    public double? Accuracy { get; init; }
    public double[]? AccuracyCi { get; init; }
    /// <summary>Set for a damaged package: what is wrong (missing model.json or weights, unreadable JSON).</summary>
    public string? Problem { get; init; }

    /// <summary>"test accuracy 0.712 [0.698, 0.726]" from metrics.json, or why there is none.</summary>
    public string Headline => Accuracy is not { } a ? "test accuracy: none recorded (no metrics.json test accuracy)"
        : FormattableString.Invariant($"test accuracy {a:0.000}") + (AccuracyCi is { } ci ? FormattableString.Invariant($" [{ci[0]:0.000}, {ci[1]:0.000}] 95% CI") : "");
}

/// <summary>Finds the installed model packages: first the folder named by AVERLAB_MODELS, then the repository's models/
/// (the folder holding AverLab.sln, found by walking up from the program's own folder). Every non-hidden subfolder of
/// those is a package; one that cannot be read is listed with its problem, so the CLI can name it.</summary>
public static class ModelPackages
{
    public const string EnvironmentVariable = "AVERLAB_MODELS";
    public const string Weights = RunLayout.PackageWeights;

    /// <summary>The repository's models/ folder: the first folder holding AverLab.sln at or above
    /// <paramref name="start"/> (default AppContext.BaseDirectory); null outside a checkout.</summary>
    public static string? RepoModelsDir(string? start = null)
    {
        for (var dir = new DirectoryInfo(start ?? AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "AverLab.sln"))) return Path.Combine(dir.FullName, "models");
        return null;
    }

    /// <summary>The lookup places in order, each with its origin: AVERLAB_MODELS's folder (when set), then the repo's.</summary>
    public static IReadOnlyList<(string Dir, string Origin)> Locations(string? environmentValue, string? repoModels)
    {
        var list = new List<(string, string)>();
        if (!string.IsNullOrWhiteSpace(environmentValue)) list.Add((Path.GetFullPath(environmentValue), EnvironmentVariable));
        if (repoModels != null && !list.Any(l => l.Item1 == Path.GetFullPath(repoModels))) list.Add((Path.GetFullPath(repoModels), "repo"));
        return list;
    }

    /// <summary>The places this process looks in (the environment variable as set now).</summary>
    public static IReadOnlyList<(string Dir, string Origin)> Locations() =>
        Locations(Environment.GetEnvironmentVariable(EnvironmentVariable), RepoModelsDir());

    /// <summary>Both lookup places in words, for "nothing installed" errors.</summary>
    public static string DescribeLocations(IReadOnlyList<(string Dir, string Origin)> locations)
    {
        var env = locations.FirstOrDefault(l => l.Origin == EnvironmentVariable).Dir;
        var repo = locations.FirstOrDefault(l => l.Origin == "repo").Dir;
        return $"${EnvironmentVariable} ({env ?? "not set"}) and the repository's models/ ({repo ?? "no AverLab.sln above " + AppContext.BaseDirectory})";
    }

    /// <summary>The packages of every location, in lookup order (each location's by name).</summary>
    public static IReadOnlyList<InstalledPackage> Find(IReadOnlyList<(string Dir, string Origin)> locations)
    {
        var found = new List<InstalledPackage>();
        foreach (var (dir, origin) in locations)
        {
            if (!Directory.Exists(dir)) continue;
            foreach (var folder in Directory.EnumerateDirectories(dir).Order(StringComparer.Ordinal))
                if (!Path.GetFileName(folder).StartsWith('.')) found.Add(Read(folder, origin));
        }
        return found;
    }

    public static IReadOnlyList<InstalledPackage> Find() => Find(Locations());

    /// <summary>One package folder: its card and figures, or its problem (named relative to nothing: the caller adds
    /// the folder).</summary>
    public static InstalledPackage Read(string folder, string origin)
    {
        var p = new InstalledPackage { Name = Path.GetFileName(folder), Folder = folder, Origin = origin };
        var layout = RunFolder.At(folder);
        var cardPath = layout.ModelJson;
        if (!File.Exists(cardPath)) return p with { Problem = $"{RunLayout.ModelJson} is missing" };
        ModelCard card;
        ModelRoles roles;
        try
        {
            card = ModelCard.Load(cardPath);
            roles = Predictor.RolesOf(card);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException)
        {
            return p with { Problem = $"{RunLayout.ModelJson} cannot be read: {OneLine(e.Message)}" };
        }
        var weights = Path.IsPathRooted(card.Checkpoint) ? card.Checkpoint : Path.Combine(folder, card.Checkpoint);
        if (!File.Exists(weights)) return p with { Card = card, Roles = roles, Problem = $"{card.Checkpoint} (its weights) is missing" };
        double? accuracy = null;
        double[]? ci = null;
        try
        {
            var metrics = layout.ReadMetrics();
            accuracy = metrics?.Test.Accuracy;
            ci = metrics?.Test.AccuracyCi95 is [{ } lo, { } hi] ? [lo, hi] : null;
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            return p with { Card = card, Roles = roles, Problem = $"{RunLayout.MetricsJson} cannot be read: {OneLine(e.Message)}" };
        }
        return p with { Card = card, Roles = roles, Accuracy = accuracy, AccuracyCi = ci };
    }

    private static string OneLine(string s) => s.Replace("\r\n", " ").Replace('\n', ' ').Replace('\r', ' ');
}
