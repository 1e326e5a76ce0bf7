using F = AverLab.Torch.torch.nn.functional;

namespace AverLab.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>Shared body of Conv1d/2d/3d and ConvTranspose (PyTorch's _ConvNd): weight (out, in/groups, *k)
        /// or, transposed, (in, out/groups, *k); init kaiming_uniform_(a = sqrt(5)) + bias uniform(±1/sqrt(fan_in)).</summary>
        public abstract class ConvNd : Module<Tensor, Tensor>
        {
            private readonly int nd;
            private readonly string? paddingString;
            private readonly long[] reversedPadding;

            public long in_channels { get; }
            public long out_channels { get; }
            public long[] kernel_size { get; }
            public long[] stride { get; }
            public long[] padding { get; }
            public long[] dilation { get; }
            public long[] output_padding { get; }
            public long groups { get; }
            public bool transposed { get; }
            /// <summary>"zeros" (default), "reflect", "replicate" or "circular".</summary>
            public string padding_mode { get; }
            public Parameter weight { get; }
            public Parameter? bias { get; }

            private protected ConvNd(int nd, long in_channels, long out_channels, long[] kernel_size, long[]? stride, long[]? padding, string? paddingString,
                long[]? dilation, long groups, bool bias, bool transposed, long[]? output_padding, Device? device, ScalarType? dtype,
                string padding_mode = "zeros")
            {
                this.nd = nd;
                if (padding_mode is not ("zeros" or "reflect" or "replicate" or "circular"))
                    throw new ArgumentException($"padding_mode must be one of 'zeros', 'reflect', 'replicate' or 'circular', but got padding_mode='{padding_mode}'");
                if (transposed && padding_mode != "zeros") throw new ArgumentException("Only \"zeros\" padding mode is supported for ConvTranspose");
                this.padding_mode = padding_mode;
                if (in_channels % groups != 0) throw new ArgumentException("in_channels must be divisible by groups");
                if (out_channels % groups != 0) throw new ArgumentException("out_channels must be divisible by groups");
                this.in_channels = in_channels;
                this.out_channels = out_channels;
                this.kernel_size = NativeCall.Expand(kernel_size, nd, 1, "kernel_size");
                this.stride = NativeCall.Expand(stride, nd, 1, "stride");
                this.dilation = NativeCall.Expand(dilation, nd, 1, "dilation");
                this.output_padding = NativeCall.Expand(output_padding, nd, 0, "output_padding");
                this.paddingString = paddingString;
                if (paddingString is not null && paddingString != "same" && paddingString != "valid")
                    throw new ArgumentException($"Invalid padding string '{paddingString}', should be one of {{'valid', 'same'}}");
                if (paddingString == "same" && this.stride.Any(s => s != 1))
                    throw new ArgumentException("padding='same' is not supported for strided convolutions");
                this.padding = paddingString is null ? NativeCall.Expand(padding, nd, 0, "padding") : new long[nd];
                // PyTorch's _reversed_padding_repeated_twice: F.pad amounts, last dimension first.
                reversedPadding = new long[2 * nd];
                for (var i = 0; i < nd; i++)
                {
                    long left = this.padding[i], right = this.padding[i];
                    if (paddingString == "same")
                    {
                        var total = this.dilation[i] * (this.kernel_size[i] - 1);
                        left = total / 2;
                        right = total - left;
                    }
                    reversedPadding[2 * (nd - 1 - i)] = left;
                    reversedPadding[2 * (nd - 1 - i) + 1] = right;
                }
                this.groups = groups;
                this.transposed = transposed;
                var shape = transposed
                    ? new[] { in_channels, out_channels / groups }.Concat(this.kernel_size).ToArray()
                    : new[] { out_channels, in_channels / groups }.Concat(this.kernel_size).ToArray();
                using var scope = NewDisposeScope();
                weight = RegisterParameter("weight", empty(shape, dtype, device))!;
                this.bias = RegisterParameter("bias", bias ? empty([out_channels], dtype, device) : null);
                reset_parameters();
            }

            public void reset_parameters()
            {
                init.kaiming_uniform_(weight, Math.Sqrt(5));
                if (bias is not null) init.BiasUniform(bias, weight);
            }

            public override Tensor forward(Tensor input)
            {
                if (transposed) return F.ConvTransposeNd(nd, input, weight, bias, stride, padding, output_padding, groups, dilation);
                if (padding_mode != "zeros")
                {
                    using var padded = F.pad(input, reversedPadding, padding_mode);
                    return F.ConvNd(nd, padded, weight, bias, stride, new long[nd], dilation, groups, 0);
                }
                var mode = paddingString switch { "same" => 1, "valid" => 2, _ => 0 };
                return F.ConvNd(nd, input, weight, bias, stride, padding, dilation, groups, mode);
            }

            public override string extra_repr()
            {
                var s = $"{in_channels}, {out_channels}, kernel_size={Repr.Tuple(kernel_size)}, stride={Repr.Tuple(stride)}";
                if (paddingString is not null) s += $", padding={paddingString}";
                else if (padding.Any(p => p != 0)) s += $", padding={Repr.Tuple(padding)}";
                if (dilation.Any(d => d != 1)) s += $", dilation={Repr.Tuple(dilation)}";
                if (output_padding.Any(p => p != 0)) s += $", output_padding={Repr.Tuple(output_padding)}";
                if (groups != 1) s += $", groups={groups}";
                if (bias is null) s += ", bias=False";
                if (padding_mode != "zeros") s += $", padding_mode={padding_mode}";
                return s;
            }
        }

        /// <summary>https://pytorch.org/docs/1.13/generated/torch.nn.Conv1d.html</summary>
        public sealed class Conv1d : ConvNd
        {
            public Conv1d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0, long dilation = 1, long groups = 1,
                bool bias = true, string padding_mode = "zeros", Device? device = null, ScalarType? dtype = null)
                : base(1, in_channels, out_channels, [kernel_size], [stride], [padding], null, [dilation], groups, bias, false, null, device, dtype, padding_mode) { }
            /// <summary>padding "same" or "valid".</summary>
            public Conv1d(long in_channels, long out_channels, long kernel_size, string padding, long stride = 1, long dilation = 1, long groups = 1,
                bool bias = true, Device? device = null, ScalarType? dtype = null)
                : base(1, in_channels, out_channels, [kernel_size], [stride], null, padding, [dilation], groups, bias, false, null, device, dtype) { }
        }

        /// <summary>https://pytorch.org/docs/1.13/generated/torch.nn.Conv2d.html</summary>
        public sealed class Conv2d : ConvNd
        {
            public Conv2d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0, long dilation = 1, long groups = 1,
                bool bias = true, string padding_mode = "zeros", Device? device = null, ScalarType? dtype = null)
                : base(2, in_channels, out_channels, [kernel_size], [stride], [padding], null, [dilation], groups, bias, false, null, device, dtype, padding_mode) { }
            public Conv2d(long in_channels, long out_channels, long[] kernel_size, long[]? stride = null, long[]? padding = null, long[]? dilation = null,
                long groups = 1, bool bias = true, string padding_mode = "zeros", Device? device = null, ScalarType? dtype = null)
                : base(2, in_channels, out_channels, kernel_size, stride, padding, null, dilation, groups, bias, false, null, device, dtype, padding_mode) { }
            /// <summary>padding "same" or "valid".</summary>
            public Conv2d(long in_channels, long out_channels, long kernel_size, string padding, long stride = 1, long dilation = 1, long groups = 1,
                bool bias = true, Device? device = null, ScalarType? dtype = null)
                : base(2, in_channels, out_channels, [kernel_size], [stride], null, padding, [dilation], groups, bias, false, null, device, dtype) { }
        }

        /// <summary>https://pytorch.org/docs/1.13/generated/torch.nn.Conv3d.html</summary>
        public sealed class Conv3d : ConvNd
        {
            public Conv3d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0, long dilation = 1, long groups = 1,
                bool bias = true, string padding_mode = "zeros", Device? device = null, ScalarType? dtype = null)
                : base(3, in_channels, out_channels, [kernel_size], [stride], [padding], null, [dilation], groups, bias, false, null, device, dtype, padding_mode) { }
            public Conv3d(long in_channels, long out_channels, long[] kernel_size, long[]? stride = null, long[]? padding = null, long[]? dilation = null,
                long groups = 1, bool bias = true, Device? device = null, ScalarType? dtype = null)
                : base(3, in_channels, out_channels, kernel_size, stride, padding, null, dilation, groups, bias, false, null, device, dtype) { }
        }

        /// <summary>https://pytorch.org/docs/1.13/generated/torch.nn.ConvTranspose1d.html</summary>
        public sealed class ConvTranspose1d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0, long output_padding = 0,
            long groups = 1, bool bias = true, long dilation = 1, Device? device = null, ScalarType? dtype = null)
            : ConvNd(1, in_channels, out_channels, [kernel_size], [stride], [padding], null, [dilation], groups, bias, true, [output_padding], device, dtype);

        /// <summary>https://pytorch.org/docs/1.13/generated/torch.nn.ConvTranspose3d.html</summary>
        public sealed class ConvTranspose3d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0, long output_padding = 0,
            long groups = 1, bool bias = true, long dilation = 1, Device? device = null, ScalarType? dtype = null)
            : ConvNd(3, in_channels, out_channels, [kernel_size], [stride], [padding], null, [dilation], groups, bias, true, [output_padding], device, dtype);

        /// <summary>https://pytorch.org/docs/1.13/generated/torch.nn.ConvTranspose2d.html</summary>
        public sealed class ConvTranspose2d : ConvNd
        {
            public ConvTranspose2d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0, long output_padding = 0,
                long groups = 1, bool bias = true, long dilation = 1, Device? device = null, ScalarType? dtype = null)
                : base(2, in_channels, out_channels, [kernel_size], [stride], [padding], null, [dilation], groups, bias, true, [output_padding], device, dtype) { }
        }
    }
}
