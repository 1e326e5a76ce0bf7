namespace AverLab.Data.Corpora;

/// <summary>One FER2013 CSV row: its 1-based data row number, class index (0 Angry .. 6 Neutral) and 48x48 grayscale
/// pixels, row-major.</summary>
public sealed record Fer2013Row(int Row, int EmotionIndex, byte[] Pixels);
