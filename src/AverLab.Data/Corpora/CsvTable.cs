using CsvHelper;

namespace AverLab.Data.Corpora;

/// <summary>Thin wrapper over CsvHelper's reader: the header names and, per data record, its 1-based row number and
/// fields by column name (missing fields read as empty). Keeps the readers independent of CsvHelper's API details.</summary>
internal sealed class CsvTable : IDisposable
{
    private readonly Stream stream;
    private readonly CsvReader csv;

    public CsvTable(string path)
    {
        stream = File.OpenRead(path);
        csv = CsvReader.Create(stream, CsvReaderOptions.Default, false);
        Header = csv.Headers.Select(h => h.Trim()).ToArray();
    }

    public string[] Header { get; }
    public bool Has(string column) => Header.Contains(column);

    /// <summary>Advances to the next record; false at the end.</summary>
    public bool Read() => csv.Read();
    public int Row => (int)csv.RowNumber;
    public string Get(string column) => Has(column) ? csv.GetString(column).Trim() : "";

    public void Dispose()
    {
        csv.Dispose();
        stream.Dispose();
    }
}
