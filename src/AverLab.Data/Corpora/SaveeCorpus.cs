namespace AverLab.Data.Corpora;

/// <summary>Reads SAVEE (Surrey Audio-Visual Expressed Emotion). Two layouts are accepted:
/// <code>
/// root/AudioData/DC/a01.wav      original release: one folder per speaker (DC, JE, JK, KL)
/// root/ALL/DC_a01.wav            flat variant (speaker prefix in the name), at any depth
/// </code></summary>
public static class SaveeCorpus
{
    public const string Name = "savee";

    public static CorpusReadResult Read(string root, ReadOptions? options = null)
    {
        options ??= ReadOptions.Default;
        CorpusScan.RequireRoot(root, "SAVEE");
        var report = new CorpusReport();
        var items = new List<CorpusItem>();
        foreach (var file in CorpusScan.FirstPerStem(CorpusScan.Files(root, CorpusScan.AudioExtensions), report))
        {
            var folder = Path.GetFileName(Path.GetDirectoryName(file));
            var parsed = SaveeName.Parse(Path.GetFileName(file), SaveeName.Speakers.Contains(folder) ? folder : null);
            if (!parsed.Ok) { report.Skip(file, $"malformed SAVEE name: {parsed.Error}"); continue; }
            if (!CorpusScan.Check(file, options.ValidateHeaders, report)) continue;
            var n = parsed.Value!;
            items.Add(new CorpusItem(file, Name, n.EmotionCode, n.Emotion, $"savee-{n.Speaker}")
            { Gender = "male", Details = n, Id = CorpusScan.Relative(root, file) });
        }
        return new CorpusReadResult(Name, root, items, report);
    }
}
