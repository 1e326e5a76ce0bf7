using System.Globalization;
using System.Text.Json;

namespace AverLab.Media.Audio;

/// <summary>Decodes the first audio stream of any container/codec ffmpeg reads (mp3, flac, ogg/vorbis/opus, m4a/aac,
/// the audio track of mp4/flv/avi/mkv, compressed WAV) to float32 PCM over a pipe (f32le). Native rate and channel
/// count are kept unless asked otherwise (the WAV ffmpeg writes reports them); resampling uses ffmpeg's SoX resampler
/// (aresample=resampler=soxr, 28-bit precision: at least librosa's default soxr_hq). A file without an audio
/// stream, or one ffmpeg cannot read, raises <see cref="MediaFormatException"/>.</summary>
public static class AudioDecoder
{
    /// <summary>soxr precision in bits: 20 is soxr HQ (librosa's default res_type 'soxr_hq'), 28 is VHQ.</summary>
    public const int SoxrPrecision = 28;

    public static AudioStreamInfo Probe(string path)
    {
        RequireFile(path);
        var json = Ffmpeg.Run(Ffmpeg.FfprobePath,
            ["-v", "error", "-select_streams", "a:0", "-show_entries", "stream=codec_name,sample_rate,channels,duration",
             "-show_entries", "format=duration", "-of", "json", path], path);
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (!root.TryGetProperty("streams", out var streams) || streams.GetArrayLength() == 0)
                throw new MediaFormatException(path, "no audio stream");
            var s = streams[0];
            var rate = int.Parse(s.GetProperty("sample_rate").GetString() ?? "0", CultureInfo.InvariantCulture);
            var channels = s.GetProperty("channels").GetInt32();
            if (rate <= 0 || channels <= 0) throw new MediaFormatException(path, $"audio stream reports {rate} Hz and {channels} channels");
            var codec = s.TryGetProperty("codec_name", out var c) ? c.GetString() ?? "?" : "?";
            double? duration = ParseDuration(s) ?? (root.TryGetProperty("format", out var f) ? ParseDuration(f) : null);
            return new AudioStreamInfo(rate, channels, codec, duration);
        }
        catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
        {
            throw new MediaFormatException(path, $"unreadable ffprobe report ({e.Message})", e);
        }
    }

    /// <summary>Decodes the first audio stream. <paramref name="sampleRate"/> / <paramref name="channels"/> null keep
    /// the native values; <paramref name="offset"/> and <paramref name="duration"/> (seconds) select a span. One ffmpeg
    /// run: it writes a float32 WAV whose header gives the rate and channels it kept (an ffprobe run first costs as much
    /// again, mostly in loading the libraries).</summary>
    public static AudioSignal Decode(string path, int? sampleRate = null, int? channels = null, double offset = 0, double? duration = null)
    {
        RequireFile(path);
        if (sampleRate is <= 0) throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "sample rate must be positive");
        if (channels is <= 0) throw new ArgumentOutOfRangeException(nameof(channels), channels, "channel count must be positive");
        var args = new List<string> { "-v", "error", "-nostdin" };
        if (offset > 0) args.AddRange(["-ss", offset.ToString("R", CultureInfo.InvariantCulture)]);
        args.AddRange(["-i", path]);
        if (duration is { } d) args.AddRange(["-t", d.ToString("R", CultureInfo.InvariantCulture)]);
        args.AddRange(["-map", "0:a:0", "-vn", "-sn", "-dn", "-map_metadata", "-1"]);
        // At the native rate swresample passes the samples through unchanged, so the filter is only named, not applied.
        if (sampleRate is { } rate)
            args.AddRange(["-af", $"aresample=resampler=soxr:precision={SoxrPrecision}", "-ar", rate.ToString(CultureInfo.InvariantCulture)]);
        if (channels is { } ch) args.AddRange(["-ac", ch.ToString(CultureInfo.InvariantCulture)]);
        args.AddRange(["-f", "wav", "-acodec", "pcm_f32le", "pipe:1"]);
        byte[] bytes;
        try { bytes = Ffmpeg.Run(Ffmpeg.FfmpegPath, args, path); }
        catch (MediaFormatException e) when (e.Problem.Contains("matches no streams", StringComparison.Ordinal))
        {
            throw new MediaFormatException(path, "no audio stream", e);
        }
        // ffmpeg's WAV header gives the rate and channels it kept; the data size is unknown on a pipe (WavReader reads
        // the bytes that are there).
        var (format, start, length) = WavReader.Locate(bytes, path);
        var signal = Deinterleave(bytes.AsSpan(start, length), format.Channels, format.SampleRate);
        if (signal == null) throw new MediaFormatException(path, offset > 0 ? $"no audio samples after offset {offset} s" : "the audio stream decodes to no samples");
        return signal;
    }

    /// <summary>Interleaved little-endian float32 frames → channels; null when there is not one whole frame.</summary>
    internal static AudioSignal? Deinterleave(ReadOnlySpan<byte> bytes, int channels, int rate)
    {
        var frames = bytes.Length / 4 / channels;
        if (frames == 0) return null;
        var samples = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes[..(frames * channels * 4)]);
        var output = new float[channels][];
        for (var c = 0; c < channels; c++)
        {
            var o = output[c] = new float[frames];
            for (var i = 0; i < frames; i++) o[i] = samples[i * channels + c];
        }
        return new AudioSignal(output, rate);
    }

    private static double? ParseDuration(JsonElement e) =>
        e.TryGetProperty("duration", out var d) && d.ValueKind == JsonValueKind.String
            && double.TryParse(d.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;

    internal static void RequireFile(string path)
    {
        if (!File.Exists(path)) throw new MediaFormatException(path, Directory.Exists(path) ? "is a directory, not a media file" : "file not found");
    }
}
