using AverLab.Data.Loading;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AverLab.Data.Tests.Support;

/// <summary>A small CNN for 48x48 grayscale faces written over the engine's functional ops: conv3x3(1→8) → ReLU →
/// maxpool2 → conv3x3(8→16) → ReLU → maxpool2 → linear(16·12·12 → classes), trained with minibatch SGD + momentum (learning rate / 10 for the last quarter of the epochs)
/// from a <see cref="DataLoader"/> (seeded shuffling, horizontal-flip and ±2-pixel shift augmentation on the training split).</summary>
public static class SmallCnn
{
    public static double TrainAndTest(IReadOnlyList<Example> train, IReadOnlyList<Example> test, int classes, int epochs = 12,
        double lr = 0.02, int seed = 0, Action<string>? log = null)
    {
        torch.manual_seed(seed);
        using var scope = torch.NewDisposeScope();
        Tensor Param(long[] shape, double fanIn) => (torch.randn(shape) * Math.Sqrt(2 / fanIn)).requires_grad_();
        var w1 = Param([8, 1, 3, 3], 9);
        var b1 = torch.zeros(8).requires_grad_();
        var w2 = Param([16, 8, 3, 3], 72);
        var b2 = torch.zeros(16).requires_grad_();
        var w3 = Param([classes, 16 * 12 * 12], 16 * 12 * 12);
        var b3 = torch.zeros(classes).requires_grad_();
        Tensor[] parameters = [w1, b1, w2, b2, w3, b3];
        var velocity = parameters.Select(p => torch.zeros_like(p)).ToArray();
        Tensor Forward(Tensor x)
        {
            var h = F.max_pool2d(F.conv2d(x, w1, b1, padding: [1, 1]).relu(), 2);
            h = F.max_pool2d(F.conv2d(h, w2, b2, padding: [1, 1]).relu(), 2);
            return F.linear(h.flatten(1), w3, b3);
        }
        var loader = new DataLoader(new InMemoryDataset(train), new DataLoaderOptions
        {
            BatchSize = 32, Seed = seed,
            Augment = (e, r) =>
            {
                var data = r.Next(2) == 0 ? e.Data : FlipHorizontal(e.Data, 48);
                return e with { Data = Shift(data, 48, r.Next(-2, 3), r.Next(-2, 3)) };
            },
        });
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            double sum = 0; var count = 0;
            var stepLr = epoch >= epochs * 3 / 4 ? lr * 0.1 : lr; // step decay for the last quarter
            foreach (var batch in loader)
                using (batch)
                using (torch.NewDisposeScope())
                {
                    var loss = F.cross_entropy(Forward(batch.Inputs), batch.Labels);
                    loss.backward();
                    sum += loss.item<float>(); count++;
                    using (torch.no_grad())
                        for (var i = 0; i < parameters.Length; i++)
                        {
                            velocity[i].mul_(0.9).add_(parameters[i].grad!);
                            parameters[i].sub_(velocity[i] * stepLr);
                            parameters[i].grad!.zero_();
                        }
                }
            log?.Invoke($"epoch {epoch}: mean loss {sum / count:F4}");
        }
        var correct = 0;
        using (torch.no_grad())
            foreach (var batch in new DataLoader(new InMemoryDataset(test), new DataLoaderOptions { BatchSize = 256, Shuffle = false }, SplitRole.Test))
                using (batch)
                using (torch.NewDisposeScope())
                {
                    var pred = Forward(batch.Inputs).argmax(1).data<long>().ToArray();
                    var labels = batch.Labels.data<long>().ToArray();
                    correct += pred.Zip(labels).Count(p => p.First == p.Second);
                }
        return correct / (double)test.Count;
    }

    /// <summary>Translates an image by (dx, dy) pixels, repeating the edge.</summary>
    private static float[] Shift(float[] image, int side, int dx, int dy)
    {
        var o = new float[image.Length];
        for (var y = 0; y < side; y++)
            for (var x = 0; x < side; x++)
                o[y * side + x] = image[Math.Clamp(y - dy, 0, side - 1) * side + Math.Clamp(x - dx, 0, side - 1)];
        return o;
    }

    private static float[] FlipHorizontal(float[] image, int width)
    {
        var o = new float[image.Length];
        for (var i = 0; i < image.Length; i++) o[i] = image[i / width * width + (width - 1 - i % width)];
        return o;
    }
}
