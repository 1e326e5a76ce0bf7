using AverLab.Media.Images;
using AverLab.Data.Corpora;

namespace AverLab.Data.Tests;

public sealed class CorpusReaderTests
{
    [Fact]
    public void RavdessReaderListsGoodFilesAndReportsBadOnes()
    {
        using var d = new TempDir();
        d.File("Actor_01/03-01-05-01-02-01-01.wav");
        d.File("Actor_01/03-02-03-02-01-02-01.wav");
        d.File("Actor_02/01-01-03-01-01-01-02.mp4", [0, 0, 0, 24, .."ftypisom"u8.ToArray(), 0, 0, 0, 0]);
        d.File("Actor_02/03-01-05-01-02-01-01.wav");            // names actor 01 inside Actor_02
        d.File("Actor_02/03-01-09-01-02-01-02.wav");            // emotion 09
        d.File("Actor_02/03-01-04-01-02-01-02.wav", [1, 2, 3]);  // corrupt: not RIFF
        d.File("Actor_02/01-01-04-01-02-01-02.wav");            // a wav that claims to be audio-visual
        d.File("Actor_02/readme.txt", "hello"u8.ToArray());    // ignored: not a media extension
        var r = RavdessCorpus.Read(d.Path);
        Assert.Equal(3, r.Items.Count);
        Assert.Equal(4, r.Report.Skipped.Count);
        Assert.Contains(r.Report.Skipped, s => s.Reason.Contains("folder Actor_02"));
        Assert.Contains(r.Report.Skipped, s => s.Reason.Contains("emotion 09") && s.Path.EndsWith("03-01-09-01-02-01-02.wav"));
        Assert.Contains(r.Report.Skipped, s => s.Reason.Contains("no RIFF/WAVE") && s.Path.EndsWith("03-01-04-01-02-01-02.wav"));
        Assert.Contains(r.Report.Skipped, s => s.Reason.Contains("audio-only (modality 03)"));
        var song = r.Items.Single(i => ((RavdessName)i.Details!).IsSong);
        Assert.Equal(("happy", Emotion.Happy, "ravdess-01", "male", "Actor_01/03-02-03-02-01-02-01.wav"),
            (song.NativeLabel, song.Emotion!.Value, song.Speaker!, song.Gender!, song.Id));
        Assert.Equal(MediaKind.AudioVisual, r.Items.Single(i => i.Path.EndsWith(".mp4")).Kind);
    }

    [Fact]
    public void CremaDReadsAudioVideoAndDemographics()
    {
        using var d = new TempDir();
        d.File("AudioWAV/1001_DFA_ANG_XX.wav");
        d.File("AudioWAV/1002_IEO_HAP_HI.wav");
        d.File("AudioWAV/1002_IEO_XYZ_HI.wav");
        d.File("VideoFlash/1001_DFA_ANG_XX.flv", "FLV"u8.ToArray());
        d.File("VideoDemographics.csv", "ActorID,Age,Sex,Race,Ethnicity\n1001,51,Male,Caucasian,Not Hispanic\n1002,21,Female,Caucasian,Not Hispanic\nabc,1,Male,x,y\n"u8.ToArray());
        var r = CremaDCorpus.Read(d.Path);
        Assert.Equal(3, r.Items.Count);
        Assert.Equal(2, r.Report.Skipped.Count); // the bad name and the bad demographics row
        Assert.Contains(r.Report.Skipped, s => s.Reason.Contains("emotion 'XYZ'"));
        Assert.Contains(r.Report.Skipped, s => s.Path.EndsWith("VideoDemographics.csv#3"));
        var hap = r.Items.Single(i => i.NativeLabel == "HAP");
        Assert.Equal(("female", "crema-d-1002", Emotion.Happy), (hap.Gender!, hap.Speaker!, hap.Emotion!.Value));
        Assert.Equal(MediaKind.AudioVisual, r.Items.Single(i => i.Path.EndsWith(".flv")).Kind);
        Assert.Equal("male", r.Items.Single(i => i.Path.EndsWith(".flv")).Gender);
    }

