using F = AverLab.Torch.torch.nn.functional;

namespace AverLab.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>PyTorch's RNNBase for LSTM and GRU: parameters weight_ih_l{k}[_reverse], weight_hh_l{k}, bias_ih_l{k},
        /// bias_hh_l{k}, registered per layer and direction in PyTorch's order and all initialised uniform(±1/sqrt(hidden)).
        /// forward is one fused libtorch call (at::lstm / at::gru).</summary>
        public abstract class RNNBase<TOut> : Module<Tensor, TOut>
        {
            private readonly List<Parameter> flatWeights = new();

            public long input_size { get; }
            public long hidden_size { get; }
            public long num_layers { get; }
            public bool bias { get; }
            public bool batch_first { get; }
            public double dropout { get; }
            public bool bidirectional { get; }
            private protected int NumDirections => bidirectional ? 2 : 1;

            private protected RNNBase(long gates, long input_size, long hidden_size, long num_layers, bool bias, bool batch_first, double dropout,
                bool bidirectional, Device? device, ScalarType? dtype)
            {
                if (dropout < 0 || dropout > 1) throw new ArgumentException("dropout should be a number in range [0, 1]");
                this.input_size = input_size;
                this.hidden_size = hidden_size;
                this.num_layers = num_layers;
                this.bias = bias;
                this.batch_first = batch_first;
                this.dropout = dropout;
                this.bidirectional = bidirectional;
                var gate = gates * hidden_size;
                using var scope = NewDisposeScope();
                for (var layer = 0; layer < num_layers; layer++)
                    for (var dir = 0; dir < NumDirections; dir++)
                    {
                        var inSize = layer == 0 ? input_size : hidden_size * NumDirections;
                        var suffix = dir == 1 ? "_reverse" : "";
                        flatWeights.Add(RegisterParameter($"weight_ih_l{layer}{suffix}", empty([gate, inSize], dtype, device))!);
                        flatWeights.Add(RegisterParameter($"weight_hh_l{layer}{suffix}", empty([gate, hidden_size], dtype, device))!);
                        if (bias)
                        {
                            flatWeights.Add(RegisterParameter($"bias_ih_l{layer}{suffix}", empty([gate], dtype, device))!);
                            flatWeights.Add(RegisterParameter($"bias_hh_l{layer}{suffix}", empty([gate], dtype, device))!);
                        }
                    }
                reset_parameters();
            }

            public void reset_parameters()
            {
                var stdv = hidden_size > 0 ? 1.0 / Math.Sqrt(hidden_size) : 0;
                foreach (var w in parameters()) init.uniform_(w, -stdv, stdv);
            }

            private protected IReadOnlyList<Tensor> FlatWeights => flatWeights;

            /// <summary>Adds the batch dim to unbatched (L, H_in) input, as PyTorch does.</summary>
            private protected (Tensor input, bool unbatched) Batched(Tensor input)
            {
                if (input.dim() == 3) return (input, false);
                if (input.dim() == 2) return (input.unsqueeze(batch_first ? 0 : 1), true);
                throw new ArgumentException($"{GetName()}: Expected input to be 2-D or 3-D but received {input.dim()}-D tensor");
            }

            private protected Tensor ZeroState(Tensor input)
            {
                var batch = input.shape[batch_first ? 0 : 1];
                return zeros([num_layers * NumDirections, batch, hidden_size], input.dtype, input.device);
            }

            public override string extra_repr()
            {
                var s = $"{input_size}, {hidden_size}";
                if (num_layers != 1) s += $", num_layers={num_layers}";
                if (!bias) s += ", bias=False";
                if (batch_first) s += ", batch_first=True";
                if (dropout != 0) s += $", dropout={Repr.Num(dropout)}";
                if (bidirectional) s += ", bidirectional=True";
                return s;
            }
        }

        /// <summary>https://pytorch.org/docs/1.13/generated/torch.nn.LSTM.html. Returns (output, h_n, c_n).</summary>
        public sealed class LSTM(long input_size, long hidden_size, long num_layers = 1, bool bias = true, bool batch_first = false, double dropout = 0.0,
            bool bidirectional = false, Device? device = null, ScalarType? dtype = null)
            : RNNBase<(Tensor output, Tensor h_n, Tensor c_n)>(4, input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, device, dtype)
        {
            public override (Tensor output, Tensor h_n, Tensor c_n) forward(Tensor input) => forward(input, null, null);

            /// <summary>h0 and c0: (num_layers * num_directions, N, H), zeros when null.</summary>
            public (Tensor output, Tensor h_n, Tensor c_n) forward(Tensor input, Tensor? h0, Tensor? c0)
            {
                using var scope = NewDisposeScope();
                var (x, unbatched) = Batched(input);
                var h = h0 is null ? ZeroState(x) : unbatched ? h0.unsqueeze(1) : h0;
                var c = c0 is null ? ZeroState(x) : unbatched ? c0.unsqueeze(1) : c0;
                var (o, hn, cn) = F.lstm(x, h, c, FlatWeights, bias, num_layers, dropout, training, bidirectional, batch_first);
                if (unbatched)
                {
                    o = o.squeeze(batch_first ? 0 : 1);
                    hn = hn.squeeze(1);
                    cn = cn.squeeze(1);
                }
                return (o.MoveToOuterDisposeScope(), hn.MoveToOuterDisposeScope(), cn.MoveToOuterDisposeScope());
            }
        }

        /// <summary>https://pytorch.org/docs/1.13/generated/torch.nn.GRU.html. Returns (output, h_n).</summary>
        public sealed class GRU(long input_size, long hidden_size, long num_layers = 1, bool bias = true, bool batch_first = false, double dropout = 0.0,
            bool bidirectional = false, Device? device = null, ScalarType? dtype = null)
            : RNNBase<(Tensor output, Tensor h_n)>(3, input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, device, dtype)
        {
            public override (Tensor output, Tensor h_n) forward(Tensor input) => forward(input, null);

            public (Tensor output, Tensor h_n) forward(Tensor input, Tensor? h0)
            {
                using var scope = NewDisposeScope();
                var (x, unbatched) = Batched(input);
                var h = h0 is null ? ZeroState(x) : unbatched ? h0.unsqueeze(1) : h0;
                var (o, hn) = F.gru(x, h, FlatWeights, bias, num_layers, dropout, training, bidirectional, batch_first);
                if (unbatched)
                {
                    o = o.squeeze(batch_first ? 0 : 1);
                    hn = hn.squeeze(1);
                }
                return (o.MoveToOuterDisposeScope(), hn.MoveToOuterDisposeScope());
            }
        }

        /// <summary>Parameters and initialisation shared by the cells (PyTorch's RNNCellBase): gates x hidden rows of
        /// weight_ih/weight_hh/bias_ih/bias_hh, all uniform(±1/sqrt(hidden_size)).</summary>
        public abstract class RNNCellBase<TOut> : Module<Tensor, TOut>
        {
            public long input_size { get; }
            public long hidden_size { get; }
            public Parameter weight_ih { get; }
            public Parameter weight_hh { get; }
            public Parameter? bias_ih { get; }
            public Parameter? bias_hh { get; }

            protected RNNCellBase(long input_size, long hidden_size, bool bias, long gates, Device? device, ScalarType? dtype)
            {
                this.input_size = input_size;
                this.hidden_size = hidden_size;
                using var scope = NewDisposeScope();
                weight_ih = RegisterParameter("weight_ih", empty([gates * hidden_size, input_size], dtype, device))!;
                weight_hh = RegisterParameter("weight_hh", empty([gates * hidden_size, hidden_size], dtype, device))!;
                bias_ih = RegisterParameter("bias_ih", bias ? empty([gates * hidden_size], dtype, device) : null);
                bias_hh = RegisterParameter("bias_hh", bias ? empty([gates * hidden_size], dtype, device) : null);
                var stdv = hidden_size > 0 ? 1.0 / Math.Sqrt(hidden_size) : 0;
                foreach (var w in parameters()) init.uniform_(w, -stdv, stdv);
            }

            public override string extra_repr() => $"{input_size}, {hidden_size}" + (bias_ih is null ? ", bias=False" : "");
        }

        /// <summary>One LSTM step (https://pytorch.org/docs/1.13/generated/torch.nn.LSTMCell.html). Returns (h', c').</summary>
        public sealed class LSTMCell(long input_size, long hidden_size, bool bias = true, Device? device = null, ScalarType? dtype = null)
            : RNNCellBase<(Tensor h, Tensor c)>(input_size, hidden_size, bias, 4, device, dtype)
        {

            public override (Tensor h, Tensor c) forward(Tensor input) => forward(input, null, null);

            public (Tensor h, Tensor c) forward(Tensor input, Tensor? hx, Tensor? cx)
            {
                using var scope = NewDisposeScope();
                var unbatched = input.dim() == 1;
                var x = unbatched ? input.unsqueeze(0) : input;
                var h = hx is null ? zeros([x.shape[0], hidden_size], x.dtype, x.device) : unbatched ? hx.unsqueeze(0) : hx;
                var c = cx is null ? zeros([x.shape[0], hidden_size], x.dtype, x.device) : unbatched ? cx.unsqueeze(0) : cx;
                var (h1, c1) = F.lstm_cell(x, h, c, weight_ih, weight_hh, bias_ih, bias_hh);
                if (unbatched)
                {
                    h1 = h1.squeeze(0);
                    c1 = c1.squeeze(0);
                }
                return (h1.MoveToOuterDisposeScope(), c1.MoveToOuterDisposeScope());
            }
        }

        /// <summary>One GRU step (https://pytorch.org/docs/1.13/generated/torch.nn.GRUCell.html). Returns h'.</summary>
        public sealed class GRUCell(long input_size, long hidden_size, bool bias = true, Device? device = null, ScalarType? dtype = null)
            : RNNCellBase<Tensor>(input_size, hidden_size, bias, 3, device, dtype)
        {

            public override Tensor forward(Tensor input) => forward(input, null);

            public Tensor forward(Tensor input, Tensor? hx)
            {
                using var scope = NewDisposeScope();
                var unbatched = input.dim() == 1;
                var x = unbatched ? input.unsqueeze(0) : input;
                var h = hx is null ? zeros([x.shape[0], hidden_size], x.dtype, x.device) : unbatched ? hx.unsqueeze(0) : hx;
                var h1 = F.gru_cell(x, h, weight_ih, weight_hh, bias_ih, bias_hh);
                if (unbatched) h1 = h1.squeeze(0);
                return h1.MoveToOuterDisposeScope();
            }
        }
    }
}
