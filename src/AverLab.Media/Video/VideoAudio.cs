using System.Globalization;
using System.Runtime.InteropServices;
using AverLab.Media.Audio;

namespace AverLab.Media.Video;

/// <summary>The audio track of a video (mp4, avi, flv, mkv, ...) decoded by ffmpeg as 32-bit float PCM over a pipe.</summary>
public static class VideoAudio
{
    /// <summary>Decodes the first audio stream. <paramref name="sampleRate"/> resamples (ffmpeg's soxr resampler,
    /// high quality) when given; <paramref name="mono"/> downmixes (ffmpeg's channel average). A file without an
    /// audio track throws <see cref="MediaFormatException"/> naming it.</summary>
    public static AudioSignal Extract(string path, int? sampleRate = null, bool mono = false)
    {
        if (sampleRate is <= 0) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "sample rate must be positive");
        var probe = VideoProbe.Read(path);
        var audio = probe.Audio ?? throw new MediaFormatException(path, "no audio track");
        var rate = sampleRate ?? audio.SampleRate;
        if (rate <= 0) throw new MediaFormatException(path, "the audio track has no sample rate");
        var channels = mono ? 1 : Math.Max(1, audio.Channels);
        var args = new List<string> { "-v", "error", "-nostdin", "-i", path, "-map", "0:a:0", "-vn", "-ac", channels.ToString(CultureInfo.InvariantCulture) };
        if (sampleRate != null && sampleRate != audio.SampleRate)
            args.AddRange(["-af", $"aresample={rate}:resampler=soxr:precision=28"]);
        args.AddRange(["-f", "f32le", "-acodec", "pcm_f32le", "-"]);
        var bytes = Ffmpeg.Run(Ffmpeg.FfmpegPath, args, path);
        if (bytes.Length % (4 * channels) != 0) throw new MediaFormatException(path, "ffmpeg returned a partial audio frame");
        var interleaved = MemoryMarshal.Cast<byte, float>(bytes);
        var n = interleaved.Length / channels;
        var planes = new float[channels][];
        for (var c = 0; c < channels; c++)
        {
            var plane = planes[c] = new float[n];
            for (var i = 0; i < n; i++) plane[i] = interleaved[i * channels + c];
        }
        return new AudioSignal(planes, rate);
    }

    /// <summary>Writes the audio track to a WAV file (float 32-bit unless another format is asked).</summary>
    public static void ExtractToWav(string path, string wavPath, int? sampleRate = null, bool mono = false,
        WavSampleFormat format = WavSampleFormat.Float32) =>
        WavWriter.Write(wavPath, Extract(path, sampleRate, mono), format);
}
