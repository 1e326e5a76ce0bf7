using System.Globalization;
using AverLab.Media;
using AverLab.Media.Images;

namespace AverLab.Data.Corpora;

/// <summary>Reads FER2013 in either of its two common forms:
/// <code>
/// fer2013.csv                      emotion,pixels,Usage  (emotion 0..6; 2304 space-separated pixels;
///                                  Usage Training/PublicTest/PrivateTest)
/// root/train/happy/img_001.png     image-folder variant: &lt;split&gt;/&lt;emotion&gt;/*.png|jpg
/// root/test/angry/img_002.jpg      (emotion folder names: angry disgust fear happy neutral sad surprise)
/// </code>
/// Items from the CSV carry a <see cref="Fer2013Row"/> in Details and the path "fer2013.csv#ROW", where ROW is the
/// record's line in the file minus one (the header is line 1, so the first data line is row 1; blank lines count).</summary>
public static class Fer2013Corpus
{
    public const string Name = "fer2013";
    public const int Side = 48;
    public static readonly string[] ClassNames = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"];
    public static readonly Emotion[] ClassEmotions =
        [Emotion.Angry, Emotion.Disgust, Emotion.Fearful, Emotion.Happy, Emotion.Sad, Emotion.Surprised, Emotion.Neutral];
    public static readonly string[] Usages = ["Training", "PublicTest", "PrivateTest"];

    public static CorpusReadResult ReadCsv(string csvPath)
    {
        if (!File.Exists(csvPath)) throw new FileNotFoundException($"FER2013 CSV '{csvPath}' does not exist", csvPath);
        var report = new CorpusReport();
        var items = new List<CorpusItem>();
        using var csv = new CsvTable(csvPath);
        foreach (var col in new[] { "emotion", "pixels" })
            if (!csv.Has(col))
            {
                report.Skip(csvPath, $"header lacks column '{col}' (expected emotion,pixels,Usage)");
                return new CorpusReadResult(Name, csvPath, items, report);
            }
        var hasUsage = csv.Has("Usage");
        while (csv.Read())
        {
            // The file's own numbering (line - 1), so a blank line does not shift the rows reported after it.
            var row = csv.Row;
            var where = $"{csvPath}#{row}";
            var emotionText = csv.Get("emotion");
            if (!int.TryParse(emotionText, NumberStyles.None, CultureInfo.InvariantCulture, out var emotion) || emotion is < 0 or > 6)
            { report.Skip(where, $"emotion '{emotionText}' is not an integer in 0..6"); continue; }
            var pixels = ParsePixels(csv.Get("pixels"), out var error);
            if (pixels == null) { report.Skip(where, error!); continue; }
            var usage = hasUsage ? csv.Get("Usage") : null;
            if (usage != null && !Usages.Contains(usage)) { report.Skip(where, $"Usage '{usage}' is not Training/PublicTest/PrivateTest"); continue; }
            items.Add(new CorpusItem(where, Name, ClassNames[emotion], ClassEmotions[emotion], null)
            {
                Kind = MediaKind.Image, PresetSplit = usage, Details = new Fer2013Row(row, emotion, pixels), Id = $"row{row}",
            });
        }
        return new CorpusReadResult(Name, csvPath, items, report);
    }

    private static byte[]? ParsePixels(string text, out string? error)
    {
        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        error = null;
        if (parts.Length != Side * Side) { error = $"pixels holds {parts.Length} values, expected {Side * Side} (48x48)"; return null; }
        var pixels = new byte[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!byte.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out pixels[i]))
            { error = $"pixel {i} '{parts[i]}' is not an integer in 0..255"; return null; }
        return pixels;
    }

    /// <summary>An image file as FER2013's 48x48 grayscale pixels (other sizes are resized by area averaging), the same
    /// form as a CSV row's, so both forms feed the same pipeline.</summary>
    public static byte[] Pixels48(string file)
    {
        var gray = ImageCodec.LoadGray(file);
        return gray.Width == Side && gray.Height == Side ? gray.Pixels : gray.Resize(Side, Side).Pixels;
    }

    /// <summary>Reads the image-folder variant root/&lt;split&gt;/&lt;emotion&gt;/*.png|jpg (split: Training, PublicTest,
    /// PrivateTest or train/val/test); each image is decoded into a <see cref="Fer2013Row"/> (row 0) as the CSV's.</summary>
    public static CorpusReadResult ReadFolder(string root, ReadOptions? options = null)
    {
        options ??= ReadOptions.Default;
        CorpusScan.RequireRoot(root, "FER2013 image folder");
        var report = new CorpusReport();
        var items = new List<CorpusItem>();
        foreach (var file in CorpusScan.Files(root, [".png", ".jpg", ".jpeg"]))
        {
            var rel = CorpusScan.Relative(root, file).Split('/');
            if (rel.Length != 3) { report.Skip(file, "expected <split>/<emotion>/<image> below the root"); continue; }
            var label = rel[1].ToLowerInvariant();
            var index = Array.IndexOf(ClassNames, label);
            if (index < 0) { report.Skip(file, $"emotion folder '{rel[1]}' is not one of {string.Join("/", ClassNames)}"); continue; }
            if (!CorpusScan.Check(file, options.ValidateHeaders, report)) continue;
            byte[] pixels;
            try
            {
                pixels = Pixels48(file);
            }
            catch (Exception e) when (e is MediaFormatException or IOException or ArgumentException)
            {
                report.Skip(file, e.Message);
                continue;
            }
            items.Add(new CorpusItem(file, Name, label, ClassEmotions[index], null)
            {
                Kind = MediaKind.Image, PresetSplit = rel[0], Id = string.Join('/', rel), Details = new Fer2013Row(0, index, pixels),
            });
        }
        return new CorpusReadResult(Name, root, items, report);
    }
}
