using AverLab.Media.Native;

namespace AverLab.Media.Images;

/// <summary>PNG/JPEG (and whatever else OpenCV's imdecode reads: BMP, TIFF, WebP, PPM) load and save. Files are
/// read into memory and decoded from bytes, so every failure names the file: a missing file, or "unreadable
/// image" for bytes OpenCV cannot decode.</summary>
public static unsafe class ImageCodec
{
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
        byte* output = null;
        long length = 0;
        fixed (byte* p = pixels)
            VisionNative.Check(VisionNative.avv_imencode(p, width, height, channels, (int)format,
                format == ImageFormat.Jpeg ? quality : -1, &output, &length));
        try
        {
            return new ReadOnlySpan<byte>(output, checked((int)length)).ToArray();
        }
        finally
        {
            VisionNative.avv_free_buffer(output);
        }
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
        int w, h, c;
        byte* pixels = null;
        int rc;
        fixed (byte* b = bytes)
            rc = VisionNative.avv_imdecode(b, bytes.Length, gray ? 1 : 0, &w, &h, &c, &pixels);
        if (rc < 0) throw new MediaFormatException(sourceName, VisionNative.TakeError("unreadable image"));
        try
        {
            var expected = gray ? 1 : RgbImage.Channels;
            if (c != expected) throw new MediaFormatException(sourceName, $"decoder returned {c} channels, expected {expected}");
            return (w, h, new ReadOnlySpan<byte>(pixels, checked(w * h * c)).ToArray());
        }
        finally
        {
            VisionNative.avv_free_buffer(pixels);
        }
    }
}