    [Fact]
    public void Fer2013CsvParsesRowsAndReportsBadOnes()
    {
        using var d = new TempDir();
        var px = string.Join(' ', Enumerable.Range(0, 2304).Select(i => i % 256));
        var csv = $"emotion,pixels,Usage\n3,{px},Training\n6,{px},PrivateTest\n7,{px},Training\n0,1 2 3,Training\n2,{px},Elsewhere\n5,{px.Replace("255", "256")},PublicTest\n";
        var path = d.File("fer2013.csv", System.Text.Encoding.ASCII.GetBytes(csv));
        var r = Fer2013Corpus.ReadCsv(path);
        Assert.Equal(2, r.Items.Count);
        Assert.Equal(4, r.Report.Skipped.Count);
        Assert.Contains(r.Report.Skipped, s => s.Path.EndsWith("#3") && s.Reason.Contains("0..6"));
        Assert.Contains(r.Report.Skipped, s => s.Path.EndsWith("#4") && s.Reason.Contains("holds 3 values"));
        Assert.Contains(r.Report.Skipped, s => s.Path.EndsWith("#5") && s.Reason.Contains("Usage 'Elsewhere'"));
        Assert.Contains(r.Report.Skipped, s => s.Path.EndsWith("#6") && s.Reason.Contains("'256'"));
        var first = r.Items[0];
        Assert.Equal(("happy", Emotion.Happy, "Training", MediaKind.Image), (first.NativeLabel, first.Emotion!.Value, first.PresetSplit!, first.Kind));
        var row = (Fer2013Row)first.Details!;
        Assert.Equal((1, 3, 2304, (byte)255), (row.Row, row.EmotionIndex, row.Pixels.Length, row.Pixels[255]));
        Assert.Equal(Emotion.Neutral, r.Items[1].Emotion);
    }

    /// <summary>Rows are numbered as the file's lines (line - 1): a blank line does not shift later rows.</summary>
    [Fact]
    public void Fer2013BlankLinesDoNotShiftRowNumbers()
    {
        using var d = new TempDir();
        var px = string.Join(' ', Enumerable.Range(0, 2304).Select(i => i % 256));
        var csv = $"emotion,pixels,Usage\n3,{px},Training\n\n\n9,{px},Training\n4,{px},PublicTest\n";
        var r = Fer2013Corpus.ReadCsv(d.File("fer2013.csv", System.Text.Encoding.ASCII.GetBytes(csv)));
        Assert.EndsWith("fer2013.csv#4", Assert.Single(r.Report.Skipped).Path); // line 5 of the file
        Assert.Equal([1, 5], r.Items.Select(i => ((Fer2013Row)i.Details!).Row));
    }

    [Fact]
    public void Fer2013EmptyBinaryAndHeaderOnlyFilesGiveNoItemsOrANamedError()
    {
        using var d = new TempDir();
        var empty = Fer2013Corpus.ReadCsv(d.File("empty.csv", []));
        Assert.Empty(empty.Items);
        Assert.Contains("header lacks column 'emotion'", Assert.Single(empty.Report.Skipped).Reason);
        var headerOnly = Fer2013Corpus.ReadCsv(d.File("header.csv", "emotion,pixels,Usage\n"u8.ToArray()));
        Assert.Empty(headerOnly.Items);
        var bytes = new byte[4096];
        new Random(3).NextBytes(bytes);
        var binary = d.File("binary.csv", bytes);
        try
        {
            var r = Fer2013Corpus.ReadCsv(binary);
            Assert.Empty(r.Items);
        }
        catch (InvalidDataException e)
        {
            Assert.Contains(binary, e.Message);
        }
    }

