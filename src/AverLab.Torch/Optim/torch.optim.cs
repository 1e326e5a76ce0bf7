using AverLab.Torch.Optim;

namespace AverLab.Torch;

public static partial class torch
{
    /// <summary>Optimizers as PyTorch spells them (https://pytorch.org/docs/1.13/optim.html). Each takes either
    /// parameters (one group) or <see cref="ParamGroup"/>s, whose own options override these defaults.</summary>
    public static partial class optim
    {
        private static IEnumerable<ParamGroup> OneGroup(IEnumerable<Tensor> parameters) => [new ParamGroup(parameters)];

        /// <summary>https://pytorch.org/docs/1.13/generated/torch.optim.SGD.html</summary>
        public static Optim.SGD SGD(IEnumerable<Tensor> parameters, double lr, double momentum = 0, double dampening = 0,
            double weight_decay = 0, bool nesterov = false, bool maximize = false) =>
            SGD(OneGroup(parameters), lr, momentum, dampening, weight_decay, nesterov, maximize);

        public static Optim.SGD SGD(IEnumerable<ParamGroup> param_groups, double lr, double momentum = 0, double dampening = 0,
            double weight_decay = 0, bool nesterov = false, bool maximize = false) =>
            new(param_groups, new Optim.SGD.Options
            {
                lr = lr, momentum = momentum, dampening = dampening, weight_decay = weight_decay, nesterov = nesterov,
                maximize = maximize,
            });

        /// <summary>https://pytorch.org/docs/1.13/generated/torch.optim.Adam.html</summary>
        public static Optim.Adam Adam(IEnumerable<Tensor> parameters, double lr = 1e-3, (double, double)? betas = null,
            double eps = 1e-8, double weight_decay = 0, bool amsgrad = false, bool maximize = false) =>
            Adam(OneGroup(parameters), lr, betas, eps, weight_decay, amsgrad, maximize);

        public static Optim.Adam Adam(IEnumerable<ParamGroup> param_groups, double lr = 1e-3, (double, double)? betas = null,
            double eps = 1e-8, double weight_decay = 0, bool amsgrad = false, bool maximize = false) =>
            new(param_groups, new Optim.Adam.Options
            {
                lr = lr, betas = betas ?? (0.9, 0.999), eps = eps, weight_decay = weight_decay, amsgrad = amsgrad,
                maximize = maximize,
            });

        /// <summary>https://pytorch.org/docs/1.13/generated/torch.optim.AdamW.html</summary>
        public static Optim.AdamW AdamW(IEnumerable<Tensor> parameters, double lr = 1e-3, (double, double)? betas = null,
            double eps = 1e-8, double weight_decay = 1e-2, bool amsgrad = false, bool maximize = false) =>
            AdamW(OneGroup(parameters), lr, betas, eps, weight_decay, amsgrad, maximize);

        public static Optim.AdamW AdamW(IEnumerable<ParamGroup> param_groups, double lr = 1e-3, (double, double)? betas = null,
            double eps = 1e-8, double weight_decay = 1e-2, bool amsgrad = false, bool maximize = false) =>
            new(param_groups, new Optim.AdamW.Options
            {
                lr = lr, betas = betas ?? (0.9, 0.999), eps = eps, weight_decay = weight_decay, amsgrad = amsgrad,
                maximize = maximize,
            });

        /// <summary>https://pytorch.org/docs/1.13/generated/torch.optim.RMSprop.html</summary>
        public static Optim.RMSprop RMSprop(IEnumerable<Tensor> parameters, double lr = 1e-2, double alpha = 0.99,
            double eps = 1e-8, double weight_decay = 0, double momentum = 0, bool centered = false, bool maximize = false) =>
            RMSprop(OneGroup(parameters), lr, alpha, eps, weight_decay, momentum, centered, maximize);

        public static Optim.RMSprop RMSprop(IEnumerable<ParamGroup> param_groups, double lr = 1e-2, double alpha = 0.99,
            double eps = 1e-8, double weight_decay = 0, double momentum = 0, bool centered = false, bool maximize = false) =>
            new(param_groups, new Optim.RMSprop.Options
            {
                lr = lr, alpha = alpha, eps = eps, weight_decay = weight_decay, momentum = momentum, centered = centered,
                maximize = maximize,
            });

        /// <summary>https://pytorch.org/docs/1.13/generated/torch.optim.Adagrad.html</summary>
        public static Optim.Adagrad Adagrad(IEnumerable<Tensor> parameters, double lr = 1e-2, double lr_decay = 0,
            double weight_decay = 0, double initial_accumulator_value = 0, double eps = 1e-10, bool maximize = false) =>
            Adagrad(OneGroup(parameters), lr, lr_decay, weight_decay, initial_accumulator_value, eps, maximize);

        public static Optim.Adagrad Adagrad(IEnumerable<ParamGroup> param_groups, double lr = 1e-2, double lr_decay = 0,
            double weight_decay = 0, double initial_accumulator_value = 0, double eps = 1e-10, bool maximize = false) =>
            new(param_groups, new Optim.Adagrad.Options
            {
                lr = lr, lr_decay = lr_decay, weight_decay = weight_decay, initial_accumulator_value = initial_accumulator_value,
                eps = eps, maximize = maximize,
            });
    }
}
