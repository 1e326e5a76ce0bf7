using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

// Web load bench (bench/web-load.sh): for each scenario N x M, starts averlab-web on 127.0.0.1 with its default
// settings and a fresh store, sends N clients at once, each uploading M real-sized files back to back (a 3 s wav,
// a 640x480 jpg, a 5 s 640x480 mp4 in turn), waits for every result, and prints one line:
//   web.load clients=N uploads_each=M accepted=.. refused=.. failed=.. lost=.. result_p50_s=.. result_p95_s=..
//   result_max_s=.. throughput_per_min=.. server_peak_ws_mib=..
// Time to result runs from the start of the upload to the poll that sees it finished (polled every 100 ms).
var options = Args.Parse(args);
var work = Directory.CreateTempSubdirectory("averlab-web-load-").FullName;
try
{
    var media = Media.Make(work, options.Sample);
    foreach (var (kind, path) in media)
        Console.WriteLine(FormattableString.Invariant($"# {kind}: {new FileInfo(path).Length / 1024.0:0} KB ({Path.GetFileName(path)})"));
    foreach (var (clients, each) in options.Scenarios)
        await Scenario.Run(options, work, media, clients, each);
}
finally
{
    try { Directory.Delete(work, recursive: true); } catch (IOException) { }
}

/// <summary>--server DLL (averlab-web.dll), --models DIR (model packages the server falls back on), --scenario NxM
/// (repeatable; default 50x1 and 10x5), --sample DIR (RAVDESS wavs for real speech; synthetic sound otherwise),
/// --server-arg ARG (repeatable, passed on, e.g. --server-arg --workers --server-arg 2).</summary>
sealed record Args(string Server, string? Models, List<(int Clients, int Each)> Scenarios, string? Sample, List<string> ServerArgs)
{
    public static Args Parse(string[] args)
    {
        string? server = null, models = null, sample = null;
        var scenarios = new List<(int, int)>();
        var extra = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--server": server = Next(); break;
                case "--models": models = Next(); break;
                case "--sample": sample = Next(); break;
                case "--server-arg": extra.Add(Next()); break;
                case "--scenario":
                    var s = Next().Split('x');
                    if (s.Length != 2 || !int.TryParse(s[0], out var n) || !int.TryParse(s[1], out var m) || n < 1 || m < 1)
                        throw new ArgumentException($"--scenario wants NxM (clients x uploads each), got '{string.Join('x', s)}'");
                    scenarios.Add((n, m));
                    break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        if (server == null || !File.Exists(server)) throw new ArgumentException($"--server must name averlab-web.dll (got '{server}')");
        return new Args(Path.GetFullPath(server), models, scenarios.Count > 0 ? scenarios : [(50, 1), (10, 5)], sample, extra);
    }
}

/// <summary>The files uploaded, made with ffmpeg from a real face photo (Debian opencv-doc's messi5.jpg) and real
/// speech when a RAVDESS sample is at hand.</summary>
static class Media
{
    private const string Photo = "/usr/share/doc/opencv-doc/examples/data/messi5.jpg";

