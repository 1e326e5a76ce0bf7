using System.Text.Json.Nodes;

namespace AverLab.Torch.Optim;

/// <summary>What every LR scheduler offers, ReduceLROnPlateau included: the last learning rates and a
/// state_dict (JSON, like PyTorch's dict of the scheduler's fields) that resumes it exactly.</summary>
public interface ILRScheduler
{
    /// <summary>The learning rate of each group after the last step (get_last_lr()).</summary>
    double[] get_last_lr();

    /// <summary>Every field of the scheduler except the optimizer, under PyTorch's names.</summary>
    JsonObject state_dict();

    /// <summary>Restores fields written by <see cref="state_dict"/>; errors name <paramref name="source"/>.</summary>
    void load_state_dict(JsonObject state_dict, string source = "state_dict");
}
