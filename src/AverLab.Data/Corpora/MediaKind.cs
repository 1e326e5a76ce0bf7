namespace AverLab.Data.Corpora;

/// <summary>What an item's file holds.</summary>
public enum MediaKind { Audio, Video, AudioVisual, Image }
