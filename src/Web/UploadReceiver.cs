using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace AverLab.Web;

/// <summary>A multipart upload as received: the form's text fields, and the media (the field <c>file</c>) written to
/// <see cref="PartPath"/> as it arrived, with its first bytes kept for the type sniffer.</summary>
public sealed record ReceivedUpload(Dictionary<string, StringValues> Fields, string? FileName, string? PartPath, long Length, byte[] Header);

/// <summary>Reads a multipart/form-data request section by section, streaming the media straight to a file in the
/// uploads folder (a small buffer per upload, whatever the file's size) and the other fields into memory (each at
/// most 64 KB, 1024 at most). Fails with <see cref="UploadException"/> carrying the HTTP status and the reason.</summary>
public static class UploadReceiver
{
    public const int MaxFieldBytes = 64 * 1024;
    public const int MaxFields = 1024;
    private const int BufferBytes = 64 * 1024;

    public static async Task<ReceivedUpload> Receive(HttpRequest request, string partPath, long maxFileBytes, string tooLarge, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            throw new UploadException(400, "send multipart/form-data with the media in the field 'file'");
        var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value;
        if (string.IsNullOrEmpty(boundary) || boundary.Length > 200)
            throw new UploadException(400, "the multipart request has no usable boundary");
        var reader = new MultipartReader(boundary, request.Body);
        var fields = new Dictionary<string, StringValues>(StringComparer.Ordinal);
        var fieldCount = 0;
        string? fileName = null;
        long length = 0;
        var header = Array.Empty<byte>();
        var written = false;
        try
        {
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.DispositionType.Equals("form-data"))
                    continue;
                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                if (disposition.IsFileDisposition())
                {
                    if (name != "file" || written) continue; // other files are not read; the reader skips them
                    fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? "";
                    (length, header) = await Copy(section.Body, partPath, maxFileBytes, tooLarge, ct);
                    written = true;
                    continue;
                }
                if (++fieldCount > MaxFields) throw new UploadException(400, $"the form has more than {MaxFields} fields");
                var value = await ReadField(section.Body, name, ct);
                fields[name] = StringValues.Concat(fields.GetValueOrDefault(name), value);
            }
        }
        catch (Exception e) when (e is not UploadException)
        {
            Delete(partPath);
            throw e switch
            {
                BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => new UploadException(413, tooLarge),
                InvalidDataException or IOException or BadHttpRequestException => new UploadException(400, $"the upload could not be read: {e.Message}"),
                _ => e,
            };
        }
        catch
        {
            Delete(partPath);
            throw;
        }
        return new ReceivedUpload(fields, fileName, written ? partPath : null, length, header);
    }

    /// <summary>Copies the media to <paramref name="path"/>, stopping with 413 past the limit; returns its length and
    /// its first <see cref="MediaSniffer.HeaderLength"/> bytes.</summary>
    private static async Task<(long Length, byte[] Header)> Copy(Stream body, string path, long max, string tooLarge, CancellationToken ct)
    {
        var buffer = new byte[BufferBytes];
        var header = new List<byte>(MediaSniffer.HeaderLength);
        long total = 0;
        await using var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
        int n;
        while ((n = await body.ReadAsync(buffer, ct)) > 0)
        {
            total += n;
            if (total > max) throw new UploadException(413, tooLarge);
            if (header.Count < MediaSniffer.HeaderLength) header.AddRange(buffer.AsSpan(0, Math.Min(n, MediaSniffer.HeaderLength - header.Count)).ToArray());
            await output.WriteAsync(buffer.AsMemory(0, n), ct);
        }
        return (total, header.ToArray());
    }

    private static async Task<string> ReadField(Stream body, string name, CancellationToken ct)
    {
        using var memory = new MemoryStream();
        var buffer = new byte[4096];
        int n;
        while ((n = await body.ReadAsync(buffer, ct)) > 0)
        {
            if (memory.Length + n > MaxFieldBytes) throw new UploadException(400, $"the form field '{(name.Length > 40 ? name[..40] : name)}' is longer than {MaxFieldBytes / 1024} KB");
            memory.Write(buffer, 0, n);
        }
        return Encoding.UTF8.GetString(memory.GetBuffer(), 0, (int)memory.Length);
    }

    public static void Delete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>An upload refused while it was being read: the HTTP status and the reason for the client.</summary>
public sealed class UploadException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
