using AverLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace AverLab.Explanations;

/// <summary>A classifier seen as a plain function: rows of feature values in, one row of class probabilities out per
/// input row. Shapley values and permutation importance need nothing more, so any classifier can plug in (a zoo
/// model through <see cref="PredictFunctions.For"/>, a classical baseline through its ClassicalModel.PredictRows).</summary>
public delegate double[][] PredictFunction(float[][] rows);

public static class PredictFunctions
{
    /// <summary>A model that reads feature vectors (<see cref="InputKinds.Features"/>: the MLP, the AV transformer) as
    /// a <see cref="PredictFunction"/>: softmax of its logits, in eval mode, without gradients, <paramref name="batch"/>
    /// rows per forward pass.</summary>
    public static PredictFunction For(EmotionModel model, int batch = 2048)
    {
        if (!model.Inputs.HasFlag(InputKinds.Features) || model.Inputs != InputKinds.Features)
            throw new ArgumentException($"{model.GetType().Name} reads {model.Inputs}, not a single feature vector; vector attributions need a Features model");
        return rows =>
        {
            if (rows.Length == 0) return [];
            var width = rows[0].Length;
            var result = new double[rows.Length][];
            model.eval();
            using var noGrad = no_grad();
            for (var start = 0; start < rows.Length; start += batch)
            {
                using var scope = NewDisposeScope();
                var n = Math.Min(batch, rows.Length - start);
                var flat = new float[n * width];
                for (var i = 0; i < n; i++)
                {
                    if (rows[start + i].Length != width) throw new ArgumentException($"row {start + i} has {rows[start + i].Length} values, the first has {width}");
                    rows[start + i].CopyTo(flat, i * width);
                }
                var p = model.call(new ModelInputs { Features = tensor(flat, [n, width]) }).softmax(1).to(ScalarType.Float64);
                var k = (int)p.shape[1];
                var values = p.data<double>().ToArray();
                for (var i = 0; i < n; i++) result[start + i] = values.AsSpan(i * k, k).ToArray();
            }
            return result;
        };
    }
}
