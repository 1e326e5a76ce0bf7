using System.Xml.Linq;

namespace AverLab.Inference.Tests;

/// <summary>Inference (and the CLI and web app on it) needs only a run folder: it must not reach the trainer, neither through its project
/// references (directly or through a project below it) nor in the assembly it compiles to.</summary>
public sealed class LayeringTests
{
    private static readonly string[] Forbidden = ["AverLab.Training", "Train"];

    [Fact]
    public void InferenceProjectGraphHasNoTrainingProject()
    {
        var repo = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(repo, "AverLab.sln"))) repo = Path.GetDirectoryName(repo) ?? throw new DirectoryNotFoundException("AverLab.sln not found above the test binaries");
        foreach (var project in new[] { "src/AverLab.Inference/AverLab.Inference.csproj", "src/Predict/Predict.csproj", "src/Web/Web.csproj" })
        {
            var reached = ProjectClosure(Path.Combine(repo, project), repo);
            Assert.True(reached.Count > 1, $"{project}: no project references found (is the path right?)");
            Assert.DoesNotContain(reached, p => Forbidden.Contains(Path.GetFileNameWithoutExtension(p)));
        }
    }

    [Fact]
    public void TrainingProjectGraphHasNoInferenceProject()
    {
        var repo = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(repo, "AverLab.sln"))) repo = Path.GetDirectoryName(repo) ?? throw new DirectoryNotFoundException("AverLab.sln not found above the test binaries");
        var reached = ProjectClosure(Path.Combine(repo, "src/AverLab.Training/AverLab.Training.csproj"), repo);
        Assert.Contains(reached, p => Path.GetFileNameWithoutExtension(p) == "AverLab.Explanations");
        Assert.DoesNotContain(reached, p => Path.GetFileNameWithoutExtension(p) == "AverLab.Inference");
    }

    [Fact]
    public void InferenceAssemblyDoesNotReferenceTraining()
    {
        var names = typeof(Predictor).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.Contains("AverLab.FrontEnds", names);
        Assert.DoesNotContain("AverLab.Training", names);
    }

    [Fact]
    public void EveryProjectOnTorchSharpHasTheFinalizerGuardBelowIt()
    {
        var repo = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(repo, "AverLab.sln"))) repo = Path.GetDirectoryName(repo) ?? throw new DirectoryNotFoundException("AverLab.sln not found above the test binaries");
        var guard = Path.GetFullPath(Path.Combine(repo, "src/AverLab.TorchRuntime/AverLab.TorchRuntime.csproj"));
        Assert.Single(ProjectClosure(guard, repo));   // the guard stands on nothing of ours
        var users = Directory.GetFiles(Path.Combine(repo, "src"), "*.csproj", SearchOption.AllDirectories)
            .Where(p => Path.GetFullPath(p) != guard && XDocument.Load(p).Descendants("PackageReference")
                .Any(r => r.Attribute("Include")!.Value.Contains("TorchSharp", StringComparison.Ordinal)))
            .ToList();
        Assert.NotEmpty(users);
        // A project that calls TorchSharp must load the guard's assembly (its module initializer installs it).
        Assert.All(users, p => Assert.Contains(guard, ProjectClosure(p, repo)));
    }

    /// <summary>Every project reachable from <paramref name="csproj"/> through ProjectReference items, itself included.</summary>
    private static HashSet<string> ProjectClosure(string csproj, string repo)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var todo = new Stack<string>([Path.GetFullPath(csproj)]);
        while (todo.TryPop(out var path))
        {
            if (!seen.Add(path)) continue;
            foreach (var reference in XDocument.Load(path).Descendants("ProjectReference"))
            {
                var include = reference.Attribute("Include")!.Value
                    .Replace("$(RepoRoot)", repo + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                    .Replace('\\', Path.DirectorySeparatorChar);
                todo.Push(Path.GetFullPath(Path.IsPathRooted(include) ? include : Path.Combine(Path.GetDirectoryName(path)!, include)));
            }
        }
        return seen;
    }
}
