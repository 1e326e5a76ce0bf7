using AverLab.Media.Images;

namespace AverLab.Media.Faces;

/// <summary>dlib's shape predictor (an ensemble of regression trees) with the 68-point iBUG model from Debian's
/// libdlib-data, read and run in C# (<see cref="DlibShapePredictor"/>: the same points as dlib on the same model
/// file). Loading the ~100 MB model takes about a second, so load once: <see cref="Shared"/> loads the default
/// model on first use and is reused. A loaded model is immutable, so one instance serves every thread.</summary>
public sealed class FaceLandmarker : IDisposable
{
    public const string DefaultModelPath = "/usr/share/dlib/shape_predictor_68_face_landmarks.dat";

    private static readonly Lazy<FaceLandmarker> SharedInstance = new(() => new FaceLandmarker(), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly DlibShapePredictor _predictor;

    /// <summary>Loads a model; by default the 68-point one (decompressed once into the user cache when Debian
    /// ships it as .dat.bz2).</summary>
    public FaceLandmarker(string? modelPath = null)
    {
        var path = modelPath ?? ResolveDefaultModel();
        if (!File.Exists(path)) throw new MediaFormatException(path, "landmark model not found");
        _predictor = DlibShapePredictor.Load(path);
        PointCount = _predictor.PartCount;
        ModelPath = path;
    }

    /// <summary>The default 68-point model, loaded on first use and kept for the process's lifetime.</summary>
    public static FaceLandmarker Shared => SharedInstance.Value;

    public string ModelPath { get; }

    public int PointCount { get; }

    /// <summary>The model's mean shape in face-box units ((0, 0) the box's top-left corner, (1, 1) its bottom-right):
    /// the canonical template <see cref="LandmarkAligner"/> aligns faces to.</summary>
    public LandmarkPoint[] MeanShape()
    {
        var m = _predictor.MeanShape;
        var points = new LandmarkPoint[m.Length / 2];
        for (var i = 0; i < points.Length; i++) points[i] = new LandmarkPoint(m[2 * i], m[2 * i + 1]);
        return points;
    }

    /// <summary>Predicts the landmarks of the face in <paramref name="box"/> (from any detector).</summary>
    public FaceLandmarks Detect(GrayImage image, FaceBox box)
    {
        ArgumentNullException.ThrowIfNull(image);
        var points = _predictor.Predict(image.Pixels, image.Width, image.Height, box.X, box.Y, box.Width, box.Height);
        var result = new LandmarkPoint[PointCount];
        for (var i = 0; i < PointCount; i++) result[i] = new LandmarkPoint(points[2 * i], points[2 * i + 1]);
        return new FaceLandmarks(box, result);
    }

    public FaceLandmarks Detect(RgbImage image, FaceBox box) => Detect(image.ToGray(), box);

    /// <summary>Nothing to release (the model is managed memory); kept so existing `using` code compiles.</summary>
    public void Dispose() { }

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
