using AverLab.IO;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AverLab.Models.Classical;

/// <summary>A trained classical model (<see cref="ModelSpec.IsClassical"/>): an ML.NET transformer from a feature
/// vector to class probabilities. Its checkpoint is ML.NET's model zip (the transformer and its input schema), written
/// atomically; <see cref="Load"/> reads it back and predicts exactly what the trained one did.</summary>
public sealed class ClassicalModel
{
    public const string LabelColumn = "Label";
    public const string FeaturesColumn = "Features";
    public const string WeightColumn = "Weight";

    private readonly MLContext ml;
    private readonly ITransformer transformer;
    private readonly DataViewSchema schema;

    private ClassicalModel(MLContext ml, ITransformer transformer, DataViewSchema schema, int numClasses, int inputSize)
    {
        this.ml = ml;
        this.transformer = transformer;
        this.schema = schema;
        NumClasses = numClasses;
        InputSize = inputSize;
    }

    public int NumClasses { get; }
    public int InputSize { get; }

    /// <summary>Fits the model <paramref name="spec"/> names on rows of equal width with labels in [0, classes);
    /// <paramref name="weights"/> (one per row, or null) weigh each row's loss. Same rows, options, seed and threads →
    /// the same model.</summary>
    public static ClassicalModel Train(ModelSpec spec, IClassicalOptions options, IReadOnlyList<float[]> rows, IReadOnlyList<int> labels,
        IReadOnlyList<float>? weights, int seed, int threads = 1)
    {
        var trainer = ClassicalTrainers.For(spec);
        if (rows.Count == 0) throw new ArgumentException($"{spec.Name}: no training rows");
        if (rows.Count != labels.Count || (weights != null && weights.Count != rows.Count))
            throw new ArgumentException($"{spec.Name}: {rows.Count} rows, {labels.Count} labels, {weights?.Count} weights");
        var width = options.InputSize > 0 ? options.InputSize : rows[0].Length;
        var k = options.NumClasses;
        if (k < 2) throw new ArgumentException($"{spec.Name}: NumClasses must be at least 2, got {k}");
        if (threads < 1) throw new ArgumentException($"{spec.Name}: threads must be at least 1, got {threads}");
        var data = new List<Row>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].Length != width) throw new ArgumentException($"{spec.Name}: row {i} has {rows[i].Length} features, expected {width}");
            if (labels[i] < 0 || labels[i] >= k) throw new ArgumentException($"{spec.Name}: row {i} has label {labels[i]}, outside [0, {k})");
            data.Add(new Row { Label = (uint)labels[i], Features = rows[i], Weight = weights?[i] ?? 1f });
        }
        var ml = Context(seed);
        var view = ml.Data.LoadFromEnumerable(data, Schema(k, width));
        var model = trainer(ml, options, new TrainerSettings(seed, threads, weights != null)).Fit(view);
        return new ClassicalModel(ml, model, view.Schema, k, width);
    }

    /// <summary>Class probabilities of each row (N x classes; each row sums to 1).</summary>
    public double[,] PredictProbabilities(IReadOnlyList<float[]> rows)
    {
        foreach (var r in rows)
            if (r.Length != InputSize) throw new ArgumentException($"this model takes {InputSize} features, got {r.Length}");
        var view = ml.Data.LoadFromEnumerable(rows.Select(r => new Row { Features = r, Weight = 1f }), Schema(NumClasses, InputSize));
        var scores = transformer.Transform(view).GetColumn<float[]>("Score").ToList();
        var p = new double[rows.Count, NumClasses];
        for (var i = 0; i < scores.Count; i++)
        {
            var s = scores[i];
            if (s.Length != NumClasses) throw new InvalidDataException($"the model scored {s.Length} classes, expected {NumClasses}");
            // LightGBM and maximum entropy give softmax probabilities, one-versus-all calibrated ones normalized;
            // the sum is taken again so every trainer's row sums to 1 in double precision.
            double total = 0;
            for (var c = 0; c < s.Length; c++) total += Math.Max(s[c], 0f);
            for (var c = 0; c < s.Length; c++) p[i, c] = total > 0 ? Math.Max(s[c], 0f) / total : 1.0 / s.Length;
        }
        return p;
    }

    /// <summary>Class probabilities of each row as one array per row (none for no rows): the shape attribution methods
    /// take (AverLab.Explanations' PredictFunction).</summary>
    public double[][] PredictRows(float[][] rows)
    {
        if (rows.Length == 0) return [];
        var p = PredictProbabilities(rows);
        var k = p.GetLength(1);
        var result = new double[rows.Length][];
        for (var i = 0; i < rows.Length; i++)
        {
            result[i] = new double[k];
            for (var c = 0; c < k; c++) result[i][c] = p[i, c];
        }
        return result;
    }

    /// <summary>Class probabilities of one row.</summary>
    public double[] PredictProbabilities(float[] row)
    {
        var p = PredictProbabilities([row]);
        return Enumerable.Range(0, NumClasses).Select(c => p[0, c]).ToArray();
    }

    /// <summary>Writes the model zip atomically (a temp file renamed over <paramref name="path"/>).</summary>
    public void Save(string path) => AtomicFile.Write(path, s => ml.Model.Save(transformer, schema, s));

    /// <summary>Reads a model zip written by <see cref="Save"/>; the card's class count and feature width must match it.</summary>
    public static ClassicalModel Load(string path, int numClasses, int inputSize)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such model file", path);
        var ml = Context(0);
        ITransformer model;
        DataViewSchema schema;
        try
        {
            using var stream = File.OpenRead(path);
            model = ml.Model.Load(stream, out schema);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or InvalidDataException or ArgumentException)
        {
            throw new InvalidDataException($"{path}: not an ML.NET model zip: {e.Message}", e);
        }
        var features = schema.GetColumnOrNull(FeaturesColumn)?.Type as VectorDataViewType
                       ?? throw new InvalidDataException($"{path}: the model has no '{FeaturesColumn}' vector input");
        if (features.Size != inputSize) throw new InvalidDataException($"{path}: the model takes {features.Size} features, the card says {inputSize}");
        var label = schema.GetColumnOrNull(LabelColumn)?.Type as KeyDataViewType;
        if (label is null || (int)label.Count != numClasses)
            throw new InvalidDataException($"{path}: the model has {label?.Count.ToString() ?? "no"} classes, the card says {numClasses}");
        return new ClassicalModel(ml, model, schema, numClasses, inputSize);
    }

    private static MLContext Context(int seed)
    {
        var ml = new MLContext(seed);
        // Loading resolves the trainers' model types through the catalog: make both tree assemblies known.
        ml.ComponentCatalog.RegisterAssembly(typeof(Microsoft.ML.Trainers.FastTree.FastForestBinaryTrainer).Assembly);
        ml.ComponentCatalog.RegisterAssembly(typeof(Microsoft.ML.Trainers.LightGbm.LightGbmMulticlassTrainer).Assembly);
        return ml;
    }

    /// <summary>Label as a key of <paramref name="classes"/> values (the raw value is the 0-based class index),
    /// features as a fixed-width float vector, an example weight.</summary>
    private static SchemaDefinition Schema(int classes, int width)
    {
        var s = SchemaDefinition.Create(typeof(Row));
        s[nameof(Row.Label)].ColumnType = new KeyDataViewType(typeof(uint), (ulong)classes);
        s[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        return s;
    }

    internal sealed class Row
    {
        public uint Label { get; set; }
        public float[] Features { get; set; } = [];
        public float Weight { get; set; }
    }
}
