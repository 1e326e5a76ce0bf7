using AverLab.Torch.Optim;

namespace AverLab.Torch;

public static partial class torch
{
    public static partial class optim
    {
        /// <summary>Learning-rate schedulers as PyTorch spells them (https://pytorch.org/docs/1.13/optim.html#how-to-adjust-learning-rate).
        /// Call step() after optimizer.step(); ReduceLROnPlateau.step takes the metric.</summary>
        public static class lr_scheduler
        {
            public static Optim.StepLR StepLR(Optimizer optimizer, int step_size, double gamma = 0.1, int last_epoch = -1) =>
                new(optimizer, step_size, gamma, last_epoch);

            public static Optim.MultiStepLR MultiStepLR(Optimizer optimizer, IEnumerable<int> milestones, double gamma = 0.1, int last_epoch = -1) =>
                new(optimizer, milestones, gamma, last_epoch);

            public static Optim.ExponentialLR ExponentialLR(Optimizer optimizer, double gamma, int last_epoch = -1) =>
                new(optimizer, gamma, last_epoch);

            public static Optim.CosineAnnealingLR CosineAnnealingLR(Optimizer optimizer, int T_max, double eta_min = 0, int last_epoch = -1) =>
                new(optimizer, T_max, eta_min, last_epoch);

            public static Optim.LinearLR LinearLR(Optimizer optimizer, double start_factor = 1.0 / 3, double end_factor = 1.0,
                int total_iters = 5, int last_epoch = -1) =>
                new(optimizer, start_factor, end_factor, total_iters, last_epoch);

            public static Optim.SequentialLR SequentialLR(Optimizer optimizer, IReadOnlyList<LRScheduler> schedulers,
                IReadOnlyList<int> milestones, int last_epoch = -1) =>
                new(optimizer, schedulers, milestones, last_epoch);

            /// <summary>One max_lr for every group.</summary>
            public static Optim.OneCycleLR OneCycleLR(Optimizer optimizer, double max_lr, int? total_steps = null, int? epochs = null,
                int? steps_per_epoch = null, double pct_start = 0.3, string anneal_strategy = "cos", bool cycle_momentum = true,
                double base_momentum = 0.85, double max_momentum = 0.95, double div_factor = 25.0, double final_div_factor = 1e4,
                bool three_phase = false, int last_epoch = -1) =>
                new(optimizer, [max_lr], total_steps, epochs, steps_per_epoch, pct_start, anneal_strategy, cycle_momentum,
                    base_momentum, max_momentum, div_factor, final_div_factor, three_phase, last_epoch);

            /// <summary>One max_lr per group.</summary>
            public static Optim.OneCycleLR OneCycleLR(Optimizer optimizer, double[] max_lr, int? total_steps = null, int? epochs = null,
                int? steps_per_epoch = null, double pct_start = 0.3, string anneal_strategy = "cos", bool cycle_momentum = true,
                double base_momentum = 0.85, double max_momentum = 0.95, double div_factor = 25.0, double final_div_factor = 1e4,
                bool three_phase = false, int last_epoch = -1) =>
                new(optimizer, max_lr, total_steps, epochs, steps_per_epoch, pct_start, anneal_strategy, cycle_momentum,
                    base_momentum, max_momentum, div_factor, final_div_factor, three_phase, last_epoch);

            public static Optim.ReduceLROnPlateau ReduceLROnPlateau(Optimizer optimizer, string mode = "min", double factor = 0.1,
                int patience = 10, double threshold = 1e-4, string threshold_mode = "rel", int cooldown = 0, double min_lr = 0,
                double eps = 1e-8) =>
                new(optimizer, mode, factor, patience, threshold, threshold_mode, cooldown, [min_lr], eps);

            /// <summary>One min_lr per group.</summary>
            public static Optim.ReduceLROnPlateau ReduceLROnPlateau(Optimizer optimizer, string mode, double factor, int patience,
                double threshold, string threshold_mode, int cooldown, double[] min_lr, double eps = 1e-8) =>
                new(optimizer, mode, factor, patience, threshold, threshold_mode, cooldown, min_lr, eps);
        }
    }
}
