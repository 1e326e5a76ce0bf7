using F = AverLab.Torch.torch.nn.functional;

namespace AverLab.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>A loss module: call(input, target) or forward(input, target).</summary>
        public abstract class Loss(Reduction reduction) : Module
        {
            public Reduction reduction { get; } = reduction;
            public abstract Tensor forward(Tensor input, Tensor target);
            public Tensor call(Tensor input, Tensor target) => forward(input, target);
        }

        /// <summary>https://pytorch.org/docs/1.13/generated/torch.nn.CrossEntropyLoss.html (class weights are kept by the
        /// caller; this module does not own them).</summary>
        public sealed class CrossEntropyLoss(Tensor? weight = null, long ignore_index = -100, Reduction reduction = Reduction.Mean,
            double label_smoothing = 0.0) : Loss(reduction)
        {
            public Tensor? weight { get; } = weight;
            public long ignore_index { get; } = ignore_index;
            public double label_smoothing { get; } = label_smoothing;
            public override Tensor forward(Tensor input, Tensor target) =>
                F.cross_entropy(input, target, weight, ignore_index, reduction, label_smoothing);
        }

        public sealed class NLLLoss(Tensor? weight = null, long ignore_index = -100, Reduction reduction = Reduction.Mean) : Loss(reduction)
        {
            public Tensor? weight { get; } = weight;
            public long ignore_index { get; } = ignore_index;
            public override Tensor forward(Tensor input, Tensor target) => F.nll_loss(input, target, weight, ignore_index, reduction);
        }

        public sealed class BCELoss(Tensor? weight = null, Reduction reduction = Reduction.Mean) : Loss(reduction)
        {
            public Tensor? weight { get; } = weight;
            public override Tensor forward(Tensor input, Tensor target) => F.binary_cross_entropy(input, target, weight, reduction);
        }

        public sealed class BCEWithLogitsLoss(Tensor? weight = null, Reduction reduction = Reduction.Mean, Tensor? pos_weight = null) : Loss(reduction)
        {
            public Tensor? weight { get; } = weight;
            public Tensor? pos_weight { get; } = pos_weight;
            public override Tensor forward(Tensor input, Tensor target) => F.binary_cross_entropy_with_logits(input, target, weight, reduction, pos_weight);
        }

        public sealed class MSELoss(Reduction reduction = Reduction.Mean) : Loss(reduction)
        {
            public override Tensor forward(Tensor input, Tensor target) => F.mse_loss(input, target, reduction);
        }

        public sealed class L1Loss(Reduction reduction = Reduction.Mean) : Loss(reduction)
        {
            public override Tensor forward(Tensor input, Tensor target) => F.l1_loss(input, target, reduction);
        }

        public sealed class SmoothL1Loss(Reduction reduction = Reduction.Mean, double beta = 1.0) : Loss(reduction)
        {
            public double beta { get; } = beta;
            public override Tensor forward(Tensor input, Tensor target) => F.smooth_l1_loss(input, target, reduction, beta);
        }
    }
}
