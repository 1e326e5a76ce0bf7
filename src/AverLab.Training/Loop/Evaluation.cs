using System.Diagnostics;
using AverLab.Data.Loading;
using AverLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace AverLab.Training.Loop;

/// <summary>Predictions of a model on a split: true labels, predicted labels, class probabilities and mean loss.</summary>
public sealed record Evaluation(int[] Labels, int[] Predictions, double[,] Probabilities, double Loss, int[] Indices)
{
    public double Accuracy => Labels.Length == 0 ? double.NaN : Labels.Zip(Predictions).Count(p => p.First == p.Second) / (double)Labels.Length;

    /// <summary>Runs the model over a loader in eval mode without gradients. The loss is the plain mean
    /// cross-entropy (no class weights or smoothing, as Keras and Lightning report validation loss).</summary>
    public static Evaluation Predict(nn.Module model, Func<Batch, Tensor> forward, AverLab.Data.Loading.DataLoader loader,
        IProgress<(int batch, int batches, TimeSpan elapsed)>? progress = null)
    {
        var wasTraining = model.training;
        model.eval();
        var labels = new List<int>();
        var preds = new List<int>();
        var probs = new List<float[]>();
        var indices = new List<int>();
        double lossSum = 0;
        var b = 0;
        var clock = Stopwatch.StartNew();
        using (no_grad())
        {
            foreach (var batch in loader)
            {
                using (batch)
                using (NewDisposeScope())
                {
                    b++;
                    var logits = forward(batch);
                    lossSum += nn.functional.cross_entropy(logits, batch.Labels.to(logits.device), reduction: nn.Reduction.Sum).ToDouble();
                    var p = logits.softmax(1).cpu();
                    var k = (int)p.shape[1];
                    var flat = p.to(ScalarType.Float32).data<float>().ToArray();
                    var y = batch.Labels.data<long>().ToArray();
                    var yp = p.argmax(1).data<long>().ToArray();
                    for (var i = 0; i < batch.Size; i++)
                    {
                        labels.Add((int)y[i]);
                        preds.Add((int)yp[i]);
                        probs.Add(flat.AsSpan(i * k, k).ToArray());
                    }
                    indices.AddRange(batch.Indices);
                    progress?.Report((b, loader.BatchCount, clock.Elapsed));
                }
            }
        }
        if (wasTraining) model.train();
        var classes = probs.Count == 0 ? 0 : probs[0].Length;
        var matrix = new double[probs.Count, classes];
        for (var i = 0; i < probs.Count; i++)
            for (var c = 0; c < classes; c++) matrix[i, c] = probs[i][c];
        return new Evaluation(labels.ToArray(), preds.ToArray(), matrix, labels.Count == 0 ? double.NaN : lossSum / labels.Count, indices.ToArray());
    }
}
