using AverLab.Media.Native;
using OpenCvSharp;

namespace AverLab.Media.Images;

/// <summary>PNG/JPEG (and whatever else OpenCV's imdecode reads through OpenCvSharp4: BMP, TIFF, WebP, PPM) load and save. Files are
/// read into memory and decoded from bytes, so every failure names the file: a missing file, or "unreadable
/// image" for bytes OpenCV cannot decode.</summary>
public static class ImageCodec
{
    /// <summary>Decoded images above this many pixels are refused (128 Mpx: far above any camera frame, and its RGB
    /// bytes, 384 MiB, fit one .NET array).</summary>
    public const long MaxPixels = 1L << 27;

    /// <summary>Loads an image as RGB (alpha dropped, gray expanded).</summary>
    public static RgbImage Load(string path)
    {
        var (w, h, px) = Decode(ReadFile(path), path, gray: false);
        return new RgbImage(w, h, px);
    }

    /// <summary>Loads an image as 8-bit gray (cv2.imread(path, IMREAD_GRAYSCALE)).</summary>
    public static GrayImage LoadGray(string path)
    {
        var (w, h, px) = Decode(ReadFile(path), path, gray: true);
        return new GrayImage(w, h, px);
    }

    /// <summary>Decodes image bytes; <paramref name="sourceName"/> names them in errors.</summary>
    public static RgbImage Decode(byte[] bytes, string sourceName)
    {
        var (w, h, px) = Decode(bytes, sourceName, gray: false);
        return new RgbImage(w, h, px);
    }

    public static GrayImage DecodeGray(byte[] bytes, string sourceName)
    {
        var (w, h, px) = Decode(bytes, sourceName, gray: true);
        return new GrayImage(w, h, px);
    }

    /// <summary>Saves by extension: .png, or .jpg/.jpeg (quality 0-100, default 95).</summary>
    public static void Save(RgbImage image, string path, int jpegQuality = 95) =>
        File.WriteAllBytes(path, Encode(image.Pixels, image.Width, image.Height, RgbImage.Channels, FormatOf(path), jpegQuality));

    public static void Save(GrayImage image, string path, int jpegQuality = 95) =>
        File.WriteAllBytes(path, Encode(image.Pixels, image.Width, image.Height, 1, FormatOf(path), jpegQuality));

    /// <summary>Encodes to PNG or JPEG bytes (quality applies to JPEG).</summary>
    public static byte[] Encode(RgbImage image, ImageFormat format, int jpegQuality = 95) =>
        Encode(image.Pixels, image.Width, image.Height, RgbImage.Channels, format, jpegQuality);

    public static byte[] Encode(GrayImage image, ImageFormat format, int jpegQuality = 95) =>
        Encode(image.Pixels, image.Width, image.Height, 1, format, jpegQuality);

    private static ImageFormat FormatOf(string path) =>
        Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".png" => ImageFormat.Png,
            ".jpg" or ".jpeg" => ImageFormat.Jpeg,
            var e => throw new ArgumentException($"{path}: cannot save images as '{e}' (use .png, .jpg or .jpeg)", nameof(path)),
        };

    private static byte[] Encode(byte[] pixels, int width, int height, int channels, ImageFormat format, int quality)
    {
        if (format == ImageFormat.Jpeg && quality is < 0 or > 100)
            throw new ArgumentOutOfRangeException(nameof(quality), quality, "JPEG quality is 0-100");
        var (ext, parameters) = format switch
        {
            ImageFormat.Png => (".png", Array.Empty<int>()),
            ImageFormat.Jpeg => (".jpg", new[] { (int)ImwriteFlags.JpegQuality, quality }),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown image format"),
        };
        byte[] encoded = [];
        var ok = false;
        // OpenCV writes BGR(A); the pixels are RGB(A).
        var bgr = channels switch
        {
            3 => Cv.Apply("cvtColor", pixels, width, height, 3, width, height, 3, (s, d) => Cv2.CvtColor(s, d, ColorConversionCodes.RGB2BGR)),
            4 => Cv.Apply("cvtColor", pixels, width, height, 4, width, height, 4, (s, d) => Cv2.CvtColor(s, d, ColorConversionCodes.RGBA2BGRA)),
            _ => pixels,
        };
        unsafe
        {
            fixed (byte* p = bgr)
            {
                using var m = Cv.View(p, width, height, channels);
                Cv.Run("imencode", () => ok = Cv2.ImEncode(ext, m, out encoded, parameters));
            }
        }
        if (!ok) throw new VisionException($"OpenCV could not encode {ext}");
        return encoded;
    }

    private static byte[] ReadFile(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new MediaFormatException(path, "file not found", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MediaFormatException(path, $"cannot read file ({e.Message})", e);
        }
    }

    private static (int Width, int Height, byte[] Pixels) Decode(byte[] bytes, string sourceName, bool gray)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length == 0) throw new MediaFormatException(sourceName, "unreadable image (empty file)");
        // OpenCV would allocate and decode the claimed size first (seconds and gigabytes for a corrupt header).
        if (ImageHeader.TryReadSize(bytes) is { } claimed && claimed.Width * claimed.Height > MaxPixels)
            throw new MediaFormatException(sourceName, $"header claims an image of {claimed.Width} x {claimed.Height} pixels, larger than {MaxPixels:N0} pixels (corrupt header?)");
        if (ImageHeader.PngChunkOverrun(bytes) is { } overrun) throw new MediaFormatException(sourceName, overrun);
        Mat img;
        try
        {
            img = Cv2.ImDecode(bytes, gray ? ImreadModes.Grayscale : ImreadModes.Color);
        }
        catch (OpenCVException e)
        {
            throw new MediaFormatException(sourceName, "unreadable image (OpenCV: " + e.ErrMsg + ")", e);
        }
        using (img)
        {
            if (img.Empty())
                throw new MediaFormatException(sourceName, "unreadable image (not a PNG/JPEG/BMP/... OpenCV can decode, or corrupt)");
            // Formats whose header ImageHeader does not read (TIFF, PNM) are checked after decoding.
            if ((long)img.Width * img.Height > MaxPixels)
                throw new MediaFormatException(sourceName, $"image of {img.Width} x {img.Height} pixels is larger than {MaxPixels:N0} pixels (corrupt header?)");
            if (img.Depth() != MatType.CV_8U) img.ConvertTo(img, MatType.MakeType(MatType.CV_8U, img.Channels()));
            var expected = gray ? 1 : RgbImage.Channels;
            if (img.Channels() != expected)
                throw new MediaFormatException(sourceName, $"decoder returned {img.Channels()} channels, expected {expected}");
            if (!gray) Cv2.CvtColor(img, img, ColorConversionCodes.BGR2RGB);
            return (img.Width, img.Height, Cv.ToArray(img));
        }
    }
}
