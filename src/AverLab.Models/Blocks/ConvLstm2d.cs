using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AverLab.Models;

/// <summary>Keras' ConvLSTM2D with return_sequences=True on B x T x C x H x W: a 'valid' input convolution, a 'same'
/// recurrent convolution, one bias, gates i, f, c, o, tanh activation and Keras' default recurrent activation
/// hard_sigmoid (clip(0.2x + 0.5, 0, 1)). Parameters 4·filters x (k²·in + k²·filters + 1), Keras' count.
/// recurrent_dropout drops the hidden state fed to the recurrent convolution with one mask per sequence (Keras draws a
/// separate mask per gate; one shared mask keeps a single fused convolution).</summary>
public sealed class ConvLstm2d : nn.Module<Tensor, Tensor>
{
    public long in_channels { get; }
    public long filters { get; }
    public long kernel_size { get; }
    public double recurrent_dropout { get; }
    public bool hard_sigmoid { get; }
    /// <summary>Input kernel 4·filters x in x k x k (PyTorch's conv layout; Keras stores k x k x in x 4·filters).</summary>
    [field: ComponentName(Name = "kernel")] public Parameter kernel { get; }
    [field: ComponentName(Name = "recurrent_kernel")] public Parameter recurrent_kernel { get; }
    [field: ComponentName(Name = "bias")] public Parameter bias { get; }

    public ConvLstm2d(long in_channels, long filters, long kernel_size = 3, double recurrent_dropout = 0.0, bool hard_sigmoid = true) : base(nameof(ConvLstm2d))
    {
        this.in_channels = in_channels;
        this.filters = filters;
        this.kernel_size = kernel_size;
        this.recurrent_dropout = recurrent_dropout;
        this.hard_sigmoid = hard_sigmoid;
        using var scope = NewDisposeScope();
        kernel = this.RegisterParameter("kernel", empty(4 * filters, in_channels, kernel_size, kernel_size))!;
        recurrent_kernel = this.RegisterParameter("recurrent_kernel", empty(4 * filters, filters, kernel_size, kernel_size))!;
        bias = this.RegisterParameter("bias", zeros(4 * filters))!;
        using (no_grad())
        {
            nn.init.xavier_uniform_(kernel);
            // Keras' orthogonal recurrent initialiser, on the kernel reshaped to 2-D as Keras does.
            using var flat = recurrent_kernel.view(4 * filters, -1);
            nn.init.orthogonal_(flat);
            using var forget = bias.narrow(0, filters, filters);
            forget.fill_(1.0);                                            // unit_forget_bias
        }
    }

    /// <summary>The parameters are registered explicitly (no reflection over the fields).</summary>
    protected override void RegisterComponents() { }

    private Tensor RecurrentActivation(Tensor x) => hard_sigmoid ? x.mul(0.2).add_(0.5).clamp_(0.0, 1.0) : x.sigmoid();

    /// <summary>B x T x C x H x W → B x T x filters x (H − k + 1) x (W − k + 1).</summary>
    public override Tensor forward(Tensor input)
    {
        if (input.dim() != 5) throw new ArgumentException($"ConvLstm2d expects B x T x C x H x W, got [{string.Join(", ", input.shape)}]");
        using var scope = NewDisposeScope();
        var (b, t) = (input.shape[0], input.shape[1]);
        // The input convolution of every time step at once; only the recurrent one runs step by step.
        var xz = Conv.conv2d(input.flatten(0, 1), kernel, bias);
        var (h2, w2) = (xz.shape[2], xz.shape[3]);
        xz = xz.reshape(b, t, 4 * filters, h2, w2);
        var h = zeros([b, filters, h2, w2], input.dtype, input.device);
        var c = zeros([b, filters, h2, w2], input.dtype, input.device);
        Tensor? mask = null;
        if (training && recurrent_dropout > 0)
            mask = recurrent_dropout >= 1 ? zeros_like(h) : UniformMaskDropout.Mask(h, recurrent_dropout);
        var pad = kernel_size / 2;
        var outputs = new Tensor[t];
        for (var s = 0; s < t; s++)
        {
            var z = xz.select(1, s) + Conv.conv2d(mask is null ? h : h * mask, recurrent_kernel, padding: [pad, pad]);
            var gates = z.chunk(4, 1);
            var i = RecurrentActivation(gates[0]);
            var f = RecurrentActivation(gates[1]);
            var o = RecurrentActivation(gates[3]);
            c = f * c + i * gates[2].tanh();
            h = o * c.tanh();
            outputs[s] = h;
        }
        return stack(outputs, 1).MoveToOuterDisposeScope();
    }

    public override string ToString() => $"{in_channels}, {filters}, kernel_size=({kernel_size}, {kernel_size}), recurrent_dropout={recurrent_dropout}";
}
