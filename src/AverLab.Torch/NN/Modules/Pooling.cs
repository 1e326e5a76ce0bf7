using F = AverLab.Torch.torch.nn.functional;

namespace AverLab.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>PyTorch's _MaxPoolNd: stride defaults to kernel_size.</summary>
        public abstract class MaxPoolNd : Module<Tensor, Tensor>
        {
            private readonly int nd;
            public long[] kernel_size { get; }
            public long[] stride { get; }
            public long[] padding { get; }
            public long[] dilation { get; }
            public bool ceil_mode { get; }

            private protected MaxPoolNd(int nd, long[] kernel_size, long[]? stride, long[] padding, long[] dilation, bool ceil_mode)
            {
                this.nd = nd;
                this.kernel_size = NativeCall.Expand(kernel_size, nd, 1, "kernel_size");
                this.stride = stride is null ? this.kernel_size : NativeCall.Expand(stride, nd, 1, "stride");
                this.padding = NativeCall.Expand(padding, nd, 0, "padding");
                this.dilation = NativeCall.Expand(dilation, nd, 1, "dilation");
                this.ceil_mode = ceil_mode;
            }

            public override Tensor forward(Tensor input) => F.MaxPoolNd(nd, input, kernel_size, stride, padding, dilation, ceil_mode);
            public override string extra_repr() =>
                $"kernel_size={Repr.Tuple(kernel_size)}, stride={Repr.Tuple(stride)}, padding={Repr.Tuple(padding)}, dilation={Repr.Tuple(dilation)}, ceil_mode={Repr.Bool(ceil_mode)}";
        }

        /// <summary>https://pytorch.org/docs/1.13/generated/torch.nn.MaxPool1d.html</summary>
        public sealed class MaxPool1d(long kernel_size, long? stride = null, long padding = 0, long dilation = 1, bool ceil_mode = false)
            : MaxPoolNd(1, [kernel_size], stride.HasValue ? [stride.Value] : null, [padding], [dilation], ceil_mode);

        /// <summary>https://pytorch.org/docs/1.13/generated/torch.nn.MaxPool2d.html</summary>
        public sealed class MaxPool2d : MaxPoolNd
        {
            public MaxPool2d(long kernel_size, long? stride = null, long padding = 0, long dilation = 1, bool ceil_mode = false)
                : base(2, [kernel_size], stride.HasValue ? [stride.Value] : null, [padding], [dilation], ceil_mode) { }
            public MaxPool2d(long[] kernel_size, long[]? stride = null, long[]? padding = null, long[]? dilation = null, bool ceil_mode = false)
                : base(2, kernel_size, stride, padding ?? [0], dilation ?? [1], ceil_mode) { }
        }

        /// <summary>https://pytorch.org/docs/1.13/generated/torch.nn.MaxPool3d.html</summary>
        public sealed class MaxPool3d(long kernel_size, long? stride = null, long padding = 0, long dilation = 1, bool ceil_mode = false)
            : MaxPoolNd(3, [kernel_size], stride.HasValue ? [stride.Value] : null, [padding], [dilation], ceil_mode);

        /// <summary>https://pytorch.org/docs/1.13/generated/torch.nn.AvgPool2d.html</summary>
        public sealed class AvgPool2d : Module<Tensor, Tensor>
        {
            public long[] kernel_size { get; }
            public long[] stride { get; }
            public long[] padding { get; }
            public bool ceil_mode { get; }
            public bool count_include_pad { get; }
            public long? divisor_override { get; }

            public AvgPool2d(long kernel_size, long? stride = null, long padding = 0, bool ceil_mode = false, bool count_include_pad = true,
                long? divisor_override = null)
                : this([kernel_size], stride.HasValue ? [stride.Value] : null, [padding], ceil_mode, count_include_pad, divisor_override) { }

            public AvgPool2d(long[] kernel_size, long[]? stride = null, long[]? padding = null, bool ceil_mode = false, bool count_include_pad = true,
                long? divisor_override = null)
            {
                this.kernel_size = NativeCall.Expand(kernel_size, 2, 1, "kernel_size");
                this.stride = stride is null ? this.kernel_size : NativeCall.Expand(stride, 2, 1, "stride");
                this.padding = NativeCall.Expand(padding, 2, 0, "padding");
                this.ceil_mode = ceil_mode;
                this.count_include_pad = count_include_pad;
                this.divisor_override = divisor_override;
            }

            public override Tensor forward(Tensor input) =>
                F.AvgPoolNd(2, input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override);
            public override string extra_repr() => $"kernel_size={Repr.Tuple(kernel_size)}, stride={Repr.Tuple(stride)}, padding={Repr.Tuple(padding)}";
        }

        /// <summary>https://pytorch.org/docs/1.13/generated/torch.nn.AvgPool1d.html</summary>
        public sealed class AvgPool1d(long kernel_size, long? stride = null, long padding = 0, bool ceil_mode = false, bool count_include_pad = true)
            : Module<Tensor, Tensor>
        {
            public long kernel_size { get; } = kernel_size;
            public long stride { get; } = stride ?? kernel_size;
            public long padding { get; } = padding;
            public bool ceil_mode { get; } = ceil_mode;
            public bool count_include_pad { get; } = count_include_pad;
            public override Tensor forward(Tensor input) => F.avg_pool1d(input, kernel_size, stride, padding, ceil_mode, count_include_pad);
            public override string extra_repr() => $"kernel_size=({kernel_size},), stride=({stride},), padding=({padding},)";
        }

        /// <summary>https://pytorch.org/docs/1.13/generated/torch.nn.AvgPool3d.html</summary>
        public sealed class AvgPool3d(long kernel_size, long? stride = null, long padding = 0, bool ceil_mode = false, bool count_include_pad = true,
            long? divisor_override = null) : Module<Tensor, Tensor>
        {
            public long kernel_size { get; } = kernel_size;
            public long stride { get; } = stride ?? kernel_size;
            public long padding { get; } = padding;
            public bool ceil_mode { get; } = ceil_mode;
            public bool count_include_pad { get; } = count_include_pad;
            public long? divisor_override { get; } = divisor_override;
            public override Tensor forward(Tensor input) =>
                F.avg_pool3d(input, kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override);
            public override string extra_repr() => $"kernel_size={kernel_size}, stride={stride}, padding={padding}";
        }

        /// <summary>https://pytorch.org/docs/1.13/generated/torch.nn.AdaptiveAvgPool1d.html</summary>
        public sealed class AdaptiveAvgPool1d(long output_size) : Module<Tensor, Tensor>
        {
            public long output_size { get; } = output_size;
            public override Tensor forward(Tensor input) => F.adaptive_avg_pool1d(input, output_size);
            public override string extra_repr() => $"output_size={output_size}";
        }

        /// <summary>https://pytorch.org/docs/1.13/generated/torch.nn.AdaptiveAvgPool2d.html</summary>
        public sealed class AdaptiveAvgPool2d(params long[] output_size) : Module<Tensor, Tensor>
        {
            public long[] output_size { get; } = NativeCall.Expand(output_size, 2, 1, "output_size");
            public override Tensor forward(Tensor input) => F.adaptive_avg_pool2d(input, output_size);
            public override string extra_repr() => $"output_size={Repr.Tuple(output_size)}";
        }
    }
}
