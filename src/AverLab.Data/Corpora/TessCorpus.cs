namespace AverLab.Data.Corpora;

/// <summary>Reads TESS (Toronto emotional speech set). Expected layout: wav files at any depth below root, usually
/// one folder per speaker and emotion:
/// <code>
/// root/OAF_angry/OAF_back_angry.wav
/// root/YAF_pleasant_surprised/YAF_back_ps.wav
/// </code></summary>
public static class TessCorpus
{
    public const string Name = "tess";

    public static CorpusReadResult Read(string root, ReadOptions? options = null)
    {
        options ??= ReadOptions.Default;
        CorpusScan.RequireRoot(root, "TESS");
        var report = new CorpusReport();
        var items = new List<CorpusItem>();
        foreach (var file in CorpusScan.FirstPerStem(CorpusScan.Files(root, CorpusScan.AudioExtensions), report))
        {
            var parsed = TessName.Parse(Path.GetFileName(file));
            if (!parsed.Ok) { report.Skip(file, $"malformed TESS name: {parsed.Error}"); continue; }
            if (!CorpusScan.Check(file, options.ValidateHeaders, report)) continue;
            var n = parsed.Value!;
            items.Add(new CorpusItem(file, Name, n.EmotionCode, n.Emotion, $"tess-{n.Speaker}")
            { Gender = "female", Details = n, Id = CorpusScan.Relative(root, file) });
        }
        return new CorpusReadResult(Name, root, items, report);
    }
}
