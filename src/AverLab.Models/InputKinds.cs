namespace AverLab.Models;

/// <summary>Which parts of <see cref="ModelInputs"/> a model reads (a data pipeline fills only these).</summary>
[Flags]
public enum InputKinds
{
    None = 0,
    /// <summary>Audio features: MFCC image B x 1 x 40 x 282, or B x 3 x 126 x 13 for the audio ResNet.</summary>
    Audio = 1,
    /// <summary>Video frames B x T x C x H x W.</summary>
    Frames = 2,
    /// <summary>One image per sample B x C x H x W (a face crop).</summary>
    Image = 4,
    /// <summary>Flattened landmark coordinates B x N (468 x 3 or 68 x 2).</summary>
    Landmarks = 8,
    /// <summary>A feature vector B x F (hand-crafted features, or audio-visual statistics).</summary>
    Features = 16,
    /// <summary>Transcript sentiment scores B x 9.</summary>
    Sentiment = 32,
}
