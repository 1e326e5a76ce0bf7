namespace AverLab.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>torch.nn.init (https://pytorch.org/docs/1.13/nn.init.html). Every function fills in place under
        /// no_grad and draws from the given generator or, by default, the global one, in PyTorch's order, so
        /// torch.manual_seed(s) followed by building a model gives PyTorch's weights.</summary>
        public static class init
        {
            /// <summary>The recommended gain for a nonlinearity ("linear", "conv2d", "sigmoid", "tanh", "relu",
            /// "leaky_relu" with param = negative slope, "selu").</summary>
            public static double calculate_gain(string nonlinearity, double? param = null) => nonlinearity switch
            {
                "linear" or "conv1d" or "conv2d" or "conv3d" or "conv_transpose1d" or "conv_transpose2d" or "conv_transpose3d" or "sigmoid" => 1.0,
                "tanh" => 5.0 / 3,
                "relu" => Math.Sqrt(2.0),
                "leaky_relu" => Math.Sqrt(2.0 / (1 + Math.Pow(param ?? 0.01, 2))),
                "selu" => 3.0 / 4,
                _ => throw new ArgumentException($"Unsupported nonlinearity {nonlinearity}"),
            };

            /// <summary>(fan_in, fan_out) of a weight: dims 1 and 0 times the receptive field (PyTorch's rule).</summary>
            public static (long fan_in, long fan_out) calculate_fan_in_and_fan_out(Tensor tensor)
            {
                var s = tensor.shape;
                if (s.Length < 2) throw new ArgumentException("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
                long receptive = 1;
                for (var i = 2; i < s.Length; i++) receptive *= s[i];
                return (s[1] * receptive, s[0] * receptive);
            }

            private static long Fan(Tensor tensor, string mode) => mode switch
            {
                "fan_in" => calculate_fan_in_and_fan_out(tensor).fan_in,
                "fan_out" => calculate_fan_in_and_fan_out(tensor).fan_out,
                _ => throw new ArgumentException($"Mode {mode} not supported, please use one of fan_in, fan_out"),
            };

            public static Tensor uniform_(Tensor tensor, double a = 0, double b = 1, Generator? generator = null)
            {
                using (no_grad()) return tensor.uniform_(a, b, generator);
            }

            public static Tensor normal_(Tensor tensor, double mean = 0, double std = 1, Generator? generator = null)
            {
                using (no_grad()) return tensor.normal_(mean, std, generator);
            }

            public static Tensor constant_(Tensor tensor, double val)
            {
                using (no_grad()) return tensor.fill_(val);
            }

            public static Tensor zeros_(Tensor tensor) => constant_(tensor, 0);
            public static Tensor ones_(Tensor tensor) => constant_(tensor, 1);

            public static Tensor xavier_uniform_(Tensor tensor, double gain = 1.0, Generator? generator = null)
            {
                var (fanIn, fanOut) = calculate_fan_in_and_fan_out(tensor);
                var a = Math.Sqrt(3.0) * gain * Math.Sqrt(2.0 / (fanIn + fanOut));
                return uniform_(tensor, -a, a, generator);
            }

            public static Tensor xavier_normal_(Tensor tensor, double gain = 1.0, Generator? generator = null)
            {
                var (fanIn, fanOut) = calculate_fan_in_and_fan_out(tensor);
                return normal_(tensor, 0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)), generator);
            }

            public static Tensor kaiming_uniform_(Tensor tensor, double a = 0, string mode = "fan_in", string nonlinearity = "leaky_relu",
                Generator? generator = null)
            {
                var std = calculate_gain(nonlinearity, a) / Math.Sqrt(Fan(tensor, mode));
                var bound = Math.Sqrt(3.0) * std;
                return uniform_(tensor, -bound, bound, generator);
            }

            public static Tensor kaiming_normal_(Tensor tensor, double a = 0, string mode = "fan_in", string nonlinearity = "leaky_relu",
                Generator? generator = null)
            {
                var std = calculate_gain(nonlinearity, a) / Math.Sqrt(Fan(tensor, mode));
                return normal_(tensor, 0, std, generator);
            }

            /// <summary>Fills with the identity where possible (torch.nn.init.eye_), for 2-D tensors.</summary>
            public static Tensor eye_(Tensor tensor)
            {
                if (tensor.dim() != 2) throw new ArgumentException("Only tensors with 2 dimensions are supported");
                using (no_grad())
                using (var e = eye(tensor.shape[0], tensor.shape[1], tensor.dtype))
                    return tensor.copy_(e);
            }

            /// <summary>The bias init PyTorch's Linear and ConvNd use: uniform(±1/sqrt(fan_in of the weight)).</summary>
            internal static void BiasUniform(Tensor bias, Tensor weight)
            {
                var fanIn = calculate_fan_in_and_fan_out(weight).fan_in;
                var bound = fanIn > 0 ? 1 / Math.Sqrt(fanIn) : 0;
                uniform_(bias, -bound, bound);
            }
        }
    }
}
