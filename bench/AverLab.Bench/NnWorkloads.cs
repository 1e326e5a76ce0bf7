using AverLab.Torch;
using static AverLab.Torch.torch;
using F = AverLab.Torch.torch.nn.functional;

namespace AverLab.Bench;

/// <summary>AverLab side of `bench/compare nn`: the same models, data shapes and steps as bench/nn_models.py.
/// Each step: forward, cross-entropy, backward, optim.SGD (lr 0.01) step, zero_grad(set_to_none), all inside a
/// dispose scope.</summary>
internal static class NnWorkloads
{
    private sealed class Cnn : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Sequential features;
        private readonly nn.Linear head;

        public Cnn()
        {
            features = RegisterModule("features", new nn.Sequential(
                new nn.Conv2d(1, 16, 3, padding: 1), new nn.BatchNorm2d(16), new nn.ReLU(), new nn.MaxPool2d(2),
                new nn.Conv2d(16, 32, 3, padding: 1), new nn.BatchNorm2d(32), new nn.ReLU(), new nn.MaxPool2d(2)));
            head = RegisterModule("head", new nn.Linear(32 * 10 * 70, 8));
        }

        public override Tensor forward(Tensor x)
        {
            using var f = features.forward(x);
            using var flat = f.flatten(1);
            return head.forward(flat);
        }
    }

    private sealed class LstmClassifier : nn.Module<Tensor, Tensor>
    {
        private readonly nn.LSTM lstm;
        private readonly nn.Linear head;

        public LstmClassifier()
        {
            lstm = RegisterModule("lstm", new nn.LSTM(40, 128, num_layers: 2, batch_first: true));
            head = RegisterModule("head", new nn.Linear(128, 8));
        }

        public override Tensor forward(Tensor x)
        {
            var (output, h, c) = lstm.forward(x);
            using (output)
            using (h)
            using (c)
            using (var last = output.select(1, -1))
                return head.forward(last);
        }
    }

    private static double StepTime(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y, int iterations)
    {
        using var opt = optim.SGD(model.parameters(), lr: 0.01);
        return Timing.SecondsPerIteration(n =>
        {
            for (var i = 0; i < n; i++)
            {
                using var scope = NewDisposeScope();
                var loss = F.cross_entropy(model.forward(x), y);
                loss.backward();
                opt.step();
                opt.zero_grad(set_to_none: true);
            }
        }, iterations, repeats: 5, warmup: 3);
    }

    public static void Run(int threads = 1)
    {
        set_num_threads(threads);
        // Keep per-step activations in the heap (see torch.ConfigureCpuAllocator): without it the .NET process
        // re-faults ~20-MB buffers every step and the CNN step is dominated by kernel time. AVERLAB_MALLOC=default skips it.
        if (Environment.GetEnvironmentVariable("AVERLAB_MALLOC") != "default") ConfigureCpuAllocator();
        manual_seed(0);
        using var y = arange(32).remainder(8.0).@long();
        using (var cnn = new Cnn())
        using (var x = randn(32, 1, 40, 282))
            Console.WriteLine($"nn.cnn_step averlab={StepTime(cnn, x, y, 10) * 1e6:F1} unit=us threads={threads}");
        using (var model = new LstmClassifier())
        using (var x = randn(32, 100, 40))
            Console.WriteLine($"nn.lstm_step averlab={StepTime(model, x, y, 10) * 1e6:F1} unit=us threads={threads}");
    }
}
