using F = AverLab.Torch.torch.nn.functional;

namespace AverLab.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>A lookup table (https://pytorch.org/docs/1.13/generated/torch.nn.Embedding.html): weight ~ N(0, 1),
        /// with the padding_idx row zeroed.</summary>
        public sealed class Embedding : Module<Tensor, Tensor>
        {
            public long num_embeddings { get; }
            public long embedding_dim { get; }
            public long? padding_idx { get; }
            public Parameter weight { get; }

            public Embedding(long num_embeddings, long embedding_dim, long? padding_idx = null, Device? device = null, ScalarType? dtype = null)
            {
                if (padding_idx.HasValue)
                {
                    if (padding_idx.Value >= num_embeddings || padding_idx.Value < -num_embeddings)
                        throw new ArgumentException("Padding_idx must be within num_embeddings");
                    if (padding_idx.Value < 0) padding_idx += num_embeddings;
                }
                this.num_embeddings = num_embeddings;
                this.embedding_dim = embedding_dim;
                this.padding_idx = padding_idx;
                using var scope = NewDisposeScope();
                weight = RegisterParameter("weight", empty([num_embeddings, embedding_dim], dtype, device))!;
                init.normal_(weight);
                if (padding_idx.HasValue)
                    using (no_grad()) weight.select(0, padding_idx.Value).fill_(0.0);
            }

            public override Tensor forward(Tensor input) => F.embedding(input, weight, padding_idx);
            public override string extra_repr() => $"{num_embeddings}, {embedding_dim}" + (padding_idx.HasValue ? $", padding_idx={padding_idx}" : "");
        }
    }
}
