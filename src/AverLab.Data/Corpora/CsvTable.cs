using CsvHelper;

namespace AverLab.Data.Corpora;

/// <summary>Thin wrapper over CsvHelper's reader: the header names and, per data record, its 1-based row number and
/// fields by column name (missing fields read as empty). Keeps the readers independent of CsvHelper's API details.
/// A file CsvHelper cannot read as CSV at all (binary data, broken quoting) is an <see cref="InvalidDataException"/>
/// naming the file.</summary>
internal sealed class CsvTable : IDisposable
{
    private readonly Stream stream;
    private readonly CsvReader csv;

    public CsvTable(string path)
    {
        Path = path;
        stream = File.OpenRead(path);
        try
        {
            csv = CsvReader.Create(stream, CsvReaderOptions.Default with { TrackLineNumbers = true }, false);
            Header = csv.Headers.Select(h => h.Trim()).ToArray();
        }
        catch (CsvFormatException e)
        {
            stream.Dispose();
            throw new InvalidDataException($"{path}: not a readable CSV file: {e.Message}", e);
        }
    }

    public string Path { get; }
    public string[] Header { get; }
    public bool Has(string column) => Header.Contains(column);

    /// <summary>Advances to the next record; false at the end.</summary>
    public bool Read()
    {
        try
        {
            return csv.Read();
        }
        catch (CsvFormatException e)
        {
            throw new InvalidDataException($"{Path}: not a readable CSV file: {e.Message}", e);
        }
    }

    /// <summary>The record's row as a reader of the file counts it: its line number minus the header's line, so blank
    /// lines before it count too (the row a user finds in an editor is line Row + 1).</summary>
    public int Row => (int)csv.LineNumber - 1;
    public string Get(string column) => Has(column) ? csv.GetString(column).Trim() : "";

    public void Dispose()
    {
        csv.Dispose();
        stream.Dispose();
    }
}
