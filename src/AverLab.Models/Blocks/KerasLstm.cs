using AverLab.Torch;
using static AverLab.Torch.torch;
using F = AverLab.Torch.torch.nn.functional;

namespace AverLab.Models;

/// <summary>Keras' LSTM layer (return_sequences=False): one bias vector per gate set, where PyTorch has b_ih and b_hh,
/// so its parameter count is Keras': 4 x (units x (input + units) + units). Gate order i, f, c, o (the same as
/// PyTorch's i, f, g, o), sigmoid recurrent activation, Keras' initialisers (glorot_uniform kernel, orthogonal
/// recurrent kernel, zero bias with unit_forget_bias). Runs on libtorch's fused at::lstm with a constant zero b_hh.</summary>
public sealed class KerasLstm : nn.Module<Tensor, Tensor>
{
    private readonly Tensor zeroBias;

    public long input_size { get; }
    public long units { get; }
    /// <summary>Input kernel 4·units x input (Keras stores its transpose).</summary>
    public nn.Parameter kernel { get; }
    public nn.Parameter recurrent_kernel { get; }
    public nn.Parameter bias { get; }

    public KerasLstm(long input_size, long units)
    {
        this.input_size = input_size;
        this.units = units;
        using var scope = NewDisposeScope();
        kernel = RegisterParameter("kernel", empty(4 * units, input_size))!;
        recurrent_kernel = RegisterParameter("recurrent_kernel", empty(4 * units, units))!;
        bias = RegisterParameter("bias", zeros(4 * units))!;
        zeroBias = RegisterBuffer("zero_bias", zeros(4 * units), persistent: false);
        using (no_grad())
        {
            nn.init.xavier_uniform_(kernel);
            nn.init.orthogonal_(recurrent_kernel);
            using var forget = bias.narrow(0, units, units);
            forget.fill_(1.0);
        }
    }

    /// <summary>B x T x input → the last hidden state B x units.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var h0 = zeros([1, input.shape[0], units], input.dtype);
        var (output, h, c) = F.lstm(input, h0, h0, [kernel, recurrent_kernel, bias, zeroBias], true, 1, 0.0, training, false, batch_first: true);
        return h[0].MoveToOuterDisposeScope();
    }

    public override string extra_repr() => $"{input_size}, units={units}";
}