    public static List<(string Kind, string Path)> Make(string dir, string? sample)
    {
        if (!File.Exists(Photo)) throw new FileNotFoundException($"{Photo} is missing: run bash scripts/setup.sh (opencv-doc)");
        var wav = Path.Combine(dir, "speech-3s.wav");
        var speech = sample != null && Directory.Exists(sample)
            ? Directory.GetFiles(sample, "03-01-*.wav", SearchOption.AllDirectories).Order(StringComparer.Ordinal).FirstOrDefault() : null;
        if (speech != null)
            Ffmpeg("-i", speech, "-af", "apad=whole_dur=3", "-t", "3", "-ar", "48000", "-ac", "1", "-c:a", "pcm_s16le", wav);
        else
            Ffmpeg("-f", "lavfi", "-i", "sine=frequency=180:duration=3:sample_rate=48000", "-f", "lavfi", "-i", "anoisesrc=d=3:a=0.03:r=48000",
                "-filter_complex", "amix=inputs=2", "-ac", "1", "-c:a", "pcm_s16le", wav);
        var jpg = Path.Combine(dir, "face-640x480.jpg");
        Ffmpeg("-i", Photo, "-vf", "scale=640:480:force_original_aspect_ratio=decrease,pad=640:480:(ow-iw)/2:(oh-ih)/2", "-q:v", "3", jpg);
        // 25 frames a second with sensor-like noise, so the file and its decoding are those of a camera clip.
        var mp4 = Path.Combine(dir, "face-5s-640x480.mp4");
        Ffmpeg("-loop", "1", "-framerate", "25", "-t", "5", "-i", jpg, "-stream_loop", "-1", "-i", wav, "-t", "5", "-vf", "noise=alls=8:allf=t",
            "-c:v", "libx264", "-preset", "veryfast", "-b:v", "2M", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k", "-shortest", mp4);
        return [("wav", wav), ("jpg", jpg), ("mp4", mp4)];
    }

    private static void Ffmpeg(params string[] args)
    {
        var psi = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-v", "error", "-y" }.Concat(args)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"ffmpeg {string.Join(' ', args)}: {err}");
    }
}

/// <summary>One upload as the client saw it.</summary>
sealed record Upload(string Kind, int Code, string? Id, double Sent, double? Received, double? Finished, string? Status);

static class Scenario
{
    public static async Task Run(Args options, string work, List<(string Kind, string Path)> media, int clients, int each)
    {
        var data = Path.Combine(work, $"store-{clients}x{each}");
        var experiments = Directory.CreateDirectory(Path.Combine(work, "experiments-empty")).FullName;
        var port = FreePort();
        var url = $"http://127.0.0.1:{port}";
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { options.Server, "--urls", url, "--data", data, "--experiments", experiments }) psi.ArgumentList.Add(a);
        if (options.Models != null) { psi.ArgumentList.Add("--models"); psi.ArgumentList.Add(options.Models); }
        foreach (var a in options.ServerArgs) psi.ArgumentList.Add(a);
        using var server = Process.Start(psi)!;
        var log = new List<string>();
        server.OutputDataReceived += (_, e) => { if (e.Data != null) lock (log) log.Add(e.Data); };
        server.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (log) log.Add(e.Data); };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            using var probe = new HttpClient { BaseAddress = new Uri(url) };
            await Ready(probe, server, log);
            var startMib = Memory(server.Id, "VmRSS");
            var bytes = media.Select(m => (m.Kind, Name: Path.GetFileName(m.Path), Content: File.ReadAllBytes(m.Path))).ToList();
            var clock = Stopwatch.StartNew();
            var uploads = new List<Upload>();
            var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var tasks = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
            {
                // Each client on its own connection, as separate users are.
                using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 2 }) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(10) };
                await go.Task;
                var mine = new List<Task<Upload>>();
                for (var i = 0; i < each; i++)
                {
                    var (kind, name, content) = bytes[(c * each + i) % bytes.Count];
                    var sent = clock.Elapsed.TotalSeconds;
                    using var form = new MultipartFormDataContent { { new ByteArrayContent(content), "file", name } };
                    HttpResponseMessage r;
                    try { r = await http.PostAsync("/api/analyses", form); }
                    catch (HttpRequestException) { mine.Add(Task.FromResult(new Upload(kind, 0, null, sent, null, null, null))); continue; }
                    var received = clock.Elapsed.TotalSeconds;
                    var body = await r.Content.ReadAsStringAsync();
                    if (r.StatusCode != HttpStatusCode.Accepted)
                    {
                        mine.Add(Task.FromResult(new Upload(kind, (int)r.StatusCode, null, sent, received, null, null)));
                        continue;
                    }
                    var id = JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
                    mine.Add(Poll(http, clock, new Upload(kind, 202, id, sent, received, null, null)));
                }
                return await Task.WhenAll(mine);
            })).ToList();
            var peak = 0.0;
            using var sampler = new Timer(_ => { var m = Memory(server.Id, "VmRSS"); if (m > Volatile.Read(ref peak)) Volatile.Write(ref peak, m); }, null, 0, 100);
            go.SetResult();
            foreach (var t in tasks) uploads.AddRange(await t);
            var wall = clock.Elapsed.TotalSeconds;
            var hwm = Memory(server.Id, "VmHWM"); // the kernel's own peak resident set of the server process

            var listed = JsonDocument.Parse(await probe.GetStringAsync("/api/analyses")).RootElement.EnumerateArray()
                .Select(a => (Id: a.GetProperty("id").GetString()!, Status: a.GetProperty("status").GetString()!)).ToDictionary(a => a.Id, a => a.Status);
            var accepted = uploads.Where(u => u.Code == 202).ToList();
            var refused = uploads.Count(u => u.Code is 429 or 503);
            var failed = uploads.Count(u => u.Code is not (202 or 429 or 503)) + accepted.Count(u => u.Status == "failed");
            var lost = accepted.Count(u => u.Status is not ("done" or "failed") || !listed.ContainsKey(u.Id!));
            var times = accepted.Where(u => u.Status == "done").Select(u => u.Finished!.Value - u.Sent).Order().ToList();
            var upload = uploads.Where(u => u.Received != null).Select(u => u.Received!.Value - u.Sent).Order().ToList();
            var done = times.Count;
            Console.WriteLine(FormattableString.Invariant(
                $"web.load clients={clients} uploads_each={each} total={uploads.Count} accepted={accepted.Count} refused={refused} failed={failed} lost={lost} ") +
                FormattableString.Invariant(
                $"result_p50_s={P(times, 0.50):0.0} result_p95_s={P(times, 0.95):0.0} result_max_s={(times.Count > 0 ? times[^1] : double.NaN):0.0} ") +
                FormattableString.Invariant(
                $"upload_p50_s={P(upload, 0.50):0.00} upload_max_s={(upload.Count > 0 ? upload[^1] : double.NaN):0.00} throughput_per_min={60 * done / wall:0.0} wall_s={wall:0.0} ") +
                FormattableString.Invariant($"server_start_ws_mib={startMib:0} server_peak_ws_mib={Math.Max(hwm, peak):0}"));
            foreach (var g in accepted.Where(u => u.Status == "done").GroupBy(u => u.Kind).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var t = g.Select(u => u.Finished!.Value - u.Sent).Order().ToList();
                Console.WriteLine(FormattableString.Invariant($"#   {g.Key}: {t.Count} done, result p50 {P(t, 0.5):0.0} s, max {t[^1]:0.0} s"));
            }
            foreach (var u in uploads.Where(u => u.Code is not (202 or 429 or 503)).Take(3))
                Console.WriteLine($"#   upload refused with {u.Code} ({u.Kind})");
            foreach (var u in accepted.Where(u => u.Status == "failed").Take(3))
                Console.WriteLine($"#   {u.Kind} failed: {JsonDocument.Parse(await probe.GetStringAsync($"/api/analyses/{u.Id}")).RootElement.GetProperty("error").GetString()}");
        }
        finally
        {
            if (!server.HasExited) server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    /// <summary>Polls an analysis every 100 ms until it is done or failed (at most 30 minutes).</summary>
    private static async Task<Upload> Poll(HttpClient http, Stopwatch clock, Upload u)
    {
        for (var deadline = clock.Elapsed + TimeSpan.FromMinutes(30); clock.Elapsed < deadline;)
        {
            await Task.Delay(100);
            string json;
            try { json = await http.GetStringAsync($"/api/analyses/{u.Id}"); }
            catch (HttpRequestException) { continue; }
            var status = JsonDocument.Parse(json).RootElement.GetProperty("status").GetString();
            if (status is "done" or "failed") return u with { Finished = clock.Elapsed.TotalSeconds, Status = status };
        }
        return u;
    }

    private static async Task Ready(HttpClient probe, Process server, List<string> log)
    {
        for (var i = 0; i < 600; i++)
        {
            if (server.HasExited)
            {
                lock (log) throw new InvalidOperationException($"the server exited ({server.ExitCode}): {string.Join("\n", log.TakeLast(20))}");
            }
            try
            {
                if ((await probe.GetAsync("/api/runs")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException("the server did not answer within 2 minutes");
    }

    /// <summary>A /proc/PID/status figure (VmRSS, VmHWM) in MiB; NaN when it cannot be read.</summary>
    private static double Memory(int pid, string field)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
            return line == null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
        catch (IOException) { return double.NaN; }
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double P(List<double> sorted, double q) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