    [Fact]
    public void Fer2013FolderVariant()
    {
        using var d = new TempDir();
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0 };
        var face = new GrayImage(48, 48, Enumerable.Range(0, 48 * 48).Select(i => (byte)(i % 251)).ToArray());
        d.File("train/happy/a.png", ImageCodec.Encode(face, ImageFormat.Png));
        d.File("test/surprise/b.jpg", ImageCodec.Encode(new GrayImage(96, 96, Enumerable.Repeat((byte)200, 96 * 96).ToArray()), ImageFormat.Jpeg));
        d.File("train/bored/c.png", png);
        d.File("train/sad/d.png", [1, 2, 3, 4, 5, 6, 7, 8, 9]);
        d.File("loose.png", png);
        var r = Fer2013Corpus.ReadFolder(d.Path);
        Assert.Equal(2, r.Items.Count);
        Assert.Equal(3, r.Report.Skipped.Count);
        Assert.Contains(r.Items, i => i.PresetSplit == "test" && i.Emotion == Emotion.Surprised);
        Assert.Contains(r.Report.Skipped, s => s.Reason.Contains("'bored'"));
        Assert.Contains(r.Report.Skipped, s => s.Reason.Contains("not a PNG"));
        // Each image is decoded into the CSV's form: 48x48 grayscale pixels (PNG exactly, a larger JPEG resized).
        var a = (Fer2013Row)r.Items.Single(i => i.PresetSplit == "train").Details!;
        Assert.Equal(face.Pixels, a.Pixels);
        Assert.Equal(3, a.EmotionIndex);
        var b = (Fer2013Row)r.Items.Single(i => i.PresetSplit == "test").Details!;
        Assert.Equal(48 * 48, b.Pixels.Length);
        Assert.All(b.Pixels, p => Assert.InRange(p, 195, 205));
    }

    [Fact]
    public void SaveeBothLayouts()
    {
        using var d = new TempDir();
        d.File("AudioData/DC/a01.wav");
        d.File("AudioData/JK/su15.wav");
        d.File("ALL/KL_sa03.wav");
        d.File("ALL/ZZ_sa03.wav");
        var r = SaveeCorpus.Read(d.Path);
        Assert.Equal(3, r.Items.Count);
        Assert.Single(r.Report.Skipped);
        Assert.Equal(["savee-DC", "savee-JK", "savee-KL"], r.Items.Select(i => i.Speaker!).Order().ToArray());
    }

    [Fact]
    public void TessReader()
    {
        using var d = new TempDir();
        d.File("OAF_angry/OAF_back_angry.wav");
        d.File("YAF_pleasant_surprised/YAF_back_ps.wav");
        d.File("YAF_sad/YAF_back.wav");
        var r = TessCorpus.Read(d.Path);
        Assert.Equal(2, r.Items.Count);
        Assert.Single(r.Report.Skipped);
        Assert.Equal(Emotion.Surprised, r.Items.Single(i => i.Speaker == "tess-YAF").Emotion);
    }

    [Fact]
    public void FolderPerLabelWithSpeakerPattern()
    {
        using var d = new TempDir();
        d.File("happy/spk1_001.wav");
        d.File("angry/spk2_001.wav");
        d.File("bored/spk2_002.wav");
        d.File("angry/nospeaker.wav");
        d.File("stray.wav");
        var r = FolderCorpus.Read(d.Path, speakerPattern: @"^(spk\d+)_");
        Assert.Equal(3, r.Items.Count);
        Assert.Equal(2, r.Report.Skipped.Count);
        var bored = r.Items.Single(i => i.NativeLabel == "bored");
        Assert.Null(bored.Emotion); // to be mapped by a custom label space
        Assert.Equal("spk2", bored.Speaker);
    }

    [Fact]
    public void ManifestReader()
    {
        using var d = new TempDir();
        d.File("clips/a.wav");
        d.File("clips/b.wav");
        d.File("manifest.csv", "path,label,speaker,split,session\nclips/a.wav,happy,s1,train,x\nclips/b.wav,frustrated,s2,,y\nclips/missing.wav,sad,s3,,z\n,sad,s3,,z\nclips/a.wav,,s1,,x\n"u8.ToArray());
        var r = ManifestCorpus.Read(Path.Combine(d.Path, "manifest.csv"));
        Assert.Equal(2, r.Items.Count);
        Assert.Equal(3, r.Report.Skipped.Count);
        Assert.Contains(r.Report.Skipped, s => s.Path.EndsWith("missing.wav") && s.Reason.Contains("does not exist"));
        var a = r.Items[0];
        Assert.Equal(("happy", Emotion.Happy, "s1", "train", "x"), (a.NativeLabel, a.Emotion!.Value, a.Speaker!, a.PresetSplit!, ((Dictionary<string, string>)a.Details!)["session"]));
        Assert.Null(r.Items[1].PresetSplit);
    }

    [Fact]
    public void MissingRootIsAClearError()
    {
        var e = Assert.Throws<DirectoryNotFoundException>(() => RavdessCorpus.Read("/nonexistent/ravdess"));
        Assert.Contains("/nonexistent/ravdess", e.Message);
    }
}
