using AverLab.Torch.Native;
using static AverLab.Torch.NativeCall;

namespace AverLab.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>torch.nn.functional (https://pytorch.org/docs/1.13/nn.functional.html): convolution and pooling.</summary>
        public static partial class functional
        {
            internal static unsafe Tensor ConvNd(int nd, Tensor input, Tensor weight, Tensor? bias, long[]? stride, long[]? padding,
                long[]? dilation, long groups, int paddingMode)
            {
                var s = Expand(stride, nd, 1, "stride");
                var p = Expand(padding, nd, 0, "padding");
                var d = Expand(dilation, nd, 1, "dilation");
                IntPtr r;
                fixed (long* ps = s, pp = p, pd = d)
                    r = LibTorch.alt_nn_conv(input.Handle, weight.Handle, H(bias), ps, pp, pd, nd, groups, paddingMode);
                GC.KeepAlive(input);
                GC.KeepAlive(weight);
                GC.KeepAlive(bias);
                return Tensor.Wrap(r);
            }

            private static int PaddingMode(string padding) => padding switch
            {
                "same" => 1,
                "valid" => 2,
                _ => throw new ArgumentException($"padding must be \"same\", \"valid\" or numbers, got \"{padding}\""),
            };

            public static Tensor conv1d(Tensor input, Tensor weight, Tensor? bias = null, long[]? stride = null, long[]? padding = null,
                long[]? dilation = null, long groups = 1) => ConvNd(1, input, weight, bias, stride, padding, dilation, groups, 0);
            public static Tensor conv1d(Tensor input, Tensor weight, string padding, Tensor? bias = null, long[]? stride = null,
                long[]? dilation = null, long groups = 1) => ConvNd(1, input, weight, bias, stride, null, dilation, groups, PaddingMode(padding));
            public static Tensor conv2d(Tensor input, Tensor weight, Tensor? bias = null, long[]? stride = null, long[]? padding = null,
                long[]? dilation = null, long groups = 1) => ConvNd(2, input, weight, bias, stride, padding, dilation, groups, 0);
            public static Tensor conv2d(Tensor input, Tensor weight, string padding, Tensor? bias = null, long[]? stride = null,
                long[]? dilation = null, long groups = 1) => ConvNd(2, input, weight, bias, stride, null, dilation, groups, PaddingMode(padding));
            public static Tensor conv3d(Tensor input, Tensor weight, Tensor? bias = null, long[]? stride = null, long[]? padding = null,
                long[]? dilation = null, long groups = 1) => ConvNd(3, input, weight, bias, stride, padding, dilation, groups, 0);
            public static Tensor conv3d(Tensor input, Tensor weight, string padding, Tensor? bias = null, long[]? stride = null,
                long[]? dilation = null, long groups = 1) => ConvNd(3, input, weight, bias, stride, null, dilation, groups, PaddingMode(padding));

            internal static unsafe Tensor ConvTransposeNd(int nd, Tensor input, Tensor weight, Tensor? bias, long[]? stride, long[]? padding,
                long[]? output_padding, long groups, long[]? dilation)
            {
                var s = Expand(stride, nd, 1, "stride");
                var p = Expand(padding, nd, 0, "padding");
                var op = Expand(output_padding, nd, 0, "output_padding");
                var d = Expand(dilation, nd, 1, "dilation");
                IntPtr r;
                fixed (long* ps = s, pp = p, pop = op, pd = d)
                    r = LibTorch.alt_nn_conv_transpose(input.Handle, weight.Handle, H(bias), ps, pp, pop, pd, nd, groups);
                GC.KeepAlive(input);
                GC.KeepAlive(weight);
                GC.KeepAlive(bias);
                return Tensor.Wrap(r);
            }

            public static Tensor conv_transpose1d(Tensor input, Tensor weight, Tensor? bias = null, long[]? stride = null, long[]? padding = null,
                long[]? output_padding = null, long groups = 1, long[]? dilation = null) =>
                ConvTransposeNd(1, input, weight, bias, stride, padding, output_padding, groups, dilation);
            public static Tensor conv_transpose2d(Tensor input, Tensor weight, Tensor? bias = null, long[]? stride = null, long[]? padding = null,
                long[]? output_padding = null, long groups = 1, long[]? dilation = null) =>
                ConvTransposeNd(2, input, weight, bias, stride, padding, output_padding, groups, dilation);
            public static Tensor conv_transpose3d(Tensor input, Tensor weight, Tensor? bias = null, long[]? stride = null, long[]? padding = null,
                long[]? output_padding = null, long groups = 1, long[]? dilation = null) =>
                ConvTransposeNd(3, input, weight, bias, stride, padding, output_padding, groups, dilation);

            // ---- pooling ----------------------------------------------------------------------------------------

            internal static unsafe Tensor MaxPoolNd(int nd, Tensor input, long[] kernel_size, long[]? stride, long[]? padding, long[]? dilation, bool ceil_mode)
            {
                var k = Expand(kernel_size, nd, 1, "kernel_size");
                // PyTorch: stride defaults to kernel_size.
                var s = stride == null || stride.Length == 0 ? k : Expand(stride, nd, 1, "stride");
                var p = Expand(padding, nd, 0, "padding");
                var d = Expand(dilation, nd, 1, "dilation");
                IntPtr r;
                fixed (long* pk = k, ps = s, pp = p, pd = d)
                    r = LibTorch.alt_nn_max_pool(input.Handle, pk, ps, pp, pd, nd, ceil_mode ? 1 : 0);
                GC.KeepAlive(input);
                return Tensor.Wrap(r);
            }

            public static Tensor max_pool1d(Tensor input, long[] kernel_size, long[]? stride = null, long[]? padding = null, long[]? dilation = null,
                bool ceil_mode = false) => MaxPoolNd(1, input, kernel_size, stride, padding, dilation, ceil_mode);
            public static Tensor max_pool1d(Tensor input, long kernel_size, long? stride = null, long padding = 0, long dilation = 1, bool ceil_mode = false) =>
                MaxPoolNd(1, input, [kernel_size], stride.HasValue ? [stride.Value] : null, [padding], [dilation], ceil_mode);
            public static Tensor max_pool2d(Tensor input, long[] kernel_size, long[]? stride = null, long[]? padding = null, long[]? dilation = null,
                bool ceil_mode = false) => MaxPoolNd(2, input, kernel_size, stride, padding, dilation, ceil_mode);
            public static Tensor max_pool2d(Tensor input, long kernel_size, long? stride = null, long padding = 0, long dilation = 1, bool ceil_mode = false) =>
                MaxPoolNd(2, input, [kernel_size], stride.HasValue ? [stride.Value] : null, [padding], [dilation], ceil_mode);
            public static Tensor max_pool3d(Tensor input, long[] kernel_size, long[]? stride = null, long[]? padding = null, long[]? dilation = null,
                bool ceil_mode = false) => MaxPoolNd(3, input, kernel_size, stride, padding, dilation, ceil_mode);
            public static Tensor max_pool3d(Tensor input, long kernel_size, long? stride = null, long padding = 0, long dilation = 1, bool ceil_mode = false) =>
                MaxPoolNd(3, input, [kernel_size], stride.HasValue ? [stride.Value] : null, [padding], [dilation], ceil_mode);

            internal static unsafe Tensor AvgPoolNd(int nd, Tensor input, long[] kernel_size, long[]? stride, long[]? padding, bool ceil_mode,
                bool count_include_pad, long? divisor_override)
            {
                var k = Expand(kernel_size, nd, 1, "kernel_size");
                var s = stride == null || stride.Length == 0 ? k : Expand(stride, nd, 1, "stride");
                var p = Expand(padding, nd, 0, "padding");
                IntPtr r;
                fixed (long* pk = k, ps = s, pp = p)
                    r = LibTorch.alt_nn_avg_pool(input.Handle, pk, ps, pp, nd, ceil_mode ? 1 : 0, count_include_pad ? 1 : 0, divisor_override ?? 0);
                GC.KeepAlive(input);
                return Tensor.Wrap(r);
            }

            public static Tensor avg_pool1d(Tensor input, long[] kernel_size, long[]? stride = null, long[]? padding = null, bool ceil_mode = false,
                bool count_include_pad = true) => AvgPoolNd(1, input, kernel_size, stride, padding, ceil_mode, count_include_pad, null);
            public static Tensor avg_pool1d(Tensor input, long kernel_size, long? stride = null, long padding = 0, bool ceil_mode = false,
                bool count_include_pad = true) =>
                AvgPoolNd(1, input, [kernel_size], stride.HasValue ? [stride.Value] : null, [padding], ceil_mode, count_include_pad, null);
            public static Tensor avg_pool2d(Tensor input, long[] kernel_size, long[]? stride = null, long[]? padding = null, bool ceil_mode = false,
                bool count_include_pad = true, long? divisor_override = null) =>
                AvgPoolNd(2, input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override);
            public static Tensor avg_pool2d(Tensor input, long kernel_size, long? stride = null, long padding = 0, bool ceil_mode = false,
                bool count_include_pad = true, long? divisor_override = null) =>
                AvgPoolNd(2, input, [kernel_size], stride.HasValue ? [stride.Value] : null, [padding], ceil_mode, count_include_pad, divisor_override);
            public static Tensor avg_pool3d(Tensor input, long[] kernel_size, long[]? stride = null, long[]? padding = null, bool ceil_mode = false,
                bool count_include_pad = true, long? divisor_override = null) =>
                AvgPoolNd(3, input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override);
            public static Tensor avg_pool3d(Tensor input, long kernel_size, long? stride = null, long padding = 0, bool ceil_mode = false,
                bool count_include_pad = true, long? divisor_override = null) =>
                AvgPoolNd(3, input, [kernel_size], stride.HasValue ? [stride.Value] : null, [padding], ceil_mode, count_include_pad, divisor_override);

            internal static unsafe Tensor AdaptivePoolNd(int nd, Tensor input, long[] output_size, bool isMax)
            {
                var o = Expand(output_size, nd, 1, "output_size");
                IntPtr r;
                fixed (long* po = o) r = LibTorch.alt_nn_adaptive_pool(input.Handle, po, nd, isMax ? 1 : 0);
                GC.KeepAlive(input);
                return Tensor.Wrap(r);
            }

            public static Tensor adaptive_avg_pool1d(Tensor input, params long[] output_size) => AdaptivePoolNd(1, input, output_size, false);
            public static Tensor adaptive_avg_pool2d(Tensor input, params long[] output_size) => AdaptivePoolNd(2, input, output_size, false);
            public static Tensor adaptive_avg_pool3d(Tensor input, params long[] output_size) => AdaptivePoolNd(3, input, output_size, false);
            public static Tensor adaptive_max_pool1d(Tensor input, params long[] output_size) => AdaptivePoolNd(1, input, output_size, true);
            public static Tensor adaptive_max_pool2d(Tensor input, params long[] output_size) => AdaptivePoolNd(2, input, output_size, true);
        }
    }
}
