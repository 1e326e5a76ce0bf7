using TorchSharp;

namespace AverLab.Data.Tests.Support;

/// <summary>Small classifiers for the learnability checks: softmax regression trained with the engine (full-batch
/// gradient descent with momentum, autograd for the gradient) and a 1-D nearest-centroid for single scalars.</summary>
public static class Classifiers
{
    /// <summary>Trains on (trainX, trainY), standardizing with the training statistics; returns test accuracy.</summary>
    public static double SoftmaxRegression(float[][] trainX, int[] trainY, float[][] testX, int[] testY, int classes,
        int steps = 400, double lr = 0.5, double l2 = 1e-3, int[,]? confusion = null)
    {
        var d = trainX[0].Length;
        var (mean, std) = Standardizer(trainX);
        using var scope = torch.NewDisposeScope();
        var x = torch.tensor(Flatten(trainX, mean, std), [trainX.Length, d]);
        var y = torch.tensor(trainY.Select(v => (long)v).ToArray(), [trainY.Length]);
        var w = torch.zeros(d, classes).requires_grad_();
        var b = torch.zeros(classes).requires_grad_();
        var vw = torch.zeros(d, classes);
        var vb = torch.zeros(classes);
        for (var step = 0; step < steps; step++)
        {
            using var inner = torch.NewDisposeScope();
            var logits = x.matmul(w) + b;
            var nll = -logits.log_softmax(1).gather(1, y.unsqueeze(1)).mean();
            var loss = nll + (w * w).sum() * l2;
            loss.backward();
            using (torch.no_grad())
            {
                vw.mul_(0.9).add_(w.grad!);
                vb.mul_(0.9).add_(b.grad!);
                w.sub_(vw * lr);
                b.sub_(vb * lr);
                w.grad!.zero_();
                b.grad!.zero_();
            }
        }
        using (torch.no_grad())
        {
            var xt = torch.tensor(Flatten(testX, mean, std), [testX.Length, d]);
            var pred = (xt.matmul(w) + b).argmax(1).data<long>().ToArray();
            if (confusion != null) for (var i = 0; i < pred.Length; i++) confusion[testY[i], pred[i]]++;
            return pred.Zip(testY).Count(p => p.First == p.Second) / (double)testY.Length;
        }
    }

    /// <summary>Accuracy of classifying by one scalar: each test value goes to the class whose training mean is nearest.</summary>
    public static double NearestCentroid1D(double[] trainX, int[] trainY, double[] testX, int[] testY, int classes)
    {
        var centroids = Enumerable.Range(0, classes).Select(c =>
        {
            var v = trainX.Where((_, i) => trainY[i] == c).ToArray();
            return v.Length == 0 ? double.NaN : v.Average();
        }).ToArray();
        var correct = 0;
        for (var i = 0; i < testX.Length; i++)
        {
            var best = Enumerable.Range(0, classes).Where(c => !double.IsNaN(centroids[c])).MinBy(c => Math.Abs(testX[i] - centroids[c]));
            if (best == testY[i]) correct++;
        }
        return correct / (double)testX.Length;
    }

    /// <summary>Accuracy of a 1-D histogram classifier: 16 quantile bins of the training values, each bin voting
    /// its majority training class (handles classes that are not ordered along the scalar).</summary>
    public static double Binned1D(double[] trainX, int[] trainY, double[] testX, int[] testY, int classes, int bins = 16)
    {
        var sorted = trainX.Order().ToArray();
        var edges = Enumerable.Range(1, bins - 1).Select(k => sorted[k * sorted.Length / bins]).ToArray();
        int Bin(double v) { var i = Array.BinarySearch(edges, v); return i >= 0 ? i : ~i; }
        var votes = new int[bins, classes];
        for (var i = 0; i < trainX.Length; i++) votes[Bin(trainX[i]), trainY[i]]++;
        var majority = Enumerable.Range(0, bins).Select(b => Enumerable.Range(0, classes).MaxBy(c => votes[b, c])).ToArray();
        return testX.Where((v, i) => majority[Bin(v)] == testY[i]).Count() / (double)testX.Length;
    }

    private static (double[] mean, double[] std) Standardizer(float[][] x)
    {
        var d = x[0].Length;
        var mean = new double[d];
        var std = new double[d];
        foreach (var row in x) for (var j = 0; j < d; j++) mean[j] += row[j];
        for (var j = 0; j < d; j++) mean[j] /= x.Length;
        foreach (var row in x) for (var j = 0; j < d; j++) std[j] += (row[j] - mean[j]) * (row[j] - mean[j]);
        for (var j = 0; j < d; j++) std[j] = Math.Sqrt(std[j] / x.Length) + 1e-6;
        return (mean, std);
    }

    private static float[] Flatten(float[][] x, double[] mean, double[] std)
    {
        var d = mean.Length;
        var flat = new float[x.Length * d];
        for (var i = 0; i < x.Length; i++)
            for (var j = 0; j < d; j++) flat[i * d + j] = (float)((x[i][j] - mean[j]) / std[j]);
        return flat;
    }
}
