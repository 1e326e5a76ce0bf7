using AverLab.Torch.Native;
using static AverLab.Torch.NativeCall;

namespace AverLab.Torch;

public static partial class torch
{
    public static partial class nn
    {
        // Normalization, dropout, linear, activations, padding, resampling and embedding.
        public static partial class functional
        {
            /// <summary>In training mode the running statistics (when given) are updated in place.</summary>
            public static Tensor batch_norm(Tensor input, Tensor? running_mean, Tensor? running_var, Tensor? weight = null, Tensor? bias = null,
                bool training = false, double momentum = 0.1, double eps = 1e-5)
            {
                var r = LibTorch.alt_nn_batch_norm(input.Handle, H(weight), H(bias), H(running_mean), H(running_var), training ? 1 : 0, momentum, eps);
                GC.KeepAlive(input); GC.KeepAlive(weight); GC.KeepAlive(bias); GC.KeepAlive(running_mean); GC.KeepAlive(running_var);
                return Tensor.Wrap(r);
            }

            public static unsafe Tensor layer_norm(Tensor input, long[] normalized_shape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
            {
                IntPtr r;
                fixed (long* p = normalized_shape) r = LibTorch.alt_nn_layer_norm(input.Handle, p, normalized_shape.Length, H(weight), H(bias), eps);
                GC.KeepAlive(input); GC.KeepAlive(weight); GC.KeepAlive(bias);
                return Tensor.Wrap(r);
            }

            public static Tensor group_norm(Tensor input, long num_groups, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
            {
                var r = LibTorch.alt_nn_group_norm(input.Handle, num_groups, H(weight), H(bias), eps);
                GC.KeepAlive(input); GC.KeepAlive(weight); GC.KeepAlive(bias);
                return Tensor.Wrap(r);
            }

            private static Tensor Dropout(Tensor input, double p, bool training, int kind)
            {
                if (p < 0 || p > 1) throw new ArgumentException($"dropout probability has to be between 0 and 1, but got {p}");
                var r = kind == 0 && training && EngineOptions.FastDropoutMasks && input.device.type == DeviceType.CPU
                    ? LibTorch.alt_nn_dropout_fast(input.Handle, p)
                    : LibTorch.alt_nn_dropout(input.Handle, p, training ? 1 : 0, kind);
                GC.KeepAlive(input);
                return Tensor.Wrap(r);
            }

            /// <summary>Uses the global generator (seed it with torch.manual_seed), as PyTorch does.</summary>
            public static Tensor dropout(Tensor input, double p = 0.5, bool training = true) => Dropout(input, p, training, 0);
            /// <summary>Zeroes whole channels of (N, C, H, W) input.</summary>
            public static Tensor dropout2d(Tensor input, double p = 0.5, bool training = true) => Dropout(input, p, training, 1);
            /// <summary>Zeroes whole channels of (N, C, D, H, W) input.</summary>
            public static Tensor dropout3d(Tensor input, double p = 0.5, bool training = true) => Dropout(input, p, training, 1);
            public static Tensor alpha_dropout(Tensor input, double p = 0.5, bool training = false) => Dropout(input, p, training, 2);

            public static Tensor linear(Tensor input, Tensor weight, Tensor? bias = null)
            {
                var r = LibTorch.alt_nn_linear(input.Handle, weight.Handle, H(bias));
                GC.KeepAlive(input); GC.KeepAlive(weight); GC.KeepAlive(bias);
                return Tensor.Wrap(r);
            }

            // ---- activations --------------------------------------------------------------------------------
            private static Tensor Activation(Tensor input, int kind, double a, double b)
            {
                var r = LibTorch.alt_nn_activation(input.Handle, kind, a, b);
                GC.KeepAlive(input);
                return Tensor.Wrap(r);
            }

            public static Tensor relu(Tensor input) => input.relu();
            public static Tensor relu6(Tensor input) => Activation(input, 10, 0, 0);
            public static Tensor leaky_relu(Tensor input, double negative_slope = 0.01) => Activation(input, 0, negative_slope, 0);
            public static Tensor elu(Tensor input, double alpha = 1.0) => Activation(input, 1, alpha, 0);
            public static Tensor celu(Tensor input, double alpha = 1.0) => Activation(input, 5, alpha, 0);
            /// <summary>approximate: "none" (exact, erf) or "tanh".</summary>
            public static Tensor gelu(Tensor input, string approximate = "none") => approximate switch
            {
                "none" => Activation(input, 2, 0, 0),
                "tanh" => Activation(input, 2, 1, 0),
                _ => throw new ArgumentException($"approximate must be \"none\" or \"tanh\", got \"{approximate}\""),
            };
            public static Tensor silu(Tensor input) => input.silu();
            public static Tensor tanh(Tensor input) => input.tanh();
            public static Tensor sigmoid(Tensor input) => input.sigmoid();
            public static Tensor softplus(Tensor input, double beta = 1, double threshold = 20) => Activation(input, 3, beta, threshold);
            public static Tensor hardtanh(Tensor input, double min_val = -1, double max_val = 1) => Activation(input, 4, min_val, max_val);
            public static Tensor threshold(Tensor input, double threshold, double value) => Activation(input, 7, threshold, value);
            public static Tensor softsign(Tensor input) => Activation(input, 8, 0, 0);
            public static Tensor logsigmoid(Tensor input) => Activation(input, 9, 0, 0);
            public static Tensor softmax(Tensor input, long dim, ScalarType? dtype = null) => input.softmax(dim, dtype);
            public static Tensor log_softmax(Tensor input, long dim, ScalarType? dtype = null) => input.log_softmax(dim, dtype);

            // ---- padding and resampling ---------------------------------------------------------------------

            /// <summary>pad lists (left, right) pairs starting from the last dimension; mode "constant", "reflect",
            /// "replicate" or "circular".</summary>
            public static unsafe Tensor pad(Tensor input, long[] pad, string mode = "constant", double value = 0)
            {
                IntPtr r;
                fixed (long* p = pad) r = LibTorch.alt_nn_pad(input.Handle, p, pad.Length, mode, value);
                GC.KeepAlive(input);
                return Tensor.Wrap(r);
            }

            /// <summary>mode: "nearest", "linear" (3-D input), "bilinear" (4-D), "bicubic" (4-D), "trilinear" (5-D).
            /// Give either size or scale_factor, as in PyTorch.</summary>
            public static unsafe Tensor interpolate(Tensor input, long[]? size = null, double[]? scale_factor = null, string mode = "nearest",
                bool? align_corners = null)
            {
                var modeCode = mode switch
                {
                    "nearest" => 0, "linear" => 1, "bilinear" => 2, "bicubic" => 3, "trilinear" => 4,
                    _ => throw new ArgumentException($"interpolate: unknown mode \"{mode}\""),
                };
                if (modeCode == 0 && align_corners.HasValue)
                    throw new ArgumentException("align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear");
                if ((size == null) == (scale_factor == null)) throw new ArgumentException("interpolate: give exactly one of size and scale_factor");
                var spatial = (int)input.dim() - 2;
                var s = size == null ? null : Expand(size, spatial, 1, "size");
                var f = scale_factor == null ? null : (scale_factor.Length == 1 ? Enumerable.Repeat(scale_factor[0], spatial).ToArray() : scale_factor);
                IntPtr r;
                fixed (long* ps = s)
                fixed (double* pf = f)
                    r = LibTorch.alt_nn_interpolate(input.Handle, ps, s?.Length ?? 0, pf, f?.Length ?? 0, modeCode, align_corners == true ? 1 : 0);
                GC.KeepAlive(input);
                return Tensor.Wrap(r);
            }

            public static unsafe Tensor affine_grid(Tensor theta, long[] size, bool align_corners = false)
            {
                IntPtr r;
                fixed (long* p = size) r = LibTorch.alt_nn_affine_grid(theta.Handle, p, size.Length, align_corners ? 1 : 0);
                GC.KeepAlive(theta);
                return Tensor.Wrap(r);
            }

            /// <summary>mode "bilinear", "nearest" or "bicubic"; padding_mode "zeros", "border" or "reflection".</summary>
            public static Tensor grid_sample(Tensor input, Tensor grid, string mode = "bilinear", string padding_mode = "zeros", bool align_corners = false)
            {
                var m = mode switch { "bilinear" => 0, "nearest" => 1, "bicubic" => 2, _ => throw new ArgumentException($"grid_sample: unknown mode \"{mode}\"") };
                var p = padding_mode switch
                {
                    "zeros" => 0, "border" => 1, "reflection" => 2,
                    _ => throw new ArgumentException($"grid_sample: unknown padding_mode \"{padding_mode}\""),
                };
                var r = LibTorch.alt_nn_grid_sample(input.Handle, grid.Handle, m, p, align_corners ? 1 : 0);
                GC.KeepAlive(input); GC.KeepAlive(grid);
                return Tensor.Wrap(r);
            }

            public static Tensor one_hot(Tensor input, long num_classes = -1)
            {
                var r = LibTorch.alt_nn_one_hot(input.Handle, num_classes);
                GC.KeepAlive(input);
                return Tensor.Wrap(r);
            }

            public static Tensor embedding(Tensor input, Tensor weight, long? padding_idx = null, bool scale_grad_by_freq = false, bool sparse = false)
            {
                var pi = padding_idx ?? -1;
                if (padding_idx.HasValue && pi < 0) pi += weight.shape[0];
                var r = LibTorch.alt_nn_embedding(weight.Handle, input.Handle, padding_idx.HasValue ? pi : -1, scale_grad_by_freq ? 1 : 0, sparse ? 1 : 0);
                GC.KeepAlive(input); GC.KeepAlive(weight);
                return Tensor.Wrap(r);
            }

            internal static Tensor baddbmm(Tensor self, Tensor a, Tensor b, double beta = 1, double alpha = 1)
            {
                var r = LibTorch.alt_nn_baddbmm(self.Handle, a.Handle, b.Handle, beta, alpha);
                GC.KeepAlive(self); GC.KeepAlive(a); GC.KeepAlive(b);
                return Tensor.Wrap(r);
            }
        }
    }
}
