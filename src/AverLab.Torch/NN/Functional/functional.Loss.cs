using AverLab.Torch.Native;
using static AverLab.Torch.NativeCall;

namespace AverLab.Torch;

public static partial class torch
{
    public static partial class nn
    {
        // Losses: one fused libtorch call each.
        public static partial class functional
        {
            /// <summary>Targets are class indices (int64, ignore_index honoured) or class probabilities (float, same
            /// shape as input).</summary>
            public static Tensor cross_entropy(Tensor input, Tensor target, Tensor? weight = null, long ignore_index = -100,
                Reduction reduction = Reduction.Mean, double label_smoothing = 0.0)
            {
                var r = LibTorch.alt_nn_cross_entropy(input.Handle, target.Handle, H(weight), (long)reduction, ignore_index, label_smoothing);
                GC.KeepAlive(input); GC.KeepAlive(target); GC.KeepAlive(weight);
                return Tensor.Wrap(r);
            }

            public static Tensor nll_loss(Tensor input, Tensor target, Tensor? weight = null, long ignore_index = -100, Reduction reduction = Reduction.Mean)
            {
                var r = LibTorch.alt_nn_nll_loss(input.Handle, target.Handle, H(weight), (long)reduction, ignore_index);
                GC.KeepAlive(input); GC.KeepAlive(target); GC.KeepAlive(weight);
                return Tensor.Wrap(r);
            }

            public static Tensor binary_cross_entropy(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean)
            {
                var r = LibTorch.alt_nn_bce(input.Handle, target.Handle, H(weight), (long)reduction);
                GC.KeepAlive(input); GC.KeepAlive(target); GC.KeepAlive(weight);
                return Tensor.Wrap(r);
            }

            public static Tensor binary_cross_entropy_with_logits(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean,
                Tensor? pos_weight = null)
            {
                var r = LibTorch.alt_nn_bce_with_logits(input.Handle, target.Handle, H(weight), H(pos_weight), (long)reduction);
                GC.KeepAlive(input); GC.KeepAlive(target); GC.KeepAlive(weight); GC.KeepAlive(pos_weight);
                return Tensor.Wrap(r);
            }

            private static Tensor Pointwise(Tensor input, Tensor target, int kind, Reduction reduction, double beta)
            {
                var r = LibTorch.alt_nn_pointwise_loss(input.Handle, target.Handle, kind, (long)reduction, beta);
                GC.KeepAlive(input); GC.KeepAlive(target);
                return Tensor.Wrap(r);
            }

            public static Tensor mse_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) => Pointwise(input, target, 0, reduction, 0);
            public static Tensor l1_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) => Pointwise(input, target, 1, reduction, 0);
            public static Tensor smooth_l1_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, double beta = 1.0) =>
                Pointwise(input, target, 2, reduction, beta);
            public static Tensor huber_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, double delta = 1.0) =>
                Pointwise(input, target, 3, reduction, delta);
            /// <summary>Note: PyTorch's default reduction here is "mean" (element mean); "batchmean" is Sum / batch.</summary>
            public static Tensor kl_div(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, bool log_target = false) =>
                Pointwise(input, target, 4, reduction, log_target ? 1 : 0);
        }
    }
}
