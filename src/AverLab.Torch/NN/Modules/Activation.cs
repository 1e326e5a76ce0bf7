using F = AverLab.Torch.torch.nn.functional;

namespace AverLab.Torch;

public static partial class torch
{
    public static partial class nn
    {
        // Activation modules (https://pytorch.org/docs/1.13/nn.html#non-linear-activations-weighted-sum-nonlinearity).

        public sealed class ReLU : Module<Tensor, Tensor>
        {
            public override Tensor forward(Tensor input) => input.relu();
        }

        public sealed class LeakyReLU(double negative_slope = 0.01) : Module<Tensor, Tensor>
        {
            public double negative_slope { get; } = negative_slope;
            public override Tensor forward(Tensor input) => F.leaky_relu(input, negative_slope);
            public override string extra_repr() => $"negative_slope={Repr.Num(negative_slope)}";
        }

        public sealed class ELU(double alpha = 1.0) : Module<Tensor, Tensor>
        {
            public double alpha { get; } = alpha;
            public override Tensor forward(Tensor input) => F.elu(input, alpha);
            public override string extra_repr() => $"alpha={Repr.Num(alpha)}";
        }

        /// <summary>approximate "none" (erf) or "tanh".</summary>
        public sealed class GELU(string approximate = "none") : Module<Tensor, Tensor>
        {
            public string approximate { get; } = approximate;
            public override Tensor forward(Tensor input) => F.gelu(input, approximate);
            public override string extra_repr() => $"approximate='{approximate}'";
        }

        public sealed class SiLU : Module<Tensor, Tensor>
        {
            public override Tensor forward(Tensor input) => input.silu();
        }

        public sealed class Tanh : Module<Tensor, Tensor>
        {
            public override Tensor forward(Tensor input) => input.tanh();
        }

        public sealed class Sigmoid : Module<Tensor, Tensor>
        {
            public override Tensor forward(Tensor input) => input.sigmoid();
        }

        public sealed class Softplus(double beta = 1, double threshold = 20) : Module<Tensor, Tensor>
        {
            public double beta { get; } = beta;
            public double threshold { get; } = threshold;
            public override Tensor forward(Tensor input) => F.softplus(input, beta, threshold);
            public override string extra_repr() => $"beta={Repr.Num(beta)}, threshold={Repr.Num(threshold)}";
        }

        public sealed class Softmax(long dim) : Module<Tensor, Tensor>
        {
            public long dim { get; } = dim;
            public override Tensor forward(Tensor input) => input.softmax(dim);
            public override string extra_repr() => $"dim={dim}";
        }

        public sealed class LogSoftmax(long dim) : Module<Tensor, Tensor>
        {
            public long dim { get; } = dim;
            public override Tensor forward(Tensor input) => input.log_softmax(dim);
            public override string extra_repr() => $"dim={dim}";
        }
    }
}
