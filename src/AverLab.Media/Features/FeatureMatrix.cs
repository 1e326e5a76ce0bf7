namespace AverLab.Media.Features;

/// <summary>A feature map as float32, row-major [Rows x Cols]: rows are features (frequency bins, mel bands,
/// coefficients), columns are frames, as librosa and torchaudio lay them out ((..., n_mfcc, time)).</summary>
public sealed class FeatureMatrix
{
    public FeatureMatrix(int rows, int cols) : this(rows, cols, new float[checked(rows * cols)]) { }

    public FeatureMatrix(int rows, int cols, float[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (rows < 0 || cols < 0 || data.Length != (long)rows * cols)
            throw new ArgumentException($"data holds {data.Length} values, not {rows} x {cols}", nameof(data));
        Rows = rows;
        Cols = cols;
        Data = data;
    }

    public int Rows { get; }
    public int Cols { get; }

    /// <summary>Row-major values: element (r, c) is Data[r * Cols + c].</summary>
    public float[] Data { get; }

    public float this[int row, int col]
    {
        get => Data[row * Cols + col];
        set => Data[row * Cols + col] = value;
    }

    public Span<float> Row(int row) => Data.AsSpan(row * Cols, Cols);

    public float[] Column(int col)
    {
        var v = new float[Rows];
        for (var r = 0; r < Rows; r++) v[r] = Data[r * Cols + col];
        return v;
    }

    public override string ToString() => $"FeatureMatrix [{Rows} x {Cols}]";
}
