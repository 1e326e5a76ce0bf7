namespace AverLab.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>torch.nn.utils: gradient clipping (PyTorch 1.13's nn/utils/clip_grad.py).</summary>
        public static partial class utils
        {
            /// <summary>Scales the gradients so that their joint norm (of order <paramref name="norm_type"/>, may be
            /// +∞) is at most <paramref name="max_norm"/>; returns that total norm before clipping
            /// (https://pytorch.org/docs/1.13/generated/torch.nn.utils.clip_grad_norm_.html).</summary>
            public static Tensor clip_grad_norm_(IEnumerable<Tensor> parameters, double max_norm, double norm_type = 2.0,
                bool error_if_nonfinite = false)
            {
                Tensor total;
                using (var scope = NewDisposeScope())
                using (no_grad())
                {
                    var grads = parameters.Select(p => p.grad).Where(g => g != null).Select(g => g!).ToList();
                    if (grads.Count == 0) return tensor(0.0, float32).MoveToOuterDisposeScope();
                    if (double.IsPositiveInfinity(norm_type))
                    {
                        var norms = grads.Select(g => g.abs().max()).ToList();
                        total = norms.Count == 1 ? norms[0] : stack(norms).max();
                    }
                    else
                    {
                        // torch.norm(g, p) reduces over every dimension listed explicitly (_VF.norm(g, p, dim=[0..n))).
                        total = stack(grads.Select(g => g.norm(norm_type, AllDims(g))).ToList()).norm(norm_type, [0]);
                    }
                    if (error_if_nonfinite && (total.isnan().item<bool>() || total.isinf().item<bool>()))
                        throw new InvalidOperationException(
                            $"The total norm of order {norm_type} for gradients from `parameters` is non-finite, so it cannot be clipped. " +
                            "To disable this error and scale the gradients by the non-finite norm anyway, set `error_if_nonfinite=False`");
                    var clip_coef = max_norm / (total + 1e-6);
                    var clip_coef_clamped = clip_coef.clamp(max: 1.0);
                    foreach (var g in grads) g.mul_(clip_coef_clamped);
                    total.MoveToOuterDisposeScope();
                }
                return total;
            }

            private static long[]? AllDims(Tensor t) => t.dim() == 0 ? null : Enumerable.Range(0, (int)t.dim()).Select(i => (long)i).ToArray();

            public static Tensor clip_grad_norm_(Tensor parameter, double max_norm, double norm_type = 2.0, bool error_if_nonfinite = false) =>
                clip_grad_norm_([parameter], max_norm, norm_type, error_if_nonfinite);

            /// <summary>Clamps every gradient element to [-clip_value, clip_value], in place
            /// (https://pytorch.org/docs/1.13/generated/torch.nn.utils.clip_grad_value_.html).</summary>
            public static void clip_grad_value_(IEnumerable<Tensor> parameters, double clip_value)
            {
                using var noGrad = no_grad();
                foreach (var p in parameters)
                {
                    using var g = p.grad;
                    g?.clamp_(-clip_value, clip_value);
                }
            }

            public static void clip_grad_value_(Tensor parameter, double clip_value) => clip_grad_value_([parameter], clip_value);
        }
    }
}
