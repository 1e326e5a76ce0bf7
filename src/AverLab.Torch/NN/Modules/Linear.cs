using F = AverLab.Torch.torch.nn.functional;

namespace AverLab.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>y = x Wᵀ + b (https://pytorch.org/docs/1.13/generated/torch.nn.Linear.html). Init as PyTorch:
        /// kaiming_uniform_(a = sqrt(5)) for weight, uniform(±1/sqrt(in_features)) for bias.</summary>
        public sealed class Linear : Module<Tensor, Tensor>
        {
            public long in_features { get; }
            public long out_features { get; }
            public Parameter weight { get; }
            public Parameter? bias { get; }

            public Linear(long in_features, long out_features, bool bias = true, Device? device = null, ScalarType? dtype = null)
            {
                this.in_features = in_features;
                this.out_features = out_features;
                using var scope = NewDisposeScope();
                weight = RegisterParameter("weight", empty([out_features, in_features], dtype, device))!;
                this.bias = RegisterParameter("bias", bias ? empty([out_features], dtype, device) : null);
                reset_parameters();
            }

            public void reset_parameters()
            {
                init.kaiming_uniform_(weight, Math.Sqrt(5));
                if (bias is not null) init.BiasUniform(bias, weight);
            }

            public override Tensor forward(Tensor input) => F.linear(input, weight, bias);

            public override string extra_repr() => $"in_features={in_features}, out_features={out_features}, bias={(bias is not null ? "True" : "False")}";
        }

        /// <summary>Returns its input (https://pytorch.org/docs/1.13/generated/torch.nn.Identity.html). The result is a
        /// new handle to the same tensor, so the caller may dispose input and output independently.</summary>
        public sealed class Identity : Module<Tensor, Tensor>
        {
            public override Tensor forward(Tensor input) => input.alias();
        }

        /// <summary>Flattens dims start_dim..end_dim (https://pytorch.org/docs/1.13/generated/torch.nn.Flatten.html).</summary>
        public sealed class Flatten(long start_dim = 1, long end_dim = -1) : Module<Tensor, Tensor>
        {
            public long start_dim { get; } = start_dim;
            public long end_dim { get; } = end_dim;
            public override Tensor forward(Tensor input) => input.flatten(start_dim, end_dim);
            public override string extra_repr() => $"start_dim={start_dim}, end_dim={end_dim}";
        }

        /// <summary>Splits one dim into a shape (https://pytorch.org/docs/1.13/generated/torch.nn.Unflatten.html).</summary>
        public sealed class Unflatten(long dim, long[] unflattened_size) : Module<Tensor, Tensor>
        {
            public long dim { get; } = dim;
            public long[] unflattened_size { get; } = unflattened_size;
            public override Tensor forward(Tensor input) => input.unflatten(dim, unflattened_size);
            public override string extra_repr() => $"dim={dim}, unflattened_size={Repr.Tuple(unflattened_size)}";
        }
    }
}
