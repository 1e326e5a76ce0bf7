namespace AverLab.Data.Corpora;

/// <summary>Reads CREMA-D (github.com/CheyneyComputerScience/CREMA-D). Expected layout:
/// <code>
/// root/AudioWAV/1001_DFA_ANG_XX.wav         (or .flac/.mp3/.ogg: any audio container)
/// root/VideoFlash/1001_DFA_ANG_XX.flv      (optional)
/// root/VideoDemographics.csv               (optional: ActorID,Age,Sex,Race,Ethnicity)
/// </code>
/// With the demographics file, each item's <see cref="CorpusItem.Gender"/> comes from its Sex column; a bad row
/// there is reported and the actor simply has no gender.</summary>
public static class CremaDCorpus
{
    public const string Name = "crema-d";

    public static CorpusReadResult Read(string root, ReadOptions? options = null)
    {
        options ??= ReadOptions.Default;
        CorpusScan.RequireRoot(root, "CREMA-D");
        var report = new CorpusReport();
        var demographics = ReadDemographics(Path.Combine(root, "VideoDemographics.csv"), report);
        var items = new List<CorpusItem>();
        foreach (var (folder, exts, kind) in new[] { ("AudioWAV", CorpusScan.AudioExtensions, MediaKind.Audio), ("VideoFlash", [".flv"], MediaKind.AudioVisual) })
            foreach (var file in CorpusScan.FirstPerStem(CorpusScan.Files(root, exts, folder), report))
            {
                var parsed = CremaDName.Parse(Path.GetFileName(file));
                if (!parsed.Ok) { report.Skip(file, $"malformed CREMA-D name: {parsed.Error}"); continue; }
                if (!CorpusScan.Check(file, options.ValidateHeaders, report)) continue;
                var n = parsed.Value!;
                demographics.TryGetValue(n.Actor, out var demo);
                items.Add(new CorpusItem(file, Name, n.EmotionCode, n.Emotion, $"crema-d-{n.Actor}")
                {
                    Kind = kind, Details = n, Id = CorpusScan.Relative(root, file),
                    Gender = demo?.Sex.ToLowerInvariant() switch { "male" => "male", "female" => "female", _ => null },
                });
            }
        return new CorpusReadResult(Name, root, items, report);
    }

    /// <summary>Reads VideoDemographics.csv; a missing file gives an empty map, bad rows go to the report.</summary>
    public static Dictionary<int, CremaDDemographics> ReadDemographics(string path, CorpusReport report)
    {
        var map = new Dictionary<int, CremaDDemographics>();
        if (!File.Exists(path)) return map;
        using var csv = new CsvTable(path);
        foreach (var col in new[] { "ActorID", "Age", "Sex", "Race", "Ethnicity" })
            if (!csv.Has(col)) { report.Skip(path, $"demographics header lacks column '{col}'"); return map; }
        while (csv.Read())
        {
            if (!int.TryParse(csv.Get("ActorID"), out var id) || !int.TryParse(csv.Get("Age"), out var age))
            { report.Skip($"{path}#{csv.Row}", "ActorID or Age is not a number"); continue; }
            map[id] = new CremaDDemographics(id, age, csv.Get("Sex"), csv.Get("Race"), csv.Get("Ethnicity"));
        }
        return map;
    }
}
