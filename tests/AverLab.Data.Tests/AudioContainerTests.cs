using AverLab.Data.Corpora;
using AverLab.Media;
using AverLab.Media.Audio;

namespace AverLab.Data.Tests;

/// <summary>Corpora distributed as WAV read any audio container the decoder handles, with the same name rules: a
/// lossless FLAC copy (made here by ffmpeg) lists and decodes to exactly the samples of the original.</summary>
public sealed class AudioContainerTests
{
    private static string Encode(string wav, string ext, params string[] codecArgs)
    {
        var output = Path.ChangeExtension(wav, ext);
        Ffmpeg.Run("ffmpeg", ["-v", "error", "-y", "-i", wav, .. codecArgs, output], wav);
        return output;
    }

    [Fact]
    public void RavdessFlacReadsAndDecodesToTheSamplesOfTheWav()
    {
        using var d = new TempDir();
        var wav = d.File("Actor_03/03-01-05-01-02-01-03.wav");
        var flac = Encode(wav, ".flac");
        File.Delete(wav);
        var ogg = Encode(d.File("Actor_03/03-01-04-01-01-01-03.wav"), ".ogg", "-c:a", "libvorbis");
        File.Delete(Path.ChangeExtension(ogg, ".wav"));
        d.File("Actor_03/03-01-06-01-01-01-03.flac", "not flac"u8.ToArray());      // corrupt header
        d.File("Actor_03/03-01-0X-01-01-01-03.flac", []);                          // malformed name
        var r = RavdessCorpus.Read(d.Path);

        Assert.Equal(["Actor_03/03-01-04-01-01-01-03.ogg", "Actor_03/03-01-05-01-02-01-03.flac"], r.Items.Select(i => i.Id).ToArray());
        Assert.Equal([Emotion.Sad, Emotion.Angry], r.Items.Select(i => i.Emotion!.Value).ToArray());
        Assert.All(r.Items, i => Assert.Equal(("ravdess-03", MediaKind.Audio), (i.Speaker!, i.Kind)));
        Assert.Contains(r.Report.Skipped, s => s.Path.EndsWith("03-01-06-01-01-01-03.flac") && s.Reason.Contains("no fLaC marker"));
        Assert.Contains(r.Report.Skipped, s => s.Path.EndsWith("03-01-0X-01-01-01-03.flac") && s.Reason.Contains("malformed RAVDESS name"));

        // TempDir.File writes the same bytes for the same relative name: this is the WAV the FLAC was made from.
        var refWav = Path.Combine(d.Path, "ref.wav");
        File.WriteAllBytes(refWav, TempDir.TinyWav("Actor_03/03-01-05-01-02-01-03.wav".GetHashCode()));
        var original = AudioLoader.Load(refWav);
        var decoded = AudioLoader.Load(flac);
        Assert.Equal(original.SampleRate, decoded.SampleRate);
        Assert.Equal(original.Channels[0], decoded.Channels[0]); // FLAC is lossless
    }

    [Fact]
    public void AClipInTwoContainersIsReadOnceAndTheCopyReported()
    {
        using var d = new TempDir();
        var wav = d.File("Actor_01/03-01-05-01-02-01-01.wav");
        Encode(wav, ".flac");
        var r = RavdessCorpus.Read(d.Path);
        var item = Assert.Single(r.Items);
        Assert.EndsWith(".flac", item.Path); // ordinal path order: .flac before .wav
        var skipped = Assert.Single(r.Report.Skipped);
        Assert.EndsWith("03-01-05-01-02-01-01.wav", skipped.Path);
        Assert.Contains("another encoding of 03-01-05-01-02-01-01.flac", skipped.Reason);
    }

    [Fact]
    public void SaveeTessCremaAndFolderCorporaTakeFlac()
    {
        using var d = new TempDir();
        foreach (var rel in new[] { "savee/AudioData/DC/a01.wav", "tess/OAF_angry/OAF_back_angry.wav", "crema/AudioWAV/1001_DFA_ANG_XX.wav", "folder/angry/x1.wav" })
        {
            Encode(d.File(rel), ".flac");
            File.Delete(Path.Combine(d.Path, rel));
        }
        Assert.Equal("DC/a01.flac", Assert.Single(SaveeCorpus.Read(Path.Combine(d.Path, "savee/AudioData")).Items).Id);
        Assert.Equal(Emotion.Angry, Assert.Single(TessCorpus.Read(Path.Combine(d.Path, "tess")).Items).Emotion);
        Assert.Equal(MediaKind.Audio, Assert.Single(CremaDCorpus.Read(Path.Combine(d.Path, "crema")).Items).Kind);
        Assert.Equal(MediaKind.Audio, Assert.Single(FolderCorpus.Read(Path.Combine(d.Path, "folder")).Items).Kind);
    }
}
