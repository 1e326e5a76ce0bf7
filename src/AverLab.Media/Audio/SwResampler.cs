using System.Runtime.InteropServices;

namespace AverLab.Media.Audio;

/// <summary>The SoX resampler of the ffmpeg CLI's <c>aresample=resampler=soxr:precision=28</c>, called in this process
/// through Debian's libswresample (the library that filter runs: same options, same calls, the same samples out) instead
/// of a child ffmpeg per clip, whose start costs more than the resampling. Mono float32 in and out; the caller resamples
/// each channel on its own (soxr treats channels independently). <see cref="Available"/> is false where the library is
/// not installed (or not ABI 4): <see cref="Resampler"/> then runs the ffmpeg CLI.</summary>
internal static unsafe class SwResampler
{
    private const int SampleFormatFloat = 3; // AV_SAMPLE_FMT_FLT (libavutil/samplefmt.h)

    private static readonly Api? Library = Load();

    public static bool Available => Library != null;

    /// <summary>The whole signal through one SwrContext, as aresample does it: convert, then drain with empty input until
    /// no sample comes out. Null when the library is missing or refuses the settings (the caller falls back).</summary>
    public static float[]? Resample(ReadOnlySpan<float> input, int sourceRate, int targetRate, int precision)
    {
        if (Library is not { } api) return null;
        var ctx = api.Alloc();
        if (ctx == 0) return null;
        try
        {
            if (!Set(api, ctx, "resampler", "soxr") || !Set(api, ctx, "precision", precision.ToString(System.Globalization.CultureInfo.InvariantCulture))
                || !Set(api, ctx, "ichl", "mono") || !Set(api, ctx, "ochl", "mono")
                || api.OptSetInt(ctx, "isf", SampleFormatFloat) < 0 || api.OptSetInt(ctx, "osf", SampleFormatFloat) < 0
                || api.OptSetInt(ctx, "isr", sourceRate) < 0 || api.OptSetInt(ctx, "osr", targetRate) < 0
                || api.Init(ctx) < 0)
                return null;
            var capacity = (int)Math.Min(int.MaxValue, (long)input.Length * targetRate / sourceRate + 4096 + 64);
            var output = new float[capacity];
            var produced = 0;
            fixed (float* inPtr = input)
            fixed (float* outPtr = output)
            {
                var inPlanes = stackalloc byte*[1];
                var outPlanes = stackalloc byte*[1];
                inPlanes[0] = (byte*)inPtr;
                outPlanes[0] = (byte*)outPtr;
                var n = api.Convert(ctx, outPlanes, capacity, inPlanes, input.Length);
                if (n < 0) return null;
                produced = n;
                while (produced < capacity)
                {
                    outPlanes[0] = (byte*)(outPtr + produced);
                    n = api.Convert(ctx, outPlanes, Math.Min(4096, capacity - produced), null, 0);
                    if (n < 0) return null;
                    if (n == 0) break;
                    produced += n;
                }
            }
            return produced == output.Length ? output : output.AsSpan(0, produced).ToArray();
        }
        finally
        {
            var p = ctx;
            api.Free(&p);
        }
    }

    private static bool Set(Api api, nint ctx, string name, string value) => api.OptSet(ctx, name, value) >= 0;

    private sealed class Api
    {
        public required delegate* unmanaged<nint> Alloc;
        public required delegate* unmanaged<nint, int> Init;
        public required delegate* unmanaged<nint*, void> FreePtr;
        public required delegate* unmanaged<nint, byte**, int, byte**, int, int> ConvertPtr;
        public required delegate* unmanaged<nint, byte*, byte*, int, int> OptSetPtr;
        public required delegate* unmanaged<nint, byte*, long, int, int> OptSetIntPtr;

        public void Free(nint* ctx) => FreePtr(ctx);
        public int Convert(nint ctx, byte** output, int outCount, byte** input, int inCount) => ConvertPtr(ctx, output, outCount, input, inCount);

        public int OptSet(nint obj, string name, string value)
        {
            var n = Marshal.StringToCoTaskMemUTF8(name);
            var v = Marshal.StringToCoTaskMemUTF8(value);
            try { return OptSetPtr(obj, (byte*)n, (byte*)v, 0); }
            finally { Marshal.FreeCoTaskMem(n); Marshal.FreeCoTaskMem(v); }
        }

        public int OptSetInt(nint obj, string name, long value)
        {
            var n = Marshal.StringToCoTaskMemUTF8(name);
            try { return OptSetIntPtr(obj, (byte*)n, value, 0); }
            finally { Marshal.FreeCoTaskMem(n); }
        }
    }

    /// <summary>libswresample 4 and libavutil 57 (ffmpeg 5.1, Debian 12's, the ffmpeg CLI's own); any other ABI is left
    /// alone. AVERLAB_RESAMPLER=ffmpeg forces the CLI (to compare the two).</summary>
    private static Api? Load()
    {
        if (Environment.GetEnvironmentVariable("AVERLAB_RESAMPLER") == "ffmpeg") return null;
        if (!OperatingSystem.IsLinux()) return null;
        if (!NativeLibrary.TryLoad("libswresample.so.4", out var swr) || !NativeLibrary.TryLoad("libavutil.so.57", out var avutil)) return null;
        try
        {
            return new Api
            {
                Alloc = (delegate* unmanaged<nint>)NativeLibrary.GetExport(swr, "swr_alloc"),
                Init = (delegate* unmanaged<nint, int>)NativeLibrary.GetExport(swr, "swr_init"),
                FreePtr = (delegate* unmanaged<nint*, void>)NativeLibrary.GetExport(swr, "swr_free"),
                ConvertPtr = (delegate* unmanaged<nint, byte**, int, byte**, int, int>)NativeLibrary.GetExport(swr, "swr_convert"),
                OptSetPtr = (delegate* unmanaged<nint, byte*, byte*, int, int>)NativeLibrary.GetExport(avutil, "av_opt_set"),
                OptSetIntPtr = (delegate* unmanaged<nint, byte*, long, int, int>)NativeLibrary.GetExport(avutil, "av_opt_set_int"),
            };
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
    }
}
