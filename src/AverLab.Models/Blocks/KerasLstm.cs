using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AverLab.Models;

/// <summary>Keras' LSTM layer (return_sequences=False): one bias vector per gate set, where PyTorch has b_ih and b_hh,
/// so its parameter count is Keras': 4 x (units x (input + units) + units). Gate order i, f, c, o (the same as
/// PyTorch's i, f, g, o), sigmoid recurrent activation, Keras' initialisers (glorot_uniform kernel, orthogonal
/// recurrent kernel, zero bias with unit_forget_bias). </summary>
public sealed class KerasLstm : nn.Module<Tensor, Tensor>
{
    public long input_size { get; }
    public long units { get; }
    /// <summary>Input kernel 4·units x input (Keras stores its transpose).</summary>
    [field: ComponentName(Name = "kernel")] public Parameter kernel { get; }
    [field: ComponentName(Name = "recurrent_kernel")] public Parameter recurrent_kernel { get; }
    [field: ComponentName(Name = "bias")] public Parameter bias { get; }

    public KerasLstm(long input_size, long units) : base(nameof(KerasLstm))
    {
        this.input_size = input_size;
        this.units = units;
        using var scope = NewDisposeScope();
        kernel = this.RegisterParameter("kernel", empty(4 * units, input_size))!;
        recurrent_kernel = this.RegisterParameter("recurrent_kernel", empty(4 * units, units))!;
        bias = this.RegisterParameter("bias", zeros(4 * units))!;
        using (no_grad())
        {
            nn.init.xavier_uniform_(kernel);
            nn.init.orthogonal_(recurrent_kernel);
            using var forget = bias.narrow(0, units, units);
            forget.fill_(1.0);
        }
    }

    /// <summary>The parameters are registered explicitly (no reflection over the fields).</summary>
    protected override void RegisterComponents() { }

    /// <summary>B x T x input → the last hidden state B x units. The input projection of every step is one matmul;
    /// only the recurrent one runs step by step (TorchSharp has no functional LSTM taking external weights).</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var (b, t) = (input.shape[0], input.shape[1]);
        var xz = addmm(bias, input.reshape(b * t, input_size), kernel.t(), 1, 1).view(b, t, 4 * units);
        var recurrentT = recurrent_kernel.t();
        var h = zeros([b, units], input.dtype, input.device);
        var c = zeros([b, units], input.dtype, input.device);
        for (var s = 0; s < t; s++)
        {
            var gates = addmm(xz.select(1, s), h, recurrentT, 1, 1).chunk(4, 1);
            c = gates[1].sigmoid() * c + gates[0].sigmoid() * gates[2].tanh();
            h = gates[3].sigmoid() * c.tanh();
        }
        return h.MoveToOuterDisposeScope();
    }

    public override string ToString() => $"{input_size}, units={units}";
}
