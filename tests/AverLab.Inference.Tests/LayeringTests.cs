using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using AverLab.Runs;

namespace AverLab.Inference.Tests;

/// <summary>The project graph: Inference (and the CLI and web app on it) needs only a run folder, so it must not reach
/// the trainer, neither through its project references nor in the assembly it compiles to; the run folder's contract
/// (AverLab.Runs) sits below both; explanations stand on the models alone; ML.NET stays in the classical project; every
/// project declares the projects whose code it uses; no file name of a run folder is spelled outside AverLab.Runs.</summary>
public sealed partial class LayeringTests
{
    private static readonly string[] Forbidden = ["AverLab.Training", "Train"];

    private static string Repo
    {
        get
        {
            var repo = AppContext.BaseDirectory;
            while (!File.Exists(Path.Combine(repo, "AverLab.sln"))) repo = Path.GetDirectoryName(repo) ?? throw new DirectoryNotFoundException("AverLab.sln not found above the test binaries");
            return repo;
        }
    }

    private static string Csproj(string name) => Path.Combine(Repo, "src", name, name + ".csproj");

    [Fact]
    public void InferenceProjectGraphHasNoTrainingProject()
    {
        foreach (var project in new[] { "AverLab.Inference", "Predict", "Web" })
        {
            var reached = ProjectClosure(Csproj(project), Repo);
            Assert.True(reached.Count > 1, $"{project}: no project references found (is the path right?)");
            Assert.DoesNotContain(reached, p => Forbidden.Contains(Name(p)));
        }
    }

    [Fact]
    public void TrainingProjectGraphHasNoInferenceProject()
    {
        var reached = ProjectClosure(Csproj("AverLab.Training"), Repo);
        Assert.Contains(reached, p => Name(p) == "AverLab.Explanations");
        Assert.DoesNotContain(reached, p => Name(p) == "AverLab.Inference");
    }

    [Fact]
    public void InferenceAssemblyDoesNotReferenceTraining()
    {
        var names = typeof(Predictor).Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.Contains("AverLab.FrontEnds", names);
        Assert.Contains("AverLab.Runs", names);
        Assert.DoesNotContain("AverLab.Training", names);
    }

    /// <summary>The run folder's contract stands on IO alone, below everything that writes or reads a run.</summary>
    [Fact]
    public void RunsContractIsBelowEveryProjectThatReadsOrWritesARun()
    {
        Assert.Equal(["AverLab.IO", "AverLab.Runs"], ProjectClosure(Csproj("AverLab.Runs"), Repo).Select(Name).Order(StringComparer.Ordinal));
        foreach (var project in new[] { "AverLab.FrontEnds", "AverLab.Training", "AverLab.Inference", "AverLab.Notebooks", "Web" })
            Assert.Contains("AverLab.Runs", Declared(Csproj(project)).Select(Name));
    }

    /// <summary>Explanations need a model and its inputs only; the zoo does not bring ML.NET (the classical baselines'
    /// trainers live in AverLab.Models.Classical).</summary>
    [Fact]
    public void ExplanationsStandOnModelsAndModelsHaveNoMlNet()
    {
        Assert.Equal(["AverLab.IO", "AverLab.Models", "AverLab.TorchRuntime"],
            ProjectClosure(Csproj("AverLab.Explanations"), Repo).Select(Name).Where(n => n != "AverLab.Explanations").Order(StringComparer.Ordinal));
        foreach (var project in new[] { "AverLab.Models", "AverLab.Explanations", "AverLab.FrontEnds", "AverLab.Runs" })
            Assert.DoesNotContain(XDocument.Load(Csproj(project)).Descendants("PackageReference"),
                r => r.Attribute("Include")!.Value.StartsWith("Microsoft.ML", StringComparison.Ordinal));
        Assert.Contains(XDocument.Load(Csproj("AverLab.Models.Classical")).Descendants("PackageReference"), r => r.Attribute("Include")!.Value == "Microsoft.ML");
    }

