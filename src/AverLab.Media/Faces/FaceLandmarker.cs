using AverLab.Media.Images;
using AverLab.Media.Native;

namespace AverLab.Media.Faces;

/// <summary>dlib's shape predictor (an ensemble of regression trees) with the 68-point iBUG model from Debian's
/// libdlib-data. Loading the ~100 MB model takes about a second, so load once: <see cref="Shared"/> loads the
/// default model on first use and is reused. Prediction is thread-safe (dlib documents shape_predictor as
/// safe to share across threads), so one instance serves every thread.</summary>
public sealed unsafe class FaceLandmarker : IDisposable
{
    public const string DefaultModelPath = "/usr/share/dlib/shape_predictor_68_face_landmarks.dat";

    private static readonly Lazy<FaceLandmarker> SharedInstance = new(() => new FaceLandmarker(), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly NativeObject _predictor;

    /// <summary>Loads a model; by default the 68-point one (decompressed once into the user cache when Debian
    /// ships it as .dat.bz2).</summary>
    public FaceLandmarker(string? modelPath = null)
    {
        var path = modelPath ?? ResolveDefaultModel();
        if (!File.Exists(path)) throw new MediaFormatException(path, "landmark model not found");
        var utf8 = VisionNative.Utf8(path);
        IntPtr h;
        fixed (byte* p = utf8) h = VisionNative.avv_shape_load(p);
        if (h == IntPtr.Zero) throw new MediaFormatException(path, "cannot load the shape predictor: " + VisionNative.TakeError());
        _predictor = new NativeObject(h, VisionNative.avv_shape_free);
        PointCount = VisionNative.Check(VisionNative.avv_shape_num_parts(h));
        ModelPath = path;
    }

    /// <summary>The default 68-point model, loaded on first use and kept for the process's lifetime.</summary>
    public static FaceLandmarker Shared => SharedInstance.Value;

    public string ModelPath { get; }

    public int PointCount { get; }

    /// <summary>Predicts the landmarks of the face in <paramref name="box"/> (from any detector).</summary>
    public FaceLandmarks Detect(GrayImage image, FaceBox box)
    {
        ArgumentNullException.ThrowIfNull(image);
        var points = new float[PointCount * 2];
        var h = _predictor.Acquire();
        try
        {
            fixed (byte* px = image.Pixels)
            fixed (float* pts = points)
                VisionNative.Check(VisionNative.avv_shape_predict(h, px, image.Width, image.Height, box.X, box.Y, box.Width, box.Height, pts, PointCount));
        }
        finally
        {
            _predictor.Release();
        }
        var result = new LandmarkPoint[PointCount];
        for (var i = 0; i < PointCount; i++) result[i] = new LandmarkPoint(points[2 * i], points[2 * i + 1]);
        return new FaceLandmarks(box, result);
    }

    public FaceLandmarks Detect(RgbImage image, FaceBox box) => Detect(image.ToGray(), box);

    public void Dispose()
    {
        if (ReferenceEquals(this, SharedInstance.IsValueCreated ? SharedInstance.Value : null)) return; // the shared model lives on
        _predictor.Dispose();
    }

    /// <summary>The default model's path: the .dat itself, or a copy decompressed from .dat.bz2 into
    /// $XDG_CACHE_HOME/averlab (or ~/.cache/averlab).</summary>
    public static string ResolveDefaultModel()
    {
        var cacheRoot = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrEmpty(cacheRoot))
            cacheRoot = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return ResolveModel(DefaultModelPath, Path.Combine(cacheRoot, "averlab"));
    }

    /// <summary><paramref name="datPath"/> when it exists; otherwise <paramref name="datPath"/>.bz2 decompressed
    /// (bzip2, once) into <paramref name="cacheDir"/>, written to a temporary file and renamed so a crash never
    /// leaves half a model behind.</summary>
    public static string ResolveModel(string datPath, string cacheDir)
    {
        if (File.Exists(datPath)) return datPath;
        var compressed = datPath + ".bz2";
        if (!File.Exists(compressed))
            throw new MediaFormatException(datPath, "landmark model not found (Debian package libdlib-data; fix: sudo bash scripts/setup.sh)");
        var target = Path.Combine(cacheDir, Path.GetFileName(datPath));
        if (File.Exists(target)) return target;
        Directory.CreateDirectory(cacheDir);
        var temp = target + "." + Environment.ProcessId + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        try
        {
            using (var file = File.Create(temp))
                Ffmpeg.Run("bzip2", ["-dc", compressed], compressed, stdout => stdout.CopyTo(file));
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        return target;
    }
}
