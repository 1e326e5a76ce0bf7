namespace AverLab.Data.Corpora;

/// <summary>The unified emotion space every corpus's native labels map into (RAVDESS's eight plus contempt-free
/// FER2013/CREMA-D/SAVEE/TESS labels; TESS's "pleasant surprise" is <see cref="Surprised"/>).</summary>
public enum Emotion { Neutral, Calm, Happy, Sad, Angry, Fearful, Disgust, Surprised }
