using System.Text.Json;

namespace AverLab.Media.Features;

/// <summary>sklearn.preprocessing.StandardScaler for feature vectors: z = (x - mean) / scale with the population
/// standard deviation (ddof 0) as scale, and 1 where a feature is constant. Saves and loads as JSON
/// ({"mean": [...], "scale": [...], "samples": n}).</summary>
public sealed class StandardScaler
{
    private StandardScaler(double[] mean, double[] scale, long samples)
    {
        Mean = mean;
        Scale = scale;
        Samples = samples;
    }

    public IReadOnlyList<double> Mean { get; }
    public IReadOnlyList<double> Scale { get; }
    public long Samples { get; }
    public int Features => Mean.Count;

    /// <summary>Fits on rows of equal length (one row per example).</summary>
    public static StandardScaler Fit(IEnumerable<float[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        double[]? mean = null, m2 = null;
        long n = 0;
        foreach (var row in rows)
        {
            mean ??= new double[row.Length];
            m2 ??= new double[row.Length];
            if (row.Length != mean.Length) throw new ArgumentException($"row {n} has {row.Length} features, expected {mean.Length}");
            n++;
            for (var j = 0; j < row.Length; j++)
            {
                if (!float.IsFinite(row[j])) throw new ArgumentException($"row {n - 1}, feature {j} is {row[j]}");
                var d = row[j] - mean[j]; // Welford: stable for large offsets
                mean[j] += d / n;
                m2[j] += d * (row[j] - mean[j]);
            }
        }
        if (mean == null || m2 == null) throw new ArgumentException("cannot fit a scaler on zero rows");
        var scale = new double[mean.Length];
        for (var j = 0; j < scale.Length; j++)
        {
            // sklearn's constant-feature test: variance within round-off of zero gives scale 1.
            var variance = m2[j] / n;
            var eps = 2.220446049250313e-16;
            var bound = n * eps * variance + Math.Pow(n * mean[j] * eps, 2);
            scale[j] = variance <= bound ? 1.0 : Math.Sqrt(variance);
        }
        return new StandardScaler(mean, scale, n);
    }

    public float[] Transform(ReadOnlySpan<float> x)
    {
        Check(x.Length);
        var o = new float[x.Length];
        for (var j = 0; j < o.Length; j++) o[j] = (float)((x[j] - Mean[j]) / Scale[j]);
        return o;
    }

    public float[] InverseTransform(ReadOnlySpan<float> z)
    {
        Check(z.Length);
        var o = new float[z.Length];
        for (var j = 0; j < o.Length; j++) o[j] = (float)(z[j] * Scale[j] + Mean[j]);
        return o;
    }

    private void Check(int n)
    {
        if (n != Features) throw new ArgumentException($"vector has {n} features; the scaler was fitted on {Features}");
    }

    private sealed record Dto(double[] mean, double[] scale, long samples);

    public void Save(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + $".{Environment.ProcessId}.tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(new Dto(Mean.ToArray(), Scale.ToArray(), Samples)));
        File.Move(temp, full, overwrite: true);
    }

    /// <summary>Loads a saved scaler; a missing or malformed file raises <see cref="InvalidDataException"/> naming it.</summary>
    public static StandardScaler Load(string path)
    {
        Dto? dto;
        try { dto = JsonSerializer.Deserialize<Dto>(File.ReadAllText(path)); }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path}: cannot read scaler ({e.Message})", e);
        }
        if (dto?.mean == null || dto.scale == null || dto.mean.Length != dto.scale.Length || dto.mean.Length == 0)
            throw new InvalidDataException($"{path}: not a scaler file (needs equal-length, non-empty \"mean\" and \"scale\")");
        if (dto.scale.Any(s => !(s > 0) || !double.IsFinite(s)) || dto.mean.Any(m => !double.IsFinite(m)))
            throw new InvalidDataException($"{path}: scaler has non-finite values or non-positive scales");
        return new StandardScaler(dto.mean, dto.scale, dto.samples);
    }
}
