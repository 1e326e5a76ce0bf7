using AverLab.Data.Features;

namespace AverLab.FrontEnds;

/// <summary>A config's feature front end: the extractor whose features are each example's Data, the extractors of
/// its Extra inputs (multi-input models), and whether an item's [N, ...] features unroll into N examples (face
/// crops of a video's frames, one training image each). With features.landmarks the last extra is the landmarks
/// (<see cref="LandmarksExtractor"/>). Training and inference build it from the same settings.</summary>
public sealed record FrontEnd(IFeatureExtractor Primary, IReadOnlyList<IFeatureExtractor> Extras, bool Unrolled)
{
    /// <summary>Whether the last extra input is the landmarks (features.landmarks): models read it as
    /// ModelInputs.Landmarks.</summary>
    public bool HasLandmarks => Extras.Count > 0 && Extras[^1] is LandmarksExtractor;

    public static FrontEnd Create(FeatureConfig f)
    {
        if (f.FindProblem() is { } problem && (problem.StartsWith("align", StringComparison.Ordinal) || problem.StartsWith("denoise", StringComparison.Ordinal)))
            throw new NotSupportedException($"features.{problem}");
        var front = f.Kind switch
        {
            FeatureKind.Mfcc => new FrontEnd(new ClipMfccExtractor(f), [], false),
            FeatureKind.MfccDeltas => new(new MfccDeltasExtractor(f), [], false),
            FeatureKind.Frames => new(new VideoFramesExtractor(f), [], false),
            FeatureKind.Handcrafted => new(new HandcraftedExtractor(f), [], false),
            FeatureKind.Faces => new(new FaceCropsExtractor(f, fixedLength: false), [], true),
            FeatureKind.FacesAudio => new(new MfccDeltasExtractor(f), [new FaceCropsExtractor(f, fixedLength: true)], false),
            FeatureKind.AvStats => new(new AvStatsExtractor(f), [], false),
            FeatureKind.MfccStats => new(new MfccStatsExtractor(f), [], false),
            _ => throw new NotSupportedException($"features.kind: {f.Kind} is not wired into the training pipeline (supported: mfcc, mfcc_deltas, frames, handcrafted, faces, faces_audio, av_stats, mfcc_stats, pixels)"),
        };
        if (!f.Landmarks) return front;
        var source = front.Extras.Prepend(front.Primary).OfType<ILandmarkSource>().First();
        return front with { Extras = [.. front.Extras, new LandmarksExtractor(source, f)] };
    }
}
