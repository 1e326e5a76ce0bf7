using F = AverLab.Torch.torch.nn.functional;

namespace AverLab.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>https://pytorch.org/docs/1.13/generated/torch.nn.MultiheadAttention.html with a packed in-projection
        /// (in_proj_weight, in_proj_bias, out_proj.weight, out_proj.bias). Init as PyTorch: out_proj is a Linear
        /// (drawn first), then xavier_uniform_(in_proj_weight) and zero biases.</summary>
        public sealed class MultiheadAttention : Module<Tensor, (Tensor output, Tensor? weights)>
        {
            public long embed_dim { get; }
            public long num_heads { get; }
            public double dropout { get; }
            public bool batch_first { get; }
            public Parameter in_proj_weight { get; }
            public Parameter? in_proj_bias { get; }
            public Linear out_proj { get; }

            public MultiheadAttention(long embed_dim, long num_heads, double dropout = 0.0, bool bias = true, bool batch_first = false,
                Device? device = null, ScalarType? dtype = null)
            {
                if (embed_dim % num_heads != 0) throw new ArgumentException("embed_dim must be divisible by num_heads");
                this.embed_dim = embed_dim;
                this.num_heads = num_heads;
                this.dropout = dropout;
                this.batch_first = batch_first;
                using var scope = NewDisposeScope();
                in_proj_weight = RegisterParameter("in_proj_weight", empty([3 * embed_dim, embed_dim], dtype, device))!;
                in_proj_bias = RegisterParameter("in_proj_bias", bias ? empty([3 * embed_dim], dtype, device) : null);
                out_proj = RegisterModule("out_proj", new Linear(embed_dim, embed_dim, bias, device, dtype));
                init.xavier_uniform_(in_proj_weight);
                if (in_proj_bias is not null)
                {
                    init.constant_(in_proj_bias, 0);
                    init.constant_(out_proj.bias!, 0);
                }
            }

            /// <summary>Self-attention: forward(x, x, x).</summary>
            public override (Tensor output, Tensor? weights) forward(Tensor input) => forward(input, input, input);

            /// <summary>query (L, N, E) or, batch_first, (N, L, E). key_padding_mask (N, S): True marks padding.
            /// attn_mask (L, S) or (N*heads, L, S): bool True = not allowed, or float added to the scores.</summary>
            public (Tensor output, Tensor? weights) forward(Tensor query, Tensor key, Tensor value, Tensor? key_padding_mask = null, bool need_weights = true,
                Tensor? attn_mask = null, bool average_attn_weights = true)
            {
                using var scope = NewDisposeScope();
                var unbatched = query.dim() == 2;
                if (unbatched)
                {
                    // PyTorch accepts (L, E) input: a batch of one.
                    var same = ReferenceEquals(query, key) && ReferenceEquals(key, value);
                    query = query.unsqueeze(1);
                    key = same ? query : key.unsqueeze(1);
                    value = same ? query : value.unsqueeze(1);
                    key_padding_mask = key_padding_mask?.unsqueeze(0);
                }
                else if (batch_first)
                {
                    if (ReferenceEquals(key, value))
                    {
                        if (ReferenceEquals(query, key)) query = key = value = query.transpose(1, 0);
                        else
                        {
                            query = query.transpose(1, 0);
                            key = value = key.transpose(1, 0);
                        }
                    }
                    else
                    {
                        query = query.transpose(1, 0);
                        key = key.transpose(1, 0);
                        value = value.transpose(1, 0);
                    }
                }
                var (o, w) = F.multi_head_attention_forward(query, key, value, num_heads, in_proj_weight, in_proj_bias, out_proj.weight, out_proj.bias,
                    dropout, training, key_padding_mask, need_weights, attn_mask, average_attn_weights);
                if (unbatched)
                {
                    o = o.squeeze(1);
                    w = w?.squeeze(0);
                }
                else if (batch_first) o = o.transpose(1, 0);
                w?.MoveToOuterDisposeScope();
                return (o.MoveToOuterDisposeScope(), w);
            }

            public override string extra_repr() => "";
        }

        /// <summary>https://pytorch.org/docs/1.13/generated/torch.nn.TransformerEncoderLayer.html: self-attention and a
        /// feed-forward block, post-norm (default) or pre-norm (norm_first), sequence-first or batch_first;
        /// activation "relu" or "gelu".</summary>
        public sealed class TransformerEncoderLayer : Module<Tensor, Tensor>
        {
            public long d_model { get; }
            public long nhead { get; }
            public long dim_feedforward { get; }
            public double dropout_p { get; }
            public string activation { get; }
            public double layer_norm_eps { get; }
            public bool batch_first { get; }
            public bool norm_first { get; }

            public MultiheadAttention self_attn { get; }
            public Linear linear1 { get; }
            public Dropout dropout { get; }
            public Linear linear2 { get; }
            public LayerNorm norm1 { get; }
            public LayerNorm norm2 { get; }
            public Dropout dropout1 { get; }
            public Dropout dropout2 { get; }

            public TransformerEncoderLayer(long d_model, long nhead, long dim_feedforward = 2048, double dropout = 0.1, string activation = "relu",
                double layer_norm_eps = 1e-5, bool batch_first = false, bool norm_first = false, Device? device = null, ScalarType? dtype = null)
            {
                if (activation != "relu" && activation != "gelu")
                    throw new ArgumentException($"activation should be relu/gelu, not {activation}");
                this.d_model = d_model;
                this.nhead = nhead;
                this.dim_feedforward = dim_feedforward;
                dropout_p = dropout;
                this.activation = activation;
                this.layer_norm_eps = layer_norm_eps;
                this.batch_first = batch_first;
                this.norm_first = norm_first;
                // Registration order is PyTorch's, so construction draws random numbers in the same order.
                self_attn = RegisterModule("self_attn", new MultiheadAttention(d_model, nhead, dropout, batch_first: batch_first, device: device, dtype: dtype));
                linear1 = RegisterModule("linear1", new Linear(d_model, dim_feedforward, device: device, dtype: dtype));
                this.dropout = RegisterModule("dropout", new Dropout(dropout));
                linear2 = RegisterModule("linear2", new Linear(dim_feedforward, d_model, device: device, dtype: dtype));
                norm1 = RegisterModule("norm1", new LayerNorm(d_model, layer_norm_eps, device: device, dtype: dtype));
                norm2 = RegisterModule("norm2", new LayerNorm(d_model, layer_norm_eps, device: device, dtype: dtype));
                dropout1 = RegisterModule("dropout1", new Dropout(dropout));
                dropout2 = RegisterModule("dropout2", new Dropout(dropout));
            }

            /// <summary>A fresh layer with the same settings and a copy of this one's weights (PyTorch's deepcopy);
            /// the global random stream is left untouched.</summary>
            internal TransformerEncoderLayer DeepCopy()
            {
                using var state = default_generator.get_state().DetachFromDisposeScope();
                var copy = new TransformerEncoderLayer(d_model, nhead, dim_feedforward, dropout_p, activation, layer_norm_eps, batch_first, norm_first,
                    in_proj_device, in_proj_dtype);
                default_generator.set_state(state);
                copy.load_state_dict(state_dict());
                copy.train(training);
                return copy;
            }

            private Device in_proj_device => self_attn.in_proj_weight.device;
            private ScalarType in_proj_dtype => self_attn.in_proj_weight.dtype;

            public override Tensor forward(Tensor src) => forward(src, null, null);

            /// <summary>src_mask (L, S) or (N*heads, L, S); src_key_padding_mask (N, S) with True marking padding.</summary>
            public Tensor forward(Tensor src, Tensor? src_mask, Tensor? src_key_padding_mask)
            {
                using var scope = NewDisposeScope();
                var x = src;
                if (norm_first)
                {
                    x = x + SelfAttentionBlock(norm1.forward(x), src_mask, src_key_padding_mask);
                    x = x + FeedForwardBlock(norm2.forward(x));
                }
                else
                {
                    x = norm1.forward(x + SelfAttentionBlock(x, src_mask, src_key_padding_mask));
                    x = norm2.forward(x + FeedForwardBlock(x));
                }
                return x.MoveToOuterDisposeScope();
            }

            private Tensor SelfAttentionBlock(Tensor x, Tensor? mask, Tensor? keyPaddingMask)
            {
                var (o, _) = self_attn.forward(x, x, x, keyPaddingMask, need_weights: false, attn_mask: mask);
                return dropout1.forward(o);
            }

            private Tensor FeedForwardBlock(Tensor x)
            {
                var h = linear1.forward(x);
                h = activation == "gelu" ? F.gelu(h) : h.relu();
                return dropout2.forward(linear2.forward(dropout.forward(h)));
            }
        }

        /// <summary>https://pytorch.org/docs/1.13/generated/torch.nn.TransformerEncoder.html: num_layers deep copies of
        /// encoder_layer (which this module takes ownership of and disposes) and an optional final norm.</summary>
        public sealed class TransformerEncoder : Module<Tensor, Tensor>
        {
            public ModuleList<TransformerEncoderLayer> layers { get; }
            public Module<Tensor, Tensor>? norm { get; }
            public long num_layers { get; }
            public bool enable_nested_tensor { get; }

            /// <summary>enable_nested_tensor reproduces PyTorch 1.13's inference fast path: in eval mode without grad,
            /// with a key padding mask, post-norm batch_first layers, the padded positions come out as zeros (before the
            /// final norm) instead of computed values.</summary>
            public TransformerEncoder(TransformerEncoderLayer encoder_layer, long num_layers, Module<Tensor, Tensor>? norm = null,
                bool enable_nested_tensor = true)
            {
                this.num_layers = num_layers;
                this.enable_nested_tensor = enable_nested_tensor;
                layers = new ModuleList<TransformerEncoderLayer>();
                for (var i = 0; i < num_layers; i++) layers.append(encoder_layer.DeepCopy());
                encoder_layer.Dispose();
                register_module("layers", layers);
                if (norm is not null) this.norm = RegisterModule("norm", norm);
            }

            public override Tensor forward(Tensor src) => forward(src, null, null);

            public Tensor forward(Tensor src, Tensor? mask, Tensor? src_key_padding_mask)
            {
                using var scope = NewDisposeScope();
                var x = src;
                foreach (var layer in layers) x = layer.forward(x, mask, src_key_padding_mask);
                if (src_key_padding_mask is not null && mask is null && UsesNestedFastPath(src)) x = x.masked_fill(src_key_padding_mask.unsqueeze(-1), 0.0);
                if (norm is not null) x = norm.forward(x);
                return (ReferenceEquals(x, src) ? src.alias() : x).MoveToOuterDisposeScope();
            }

            // PyTorch 1.13's conditions for converting to a nested tensor (transformer.py, TransformerEncoder.forward).
            private bool UsesNestedFastPath(Tensor src)
            {
                if (!enable_nested_tensor || layers.Count == 0 || src.dim() != 3) return false;
                var first = layers[0];
                if (first.norm_first || first.training || !first.batch_first || first.norm1.eps != first.norm2.eps) return false;
                return !is_grad_enabled() || !src.requires_grad && parameters().All(p => !p.requires_grad);
            }
        }
    }
}
