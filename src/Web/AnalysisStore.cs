using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace AverLab.Web;

/// <summary>Analyses in SQLite (<c>analyses.db</c> under the data folder), uploads under <c>uploads/</c> and each
/// analysis's outputs (Grad-CAM images) under <c>analyses/&lt;id&gt;/</c>: all survive a restart. Safe to use from
/// several threads (a connection per call, WAL journal).</summary>
public sealed class AnalysisStore
{
    private readonly string connectionString;

    public AnalysisStore(string dataDir)
    {
        DataDir = Path.GetFullPath(dataDir);
        Directory.CreateDirectory(UploadsDir);
        Directory.CreateDirectory(OutputsDir);
        connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(DataDir, "analyses.db"), Pooling = true }.ToString();
        using var c = Open();
        Execute(c, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS analyses (
              id TEXT PRIMARY KEY, created_utc TEXT NOT NULL, status TEXT NOT NULL, file_name TEXT NOT NULL,
              kind TEXT NOT NULL, stored_name TEXT NOT NULL, mode TEXT NOT NULL, runs TEXT NOT NULL,
              result TEXT, error TEXT, finished_utc TEXT);
            CREATE INDEX IF NOT EXISTS analyses_created ON analyses (created_utc);
            """);
    }

    public string DataDir { get; }
    public string UploadsDir => Path.Combine(DataDir, "uploads");
    public string OutputsDir => Path.Combine(DataDir, "analyses");

    public string UploadPath(AnalysisRecord r) => Path.Combine(UploadsDir, r.StoredName);
    public string OutputDir(string id) => Path.Combine(OutputsDir, id);

    /// <summary>A fresh id: 32 hex digits from a random GUID.</summary>
    public static string NewId() => Guid.NewGuid().ToString("N");

    /// <summary>Ids are 32 lower-case hex digits; anything else is unknown without touching the database.</summary>
    public static bool IsWellFormedId(string id) => id.Length == 32 && id.All(char.IsAsciiHexDigitLower);

    private SqliteConnection Open()
    {
        var c = new SqliteConnection(connectionString);
        c.Open();
        using var busy = c.CreateCommand();
        busy.CommandText = "PRAGMA busy_timeout = 5000;";
        busy.ExecuteNonQuery();
        return c;
    }

    private static int Execute(SqliteConnection c, string sql, params (string name, object? value)[] args)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in args) cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return cmd.ExecuteNonQuery();
    }

    private static string Time(DateTime t) => t.ToString("O", CultureInfo.InvariantCulture);

    public void Insert(AnalysisRecord r)
    {
        using var c = Open();
        Execute(c, "INSERT INTO analyses (id, created_utc, status, file_name, kind, stored_name, mode, runs) VALUES ($id, $c, $s, $f, $k, $n, $m, $r)",
            ("$id", r.Id), ("$c", Time(r.CreatedUtc)), ("$s", r.Status), ("$f", r.FileName), ("$k", r.Kind.ToString()),
            ("$n", r.StoredName), ("$m", r.Mode), ("$r", JsonSerializer.Serialize(r.Runs)));
    }

    /// <summary>Moves a queued analysis to running; false when it is gone or not queued.</summary>
    public bool TryStart(string id)
    {
        using var c = Open();
        return Execute(c, "UPDATE analyses SET status = $run WHERE id = $id AND status = $queued",
            ("$run", AnalysisStatus.Running), ("$id", id), ("$queued", AnalysisStatus.Queued)) == 1;
    }

    public void Finish(string id, string? resultJson, string? error)
    {
        using var c = Open();
        Execute(c, "UPDATE analyses SET status = $s, result = $r, error = $e, finished_utc = $t WHERE id = $id",
            ("$s", error == null ? AnalysisStatus.Done : AnalysisStatus.Failed), ("$r", resultJson), ("$e", error),
            ("$t", Time(DateTime.UtcNow)), ("$id", id));
    }

    public AnalysisRecord? Get(string id)
    {
        if (!IsWellFormedId(id)) return null;
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT * FROM analyses WHERE id = $id";
        cmd.Parameters.AddWithValue("$id", id);
        using var reader = cmd.ExecuteReader();
        return reader.Read() ? Read(reader) : null;
    }

    /// <summary>The newest analyses first, at most <paramref name="limit"/>.</summary>
    public List<AnalysisRecord> List(int limit = 200)
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT * FROM analyses ORDER BY created_utc DESC LIMIT $n";
        cmd.Parameters.AddWithValue("$n", limit);
        using var reader = cmd.ExecuteReader();
        var list = new List<AnalysisRecord>();
        while (reader.Read()) list.Add(Read(reader));
        return list;
    }

    /// <summary>Analyses a stopped server left queued or running, oldest first; running ones are set back to queued
    /// (their work was lost with the process, so they start again).</summary>
    public List<string> Unfinished()
    {
        using var c = Open();
        Execute(c, "UPDATE analyses SET status = $q WHERE status = $r", ("$q", AnalysisStatus.Queued), ("$r", AnalysisStatus.Running));
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT id FROM analyses WHERE status = $q ORDER BY created_utc";
        cmd.Parameters.AddWithValue("$q", AnalysisStatus.Queued);
        using var reader = cmd.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read()) ids.Add(reader.GetString(0));
        return ids;
    }

    /// <summary>Every analysis, oldest first: id, when it was accepted, its status and its upload's name.</summary>
    public List<(string Id, DateTime CreatedUtc, string Status, string StoredName)> Oldest()
    {
        using var c = Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT id, created_utc, status, stored_name FROM analyses ORDER BY created_utc, id";
        using var reader = cmd.ExecuteReader();
        var list = new List<(string, DateTime, string, string)>();
        while (reader.Read())
            list.Add((reader.GetString(0), DateTime.Parse(reader.GetString(1), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind), reader.GetString(2), reader.GetString(3)));
        return list;
    }

    /// <summary>Bytes an analysis holds on disk: its upload and its outputs.</summary>
    public long BytesOf(string id, string storedName)
    {
        long bytes = 0;
        var upload = new FileInfo(Path.Combine(UploadsDir, storedName));
        if (upload.Exists) bytes += upload.Length;
        var outputs = new DirectoryInfo(OutputDir(id));
        if (outputs.Exists)
            foreach (var f in outputs.EnumerateFiles("*", SearchOption.AllDirectories)) bytes += f.Length;
        return bytes;
    }

    /// <summary>Removes the record, its upload and its outputs; false when the id is unknown.</summary>
    public bool Delete(string id)
    {
        var r = Get(id);
        if (r == null) return false;
        using (var c = Open()) Execute(c, "DELETE FROM analyses WHERE id = $id", ("$id", id));
        try { File.Delete(UploadPath(r)); } catch (IOException) { }
        try { if (Directory.Exists(OutputDir(id))) Directory.Delete(OutputDir(id), recursive: true); } catch (IOException) { }
        return true;
    }

    private static AnalysisRecord Read(SqliteDataReader r)
    {
        string? S(string column) => r.IsDBNull(r.GetOrdinal(column)) ? null : r.GetString(r.GetOrdinal(column));
        return new AnalysisRecord
        {
            Id = S("id")!, CreatedUtc = DateTime.Parse(S("created_utc")!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            Status = S("status")!, FileName = S("file_name")!, Kind = Enum.Parse<MediaKind>(S("kind")!), StoredName = S("stored_name")!,
            Mode = S("mode")!, Runs = JsonSerializer.Deserialize<List<string>>(S("runs")!) ?? [], ResultJson = S("result"), Error = S("error"),
            FinishedUtc = S("finished_utc") is { } f ? DateTime.Parse(f, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind) : null,
        };
    }
}
