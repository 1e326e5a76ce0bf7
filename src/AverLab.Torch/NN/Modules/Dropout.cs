using F = AverLab.Torch.torch.nn.functional;

namespace AverLab.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>Zeroes elements with probability p in training mode, identity in eval mode; draws from the global
        /// generator. https://pytorch.org/docs/1.13/generated/torch.nn.Dropout.html</summary>
        public class Dropout(double p = 0.5) : Module<Tensor, Tensor>
        {
            public double p { get; } = p >= 0 && p <= 1 ? p : throw new ArgumentException($"dropout probability has to be between 0 and 1, but got {p}");
            public override Tensor forward(Tensor input) => F.dropout(input, p, training);
            public override string extra_repr() => $"p={Repr.Num(p)}, inplace=False";
        }

        /// <summary>Zeroes whole channels of (N, C, H, W). https://pytorch.org/docs/1.13/generated/torch.nn.Dropout2d.html</summary>
        public sealed class Dropout2d(double p = 0.5) : Dropout(p)
        {
            public override Tensor forward(Tensor input) => F.dropout2d(input, p, training);
        }

        /// <summary>Zeroes whole channels of (N, C, D, H, W). https://pytorch.org/docs/1.13/generated/torch.nn.Dropout3d.html</summary>
        public sealed class Dropout3d(double p = 0.5) : Dropout(p)
        {
            public override Tensor forward(Tensor input) => F.dropout3d(input, p, training);
        }
    }
}
