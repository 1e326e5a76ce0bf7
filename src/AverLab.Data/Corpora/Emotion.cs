namespace AverLab.Data.Corpora;

/// <summary>The unified emotion space every corpus's native labels map into: RAVDESS's eight classes, which cover
/// CREMA-D, FER2013, SAVEE and TESS (TESS's "pleasant surprise" is <see cref="Surprised"/>). The order follows
/// RAVDESS's emotion codes 01..08.</summary>
public enum Emotion { Neutral, Calm, Happy, Sad, Angry, Fearful, Disgust, Surprised }
