namespace AverLab.Data.Corpora;

/// <summary>Reads RAVDESS. Expected layout (as distributed on Zenodo 1188976, zips unpacked into one root):
/// <code>
/// root/Actor_01/03-01-05-01-02-01-01.wav     audio-only speech (Audio_Speech_Actors_01-24.zip)
/// root/Actor_01/03-02-...-01.wav             audio-only song   (Audio_Song_Actors_01-24.zip)
/// root/Actor_01/01-01-...-01.mp4             full audio-visual (Video_Speech_Actor_01.zip); 02-... is video-only
/// </code>
/// Audio-only clips may be in any container the decoder reads (.wav, .flac, .mp3, .ogg, ...: a lossless FLAC copy
/// reads like the original); when one clip is present in two containers the first in path order is read.
/// Files are found at any depth below root; the actor comes from the name, and an <c>Actor_NN</c> folder that
/// disagrees with it is reported. Names that do not parse, and files whose headers are corrupt, are skipped into
/// the report.</summary>
public static class RavdessCorpus
{
    public const string Name = "ravdess";
    private static readonly string[] Extensions = [.. CorpusScan.AudioExtensions, ".mp4"];

    public static CorpusReadResult Read(string root, ReadOptions? options = null)
    {
        options ??= ReadOptions.Default;
        CorpusScan.RequireRoot(root, "RAVDESS");
        var report = new CorpusReport();
        var items = new List<CorpusItem>();
        foreach (var file in CorpusScan.FirstPerStem(CorpusScan.Files(root, Extensions), report))
        {
            var parsed = RavdessName.Parse(System.IO.Path.GetFileName(file));
            if (!parsed.Ok) { report.Skip(file, $"malformed RAVDESS name: {parsed.Error}"); continue; }
            var n = parsed.Value!;
            var ext = System.IO.Path.GetExtension(file).ToLowerInvariant();
            if (ext != ".mp4" && n.Modality != 3) { report.Skip(file, $"an audio file ({ext}) must be audio-only (modality 03), not {n.Modality:00}"); continue; }
            if (ext == ".mp4" && n.Modality == 3) { report.Skip(file, "an .mp4 file cannot be audio-only (modality 03)"); continue; }
            var folder = System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(file)) ?? "";
            if (folder.StartsWith("Actor_", StringComparison.Ordinal) && int.TryParse(folder[6..], out var fa) && fa != n.Actor)
            { report.Skip(file, $"file names actor {n.Actor:00} but lies in folder {folder}"); continue; }
            if (!CorpusScan.Check(file, options.ValidateHeaders, report)) continue;
            items.Add(new CorpusItem(file, Name, n.NativeLabel, n.Emotion, $"ravdess-{n.Actor:00}")
            {
                Kind = n.Kind, Gender = n.Gender, Details = n, Id = CorpusScan.Relative(root, file),
            });
        }
        return new CorpusReadResult(Name, root, items, report);
    }
}
