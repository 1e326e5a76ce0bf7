using AverLab.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AverLab.Bench;

/// <summary>AverLab side of `bench/compare nn`: the same models, data shapes and steps as bench/nn_models.py.
/// Each step: forward, cross-entropy, backward, optim.SGD (lr 0.01) step, zero_grad(set_to_none), all inside a
/// dispose scope.</summary>
internal static class NnWorkloads
{
    private sealed class Cnn : nn.Module<Tensor, Tensor>
    {
        private readonly Sequential features;
        private readonly Linear head;

        public Cnn() : base(nameof(Cnn))
        {
            features = this.RegisterModule("features", nn.Sequential(
                nn.Conv2d(1, 16, 3, padding: 1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
                nn.Conv2d(16, 32, 3, padding: 1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2)));
            head = this.RegisterModule("head", nn.Linear(32 * 10 * 70, 8));
        }

        protected override void RegisterComponents() { }  // registered by name above

        public override Tensor forward(Tensor x)
        {
            using var f = features.forward(x);
            using var flat = f.flatten(1);
            return head.forward(flat);
        }
    }

    private sealed class LstmClassifier : nn.Module<Tensor, Tensor>
    {
        private readonly LSTM lstm;
        private readonly Linear head;

        public LstmClassifier() : base(nameof(LstmClassifier))
        {
            lstm = this.RegisterModule("lstm", nn.LSTM(40, 128, numLayers: 2, batchFirst: true));
            head = this.RegisterModule("head", nn.Linear(128, 8));
        }

        protected override void RegisterComponents() { }

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
        using var opt = optim.SGD(model.parameters().ToArray(), 0.01);
        return Timing.SecondsPerIteration(n =>
        {
            for (var i = 0; i < n; i++)
            {
                using var scope = NewDisposeScope();
                var loss = F.cross_entropy(model.forward(x), y);
                loss.backward();
                opt.step();
                model.zero_grad(set_to_none: true);
            }
        }, iterations, repeats: 5, warmup: 3);
    }

    public static void Run(int threads = 1)
    {
        set_num_threads(threads);
        // Per-step activations stay in the heap: AverLab.Models' Engine applies the glibc retention when it loads
        // (Program touches it first); AVERLAB_MALLOC=default skips it.
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
