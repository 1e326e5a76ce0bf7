using AverLab.Torch.Native;
using static AverLab.Torch.NativeCall;

namespace AverLab.Torch;

public static partial class torch
{
    public static partial class nn
    {
        // Fused recurrent networks and attention.
        public static partial class functional
        {
            private static unsafe (Tensor output, Tensor h_n, Tensor? c_n) Rnn(int kind, Tensor input, Tensor h0, Tensor? c0, IReadOnlyList<Tensor> flat_weights,
                bool has_biases, long num_layers, double dropout, bool train, bool bidirectional, bool batch_first)
            {
                Span<IntPtr> hs = flat_weights.Count <= 64 ? stackalloc IntPtr[flat_weights.Count] : new IntPtr[flat_weights.Count];
                for (var i = 0; i < hs.Length; i++) hs[i] = flat_weights[i].Handle;
                int rc;
                IntPtr o, h, c;
                fixed (IntPtr* p = hs)
                    rc = LibTorch.alt_nn_rnn(kind, input.Handle, h0.Handle, H(c0), p, hs.Length, has_biases ? 1 : 0, num_layers, dropout,
                        train ? 1 : 0, bidirectional ? 1 : 0, batch_first ? 1 : 0, out o, out h, out c);
                GC.KeepAlive(input); GC.KeepAlive(h0); GC.KeepAlive(c0); GC.KeepAlive(flat_weights);
                NativeErrors.Check(rc);
                return (Tensor.Wrap(o), Tensor.Wrap(h), kind == 0 ? Tensor.Wrap(c) : null);
            }

            /// <summary>libtorch's fused multi-layer LSTM (at::lstm). flat_weights: per layer and direction
            /// w_ih, w_hh[, b_ih, b_hh], in PyTorch's order. Returns the output and the final h and c.</summary>
            public static (Tensor output, Tensor h_n, Tensor c_n) lstm(Tensor input, Tensor h0, Tensor c0, IReadOnlyList<Tensor> flat_weights, bool has_biases,
                long num_layers, double dropout, bool train, bool bidirectional, bool batch_first)
            {
                var (o, h, c) = Rnn(0, input, h0, c0, flat_weights, has_biases, num_layers, dropout, train, bidirectional, batch_first);
                return (o, h, c!);
            }

            /// <summary>libtorch's fused multi-layer GRU (at::gru).</summary>
            public static (Tensor output, Tensor h_n) gru(Tensor input, Tensor h0, IReadOnlyList<Tensor> flat_weights, bool has_biases,
                long num_layers, double dropout, bool train, bool bidirectional, bool batch_first)
            {
                var (o, h, _) = Rnn(1, input, h0, null, flat_weights, has_biases, num_layers, dropout, train, bidirectional, batch_first);
                return (o, h);
            }

            public static (Tensor h, Tensor c) lstm_cell(Tensor input, Tensor hx, Tensor cx, Tensor w_ih, Tensor w_hh, Tensor? b_ih = null, Tensor? b_hh = null)
            {
                var rc = LibTorch.alt_nn_rnn_cell(0, input.Handle, hx.Handle, cx.Handle, w_ih.Handle, w_hh.Handle, H(b_ih), H(b_hh), out var h, out var c);
                GC.KeepAlive(input); GC.KeepAlive(hx); GC.KeepAlive(cx); GC.KeepAlive(w_ih); GC.KeepAlive(w_hh); GC.KeepAlive(b_ih); GC.KeepAlive(b_hh);
                NativeErrors.Check(rc);
                return (Tensor.Wrap(h), Tensor.Wrap(c));
            }

            public static Tensor gru_cell(Tensor input, Tensor hx, Tensor w_ih, Tensor w_hh, Tensor? b_ih = null, Tensor? b_hh = null)
            {
                var rc = LibTorch.alt_nn_rnn_cell(1, input.Handle, hx.Handle, IntPtr.Zero, w_ih.Handle, w_hh.Handle, H(b_ih), H(b_hh), out var h, out _);
                GC.KeepAlive(input); GC.KeepAlive(hx); GC.KeepAlive(w_ih); GC.KeepAlive(w_hh); GC.KeepAlive(b_ih); GC.KeepAlive(b_hh);
                NativeErrors.Check(rc);
                return Tensor.Wrap(h);
            }

            /// <summary>softmax(q kᵀ / sqrt(E) + mask) v, as PyTorch 2.0's F.scaled_dot_product_attention. A bool
            /// attn_mask marks positions that may attend (True = keep); a float one is added to the scores.</summary>
            public static Tensor scaled_dot_product_attention(Tensor query, Tensor key, Tensor value, Tensor? attn_mask = null, double dropout_p = 0.0,
                bool is_causal = false)
            {
                using var scope = NewDisposeScope();
                var L = query.shape[^2];
                var S = key.shape[^2];
                var scores = query.matmul(key.transpose(-2, -1)) / Math.Sqrt(query.shape[^1]);
                if (is_causal)
                {
                    var keep = ones([L, S], ScalarType.Bool, query.device).tril();
                    scores = scores.masked_fill(keep.logical_not(), double.NegativeInfinity);
                }
                if (attn_mask is not null)
                    scores = attn_mask.dtype == ScalarType.Bool ? scores.masked_fill(attn_mask.logical_not(), double.NegativeInfinity) : scores + attn_mask;
                var weights = scores.softmax(-1);
                if (dropout_p > 0) weights = dropout(weights, dropout_p, true);
                return weights.matmul(value).MoveToOuterDisposeScope();
            }

