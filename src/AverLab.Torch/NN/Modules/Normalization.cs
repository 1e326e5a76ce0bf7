using F = AverLab.Torch.torch.nn.functional;

namespace AverLab.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>PyTorch's _BatchNorm: weight 1, bias 0, buffers running_mean 0, running_var 1, num_batches_tracked 0
        /// (int64). momentum null means a cumulative moving average.</summary>
        public abstract class BatchNorm : Module<Tensor, Tensor>
        {
            private readonly int[] allowedDims;

            public long num_features { get; }
            public double eps { get; }
            public double? momentum { get; }
            public bool affine { get; }
            public bool track_running_stats { get; }
            public Parameter? weight { get; }
            public Parameter? bias { get; }
            public Tensor? running_mean { get; }
            public Tensor? running_var { get; }
            public Tensor? num_batches_tracked { get; }

            private protected BatchNorm(int[] allowedDims, long num_features, double eps, double? momentum, bool affine, bool track_running_stats,
                Device? device, ScalarType? dtype)
            {
                this.allowedDims = allowedDims;
                this.num_features = num_features;
                this.eps = eps;
                this.momentum = momentum;
                this.affine = affine;
                this.track_running_stats = track_running_stats;
                using var scope = NewDisposeScope();
                weight = RegisterParameter("weight", affine ? ones([num_features], dtype, device) : null);
                bias = RegisterParameter("bias", affine ? zeros([num_features], dtype, device) : null);
                if (track_running_stats)
                {
                    running_mean = RegisterBuffer("running_mean", zeros([num_features], dtype, device));
                    running_var = RegisterBuffer("running_var", ones([num_features], dtype, device));
                    num_batches_tracked = RegisterBuffer("num_batches_tracked", zeros([], ScalarType.Int64, device));
                }
            }

            public override Tensor forward(Tensor input)
            {
                if (!allowedDims.Contains((int)input.dim()))
                    throw new ArgumentException($"{GetName()}: expected {string.Join(" or ", allowedDims.Select(d => d + "D"))} input (got {input.dim()}D input)");
                var factor = momentum ?? 0.0;
                if (training && track_running_stats && num_batches_tracked is not null)
                {
                    using (no_grad()) num_batches_tracked.add_(1L);
                    factor = momentum ?? 1.0 / num_batches_tracked.item<long>();
                }
                var bnTraining = training || (running_mean is null && running_var is null);
                var useStats = !training || track_running_stats;
                return F.batch_norm(input, useStats ? running_mean : null, useStats ? running_var : null, weight, bias, bnTraining, factor, eps);
            }

            public override string extra_repr() =>
                $"{num_features}, eps={Repr.Num(eps)}, momentum={(momentum.HasValue ? Repr.Num(momentum.Value) : "None")}, affine={Repr.Bool(affine)}, track_running_stats={Repr.Bool(track_running_stats)}";
        }

        /// <summary>Over (N, C) or (N, C, L) input. https://pytorch.org/docs/1.13/generated/torch.nn.BatchNorm1d.html</summary>
        public sealed class BatchNorm1d(long num_features, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool track_running_stats = true,
            Device? device = null, ScalarType? dtype = null) : BatchNorm([2, 3], num_features, eps, momentum, affine, track_running_stats, device, dtype);

        /// <summary>Over (N, C, H, W) input. https://pytorch.org/docs/1.13/generated/torch.nn.BatchNorm2d.html</summary>
        public sealed class BatchNorm2d(long num_features, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool track_running_stats = true,
            Device? device = null, ScalarType? dtype = null) : BatchNorm([4], num_features, eps, momentum, affine, track_running_stats, device, dtype);

        /// <summary>Over (N, C, D, H, W) input. https://pytorch.org/docs/1.13/generated/torch.nn.BatchNorm3d.html</summary>
        public sealed class BatchNorm3d(long num_features, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool track_running_stats = true,
            Device? device = null, ScalarType? dtype = null) : BatchNorm([5], num_features, eps, momentum, affine, track_running_stats, device, dtype);

        /// <summary>https://pytorch.org/docs/1.13/generated/torch.nn.LayerNorm.html (weight 1, bias 0).</summary>
        public sealed class LayerNorm : Module<Tensor, Tensor>
        {
            public long[] normalized_shape { get; }
            public double eps { get; }
            public bool elementwise_affine { get; }
            public Parameter? weight { get; }
            public Parameter? bias { get; }

            public LayerNorm(long normalized_shape, double eps = 1e-5, bool elementwise_affine = true, Device? device = null, ScalarType? dtype = null)
                : this([normalized_shape], eps, elementwise_affine, device, dtype) { }

            public LayerNorm(long[] normalized_shape, double eps = 1e-5, bool elementwise_affine = true, Device? device = null, ScalarType? dtype = null)
            {
                this.normalized_shape = normalized_shape;
                this.eps = eps;
                this.elementwise_affine = elementwise_affine;
                using var scope = NewDisposeScope();
                weight = RegisterParameter("weight", elementwise_affine ? ones(normalized_shape, dtype, device) : null);
                bias = RegisterParameter("bias", elementwise_affine ? zeros(normalized_shape, dtype, device) : null);
            }

            public override Tensor forward(Tensor input) => F.layer_norm(input, normalized_shape, weight, bias, eps);
            public override string extra_repr() => $"{Repr.Tuple(normalized_shape)}, eps={Repr.Num(eps)}, elementwise_affine={Repr.Bool(elementwise_affine)}";
        }

        /// <summary>https://pytorch.org/docs/1.13/generated/torch.nn.GroupNorm.html (weight 1, bias 0).</summary>
        public sealed class GroupNorm : Module<Tensor, Tensor>
        {
            public long num_groups { get; }
            public long num_channels { get; }
            public double eps { get; }
            public bool affine { get; }
            public Parameter? weight { get; }
            public Parameter? bias { get; }

            public GroupNorm(long num_groups, long num_channels, double eps = 1e-5, bool affine = true, Device? device = null, ScalarType? dtype = null)
            {
                if (num_channels % num_groups != 0) throw new ArgumentException("num_channels must be divisible by num_groups");
                this.num_groups = num_groups;
                this.num_channels = num_channels;
                this.eps = eps;
                this.affine = affine;
                using var scope = NewDisposeScope();
                weight = RegisterParameter("weight", affine ? ones([num_channels], dtype, device) : null);
                bias = RegisterParameter("bias", affine ? zeros([num_channels], dtype, device) : null);
            }

            public override Tensor forward(Tensor input) => F.group_norm(input, num_groups, weight, bias, eps);
            public override string extra_repr() => $"{num_groups}, {num_channels}, eps={Repr.Num(eps)}, affine={Repr.Bool(affine)}";
        }
    }
}