    /// <summary>A project that uses a namespace of another project's (a using directive or a qualified name in code)
    /// declares that project itself, instead of compiling through another project's references.</summary>
    [Fact]
    public void EveryProjectDeclaresTheProjectsItUses()
    {
        var projects = Directory.GetFiles(Path.Combine(Repo, "src"), "*.csproj", SearchOption.AllDirectories);
        var definedBy = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var p in projects)
            foreach (var ns in SourceFiles(p).SelectMany(f => NamespaceDeclaration().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value)))
                (definedBy.TryGetValue(ns, out var set) ? set : definedBy[ns] = []).Add(Name(p));
        var missing = new List<string>();
        foreach (var p in projects)
        {
            var own = Name(p);
            var declared = Declared(p).Select(Name).Append(own).ToHashSet(StringComparer.Ordinal);
            var used = SourceFiles(p).SelectMany(f => CodeLines(f).SelectMany(l => UsedNamespace().Matches(l).Select(m => m.Groups[1].Value)));
            foreach (var ns in used.Distinct())
            {
                // The longest namespace some project defines that the reference names (AverLab.Models.Classical.X → AverLab.Models.Classical).
                var known = Enumerable.Range(1, ns.Count(c => c == '.') + 1).Select(n => string.Join('.', ns.Split('.').Take(n)))
                    .LastOrDefault(definedBy.ContainsKey);
                if (known != null && !definedBy[known].Overlaps(declared))
                    missing.Add($"{own} uses {known} ({string.Join(" or ", definedBy[known])}) without declaring it");
            }
        }
        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }

    /// <summary>Every file name of a run folder, a model package, a sweep or a cv folder is spelled once, in
    /// <see cref="RunLayout"/>: a literal equal to one of its file names, or a folder of it joined into a path, anywhere
    /// else under src/ is a second definition of the contract.</summary>
    [Fact]
    public void NoRunFolderFileNameIsSpelledOutsideTheRunsProject()
    {
        var names = typeof(RunLayout).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!).ToList();
        Assert.Contains("metrics.json", names);
        Assert.Contains("checkpoints/best.safetensors", names);
        var files = names.Where(n => n.Contains('.') || n.Contains('/')).ToHashSet(StringComparer.Ordinal);
        var folders = names.Where(n => !n.Contains('.') && !n.Contains('/')).ToList();
        var found = new List<string>();
        foreach (var project in Directory.GetFiles(Path.Combine(Repo, "src"), "*.csproj", SearchOption.AllDirectories).Where(p => Name(p) != "AverLab.Runs"))
            foreach (var file in SourceFiles(project))
                foreach (var (line, number) in CodeLines(file).Select((l, i) => (l, i + 1)))
                {
                    foreach (var literal in StringLiteral().Matches(line).Select(m => m.Groups[1].Value))
                        if (files.Contains(literal) || literal.StartsWith(RunLayout.CheckpointsDir + "/", StringComparison.Ordinal))
                            found.Add($"{Path.GetRelativePath(Repo, file)}:{number}: \"{literal}\"");
                    foreach (var folder in folders)
                        if (Regex.IsMatch(line, $@"Path\.Combine\([^;]*""{Regex.Escape(folder)}"""))
                            found.Add($"{Path.GetRelativePath(Repo, file)}:{number}: \"{folder}\" joined into a path");
                }
        Assert.True(found.Count == 0, "run-folder names outside AverLab.Runs (use RunLayout / RunFolder):\n" + string.Join("\n", found));
    }

    [Fact]
    public void EveryProjectOnTorchSharpHasTheFinalizerGuardBelowIt()
    {
        var guard = Path.GetFullPath(Csproj("AverLab.TorchRuntime"));
        Assert.Single(ProjectClosure(guard, Repo));   // the guard stands on nothing of ours
        var users = Directory.GetFiles(Path.Combine(Repo, "src"), "*.csproj", SearchOption.AllDirectories)
            .Where(p => Path.GetFullPath(p) != guard && XDocument.Load(p).Descendants("PackageReference")
                .Any(r => r.Attribute("Include")!.Value.Contains("TorchSharp", StringComparison.Ordinal)))
            .ToList();
        Assert.NotEmpty(users);
        // A project that calls TorchSharp must load the guard's assembly (its module initializer installs it).
        Assert.All(users, p => Assert.Contains(guard, ProjectClosure(p, Repo)));
    }

    private static string Name(string csproj) => Path.GetFileNameWithoutExtension(csproj);

    /// <summary>The projects <paramref name="csproj"/> names in its own ProjectReference items.</summary>
    private static IEnumerable<string> Declared(string csproj) =>
        XDocument.Load(csproj).Descendants("ProjectReference").Select(r => Resolve(r.Attribute("Include")!.Value, csproj, Repo));

    private static string Resolve(string include, string from, string repo)
    {
        include = include.Replace("$(RepoRoot)", repo + Path.DirectorySeparatorChar, StringComparison.Ordinal).Replace('\\', Path.DirectorySeparatorChar);
        return Path.GetFullPath(Path.IsPathRooted(include) ? include : Path.Combine(Path.GetDirectoryName(from)!, include));
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
                todo.Push(Resolve(reference.Attribute("Include")!.Value, path, repo));
        }
        return seen;
    }

    private static IEnumerable<string> SourceFiles(string csproj)
    {
        var dir = Path.GetDirectoryName(csproj)!;
        return Directory.EnumerateFiles(dir, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"));
    }

    /// <summary>The file's lines without comments (whole-line and trailing // comments; good enough for this code base).</summary>
    private static IEnumerable<string> CodeLines(string file) =>
        File.ReadLines(file).Select(l => l.TrimStart().StartsWith("//", StringComparison.Ordinal) || l.TrimStart().StartsWith('*') ? "" : TrailingComment().Replace(l, ""));

    [GeneratedRegex(@"^\s*namespace\s+(AverLab(?:\.\w+)*)", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    [GeneratedRegex(@"(?<![\w.])(AverLab(?:\.[A-Z]\w*)+)")]
    private static partial Regex UsedNamespace();

    [GeneratedRegex(@"""((?:[^""\\]|\\.)*)""")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\s//\s.*$")]
    private static partial Regex TrailingComment();
}
