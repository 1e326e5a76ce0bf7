using System.Text.Json.Nodes;
using AverLab.FrontEnds;
using AverLab.Predict;

namespace AverLab.Inference.Tests;

/// <summary>A run trained with features.speaker_norm standardizes each clip with statistics of the speaker's own
/// clips at inference too (--speaker-clips), and refuses to guess without them.</summary>
[Collection("trained run")]
public sealed class SpeakerClipsTests(TrainedRunFixture fx)
{
    /// <summary>The fixture's audio run with speaker_norm switched on in its model card (same weights).</summary>
    private string SpeakerNormRun()
    {
        var dir = Path.Combine(fx.Root, "runs", "speaker-norm-copy");
        if (Directory.Exists(dir)) return dir;
        var tmp = dir + ".tmp";
        Directory.CreateDirectory(Path.Combine(tmp, "checkpoints"));
        File.Copy(Path.Combine(fx.Run, "checkpoints", "best.safetensors"), Path.Combine(tmp, "checkpoints", "best.safetensors"));
        var card = JsonNode.Parse(File.ReadAllText(Path.Combine(fx.Run, "model.json")))!;
        card["features"]!["speaker_norm"] = true;
        File.WriteAllText(Path.Combine(tmp, "model.json"), card.ToJsonString());
        Directory.Move(tmp, dir);
        return dir;
    }

    private string[] ActorClips(string actor) =>
        Directory.GetFiles(Path.Combine(fx.Corpus, $"Actor_{actor}"), "*.wav").Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void PredictionsUseTheSpeakersOwnStatistics()
    {
        using var p = Predictor.Load(SpeakerNormRun());
        var clips = ActorClips("02");
        var e = Assert.Throws<InvalidOperationException>(() => p.PredictClip(clips[0]));
        Assert.Contains("--speaker-clips", e.Message);
        p.UseSpeakerClips(clips);
        Assert.Equal(clips.Length, p.SpeakerClipCount);

        // By hand: the front end's features of every clip, one scaler over them, then the run's scaler and the model.
        using var plain = Predictor.Load(fx.Run);
        var front = FrontEnd.Create(plain.Card.Features);
        var features = clips.Select(c => front.Primary.Extract(c)).ToList();
        var speaker = SpeakerNormalizer.FitOne(features.Select(f => f.Data).ToList(), features[0].Shape);
        var expected = plain.Predict(speaker.Transform(features[0].Data), features[0].Shape);
        Assert.Equal(expected, p.PredictClip(clips[0]));
        Assert.NotEqual(plain.PredictClip(clips[0]), p.PredictClip(clips[0]));

        // Another speaker's clips give other statistics, hence other probabilities for the same clip.
        using var other = Predictor.Load(SpeakerNormRun());
        other.UseSpeakerClips(ActorClips("03"));
        Assert.NotEqual(p.PredictClip(clips[0]), other.PredictClip(clips[0]));
        Assert.Throws<ArgumentException>(() => other.UseSpeakerClips([clips[0]]));
        Assert.Throws<ArgumentException>(() => plain.UseSpeakerClips(clips));
    }

    [Fact]
    public void TheCliNeedsSpeakerClipsForSuchARunAndOnlyThen()
    {
        var run = SpeakerNormRun();
        var clip = ActorClips("02")[0];
        Assert.Equal(PredictCli.Usage, PredictCli.Run([clip, "--model", run]));
        Assert.Equal(PredictCli.Usage, PredictCli.Run([clip, "--model", fx.Run, "--speaker-clips", Path.Combine(fx.Corpus, "Actor_02")]));
        Assert.Equal(PredictCli.Usage, PredictCli.Run([clip, "--model", run, "--speaker-clips", "/nonexistent/clips"]));
        var output = Path.Combine(fx.Root, "speaker-clips.json");
        Assert.Equal(PredictCli.Ok, PredictCli.Run([clip, "--model", run, "--speaker-clips", Path.Combine(fx.Corpus, "Actor_02"), "--out", output]));
        Assert.NotNull(JsonNode.Parse(File.ReadAllText(output))!["overall"]!["emotion"]);
    }
}
