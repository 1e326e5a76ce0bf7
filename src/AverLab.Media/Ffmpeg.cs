using System.Diagnostics;
using System.Text;

namespace AverLab.Media;

/// <summary>Runs ffmpeg/ffprobe (Debian package ffmpeg) as child processes with binary pipes. Errors name the
/// media file and carry ffmpeg's last stderr line, never a bare exit code.</summary>
public static class Ffmpeg
{
    public static string FfmpegPath { get; set; } = "ffmpeg";
    public static string FfprobePath { get; set; } = "ffprobe";

    /// <summary>Runs a tool to completion, returning its stdout bytes. <paramref name="mediaPath"/> names the file
    /// in errors; <paramref name="stdin"/> (optional) is written to the tool's standard input.</summary>
    public static byte[] Run(string tool, IEnumerable<string> args, string mediaPath, byte[]? stdin = null)
    {
        using var output = new MemoryStream();
        Run(tool, args, mediaPath, stdout => stdout.CopyTo(output), stdin == null ? null : s => s.Write(stdin));
        return output.ToArray();
    }

    /// <summary>Runs a tool, handing its stdout stream to <paramref name="readStdout"/> as it is produced (for large
    /// outputs) and optionally feeding stdin from <paramref name="writeStdin"/> on another thread. A reader that throws
    /// OperationCanceledException stops the tool at once (the exception is rethrown).</summary>
    public static void Run(string tool, IEnumerable<string> args, string mediaPath, Action<Stream> readStdout,
        Action<Stream>? writeStdin = null)
    {
        var psi = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = writeStdin != null,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException("process did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new MediaFormatException(mediaPath, $"cannot run {tool} ({e.Message}); install it with: bash scripts/setup.sh", e);
        }
        using (process)
        {
            var stderr = new StringBuilder();
            process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (stderr) stderr.AppendLine(e.Data); };
            process.BeginErrorReadLine();
            Task? feeder = null;
            if (writeStdin != null)
                feeder = Task.Run(() =>
                {
                    try { writeStdin(process.StandardInput.BaseStream); }
                    catch (IOException) { } // the tool exited early; its stderr explains why
                    finally { process.StandardInput.Close(); }
                });
            Exception? readerError = null;
            try { readStdout(process.StandardOutput.BaseStream); }
            catch (Exception e) { readerError = e; }
            if (readerError is OperationCanceledException)
                try { process.Kill(); } catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception) { } // the reader stopped on purpose: do not decode the rest
            else
                process.StandardOutput.BaseStream.CopyTo(Stream.Null); // drain so the tool can exit
            process.WaitForExit();
            feeder?.Wait();
            if (readerError != null) throw readerError;
            if (process.ExitCode != 0)
            {
                string last;
                lock (stderr) last = LastLines(stderr.ToString());
                throw new MediaFormatException(mediaPath, $"{System.IO.Path.GetFileName(tool)} failed (exit {process.ExitCode}): {last}");
            }
        }
    }

    private static string LastLines(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "no message" : string.Join(" | ", lines.TakeLast(2));
    }
}