            /// <summary>PyTorch 1.13's F.multi_head_attention_forward for sequence-first (L, N, E) inputs with a packed
            /// in-projection. key_padding_mask (N, S): True (or nonzero float -inf) marks padding; attn_mask (L, S) or
            /// (N*heads, L, S), bool (True = masked) or float (added). Returns the output and, when need_weights, the
            /// attention weights (averaged over heads when average_attn_weights).</summary>
            public static (Tensor output, Tensor? weights) multi_head_attention_forward(Tensor query, Tensor key, Tensor value, long num_heads,
                Tensor in_proj_weight, Tensor? in_proj_bias, Tensor out_proj_weight, Tensor? out_proj_bias, double dropout_p, bool training,
                Tensor? key_padding_mask = null, bool need_weights = true, Tensor? attn_mask = null, bool average_attn_weights = true)
            {
                using var scope = NewDisposeScope();
                var tgtLen = query.shape[0];
                var bsz = query.shape[1];
                var embed = query.shape[2];
                if (embed % num_heads != 0) throw new ArgumentException($"embed_dim {embed} not divisible by num_heads {num_heads}");
                var headDim = embed / num_heads;
                Tensor q, k, v;
                if (ReferenceEquals(query, key) && ReferenceEquals(key, value))
                {
                    var proj = linear(query, in_proj_weight, in_proj_bias).unflatten(-1, 3, embed).unsqueeze(0).transpose(0, -2).squeeze(-2).contiguous();
                    q = proj[0]; k = proj[1]; v = proj[2];
                }
                else
                {
                    var w = in_proj_weight.chunk(3);
                    var b = in_proj_bias?.chunk(3);
                    q = linear(query, w[0], b?[0]);
                    k = linear(key, w[1], b?[1]);
                    v = linear(value, w[2], b?[2]);
                }
                if (attn_mask is not null)
                {
                    if (attn_mask.dtype == ScalarType.Byte) attn_mask = attn_mask.to(ScalarType.Bool);
                    if (attn_mask.dim() == 2) attn_mask = attn_mask.unsqueeze(0);
                }
                if (key_padding_mask is not null && key_padding_mask.dtype == ScalarType.Byte) key_padding_mask = key_padding_mask.to(ScalarType.Bool);

                q = q.contiguous().view(tgtLen, bsz * num_heads, headDim).transpose(0, 1);
                k = k.contiguous().view(k.shape[0], bsz * num_heads, headDim).transpose(0, 1);
                v = v.contiguous().view(v.shape[0], bsz * num_heads, headDim).transpose(0, 1);
                var srcLen = k.shape[1];
                if (key_padding_mask is not null)
                {
                    var kpm = key_padding_mask.view(bsz, 1, 1, srcLen).expand(-1, num_heads, -1, -1).reshape(bsz * num_heads, 1, srcLen);
                    if (attn_mask is null) attn_mask = kpm;
                    else if (attn_mask.dtype == ScalarType.Bool) attn_mask = attn_mask.logical_or(kpm);
                    else attn_mask = attn_mask.masked_fill(kpm, double.NegativeInfinity);
                }
                if (attn_mask is not null && attn_mask.dtype == ScalarType.Bool)
                {
                    var m = zeros_like(attn_mask, q.dtype);
                    m.masked_fill_(attn_mask, double.NegativeInfinity);
                    attn_mask = m;
                }
                if (!training) dropout_p = 0.0;
                var qScaled = q / Math.Sqrt(headDim);
                var kt = k.transpose(-2, -1);
                var weights = attn_mask is null ? qScaled.bmm(kt) : baddbmm(attn_mask, qScaled, kt);
                weights = weights.softmax(-1);
                if (dropout_p > 0.0) weights = dropout(weights, dropout_p, true);
                var output = weights.bmm(v).transpose(0, 1).contiguous().view(tgtLen * bsz, embed);
                output = linear(output, out_proj_weight, out_proj_bias).view(tgtLen, bsz, embed);
                Tensor? avg = null;
                if (need_weights)
                {
                    avg = weights.view(bsz, num_heads, tgtLen, srcLen);
                    if (average_attn_weights) avg = avg.sum(1) / num_heads;
                    avg.MoveToOuterDisposeScope();
                }
                return (output.MoveToOuterDisposeScope(), avg);
            }
        }
    }
}
