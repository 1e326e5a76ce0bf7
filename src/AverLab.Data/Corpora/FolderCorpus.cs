using System.Text.RegularExpressions;

namespace AverLab.Data.Corpora;

/// <summary>Reads any corpus laid out one folder per label:
/// <code>
/// root/&lt;label&gt;/&lt;file&gt;.wav|flac|mp3|ogg|mp4|png|jpg|...
/// </code>
/// The label is the folder name (mapped to <see cref="Emotion"/> when it names one, case-insensitively, else null,
/// to be mapped by a <see cref="Labels.LabelSpace"/>). The speaker is the first capture group of
/// <c>speakerPattern</c> matched against the file name, or null when no pattern is given; a file the
/// pattern does not match is reported.</summary>
public static class FolderCorpus
{
    public const string Name = "folder";
    public static readonly string[] DefaultExtensions = [.. CorpusScan.AudioExtensions, ".mp4", ".flv", ".png", ".jpg", ".jpeg"];

    public static CorpusReadResult Read(string root, string? speakerPattern = null, ReadOptions? options = null,
        IReadOnlyCollection<string>? extensions = null)
    {
        options ??= ReadOptions.Default;
        CorpusScan.RequireRoot(root, "folder-per-label corpus");
        var regex = speakerPattern == null ? null : new Regex(speakerPattern, RegexOptions.CultureInvariant);
        var report = new CorpusReport();
        var items = new List<CorpusItem>();
        foreach (var file in CorpusScan.Files(root, extensions ?? DefaultExtensions))
        {
            var rel = CorpusScan.Relative(root, file).Split('/');
            if (rel.Length != 2) { report.Skip(file, "expected <label>/<file> directly below the root"); continue; }
            string? speaker = null;
            if (regex != null)
            {
                var m = regex.Match(Path.GetFileName(file));
                if (!m.Success || m.Groups.Count < 2) { report.Skip(file, $"file name does not match speaker pattern '{speakerPattern}'"); continue; }
                speaker = m.Groups[1].Value;
            }
            if (!CorpusScan.Check(file, options.ValidateHeaders, report)) continue;
            items.Add(new CorpusItem(file, Name, rel[0], EmotionNames.TryParse(rel[0]), speaker)
            { Kind = KindOf(file), Id = string.Join('/', rel) });
        }
        return new CorpusReadResult(Name, root, items, report);
    }

    internal static MediaKind KindOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        _ when CorpusScan.IsAudio(path) => MediaKind.Audio,
        ".png" or ".jpg" or ".jpeg" => MediaKind.Image,
        _ => MediaKind.AudioVisual,
    };
}
