using AverLab.Torch;
using AverLab.Torch.Serialization;

namespace AverLab.Training.Experiments;

/// <summary>Loads a checkpoint (a safetensors state dict) into a model, keeping two failures apart: a file that is not
/// safetensors at all ("not a valid safetensors file") and a valid file whose keys or shapes do not fit the model
/// (PyTorch's "Missing key(s) / Unexpected key(s) / size mismatch" wording, one line).</summary>
public static class StateDictFile
{
    /// <param name="describedBy">What says which model this is (model.json), for the message.</param>
    public static void Load(torch.nn.Module model, string checkpoint, string? describedBy = null)
    {
        if (!File.Exists(checkpoint)) throw new FileNotFoundException($"{checkpoint}: no such checkpoint", checkpoint);
        var tensors = SafeTensors.Load(checkpoint);
        try
        {
            model.load_state_dict(tensors);
        }
        catch (StateDictException e)
        {
            var of = describedBy != null ? $" described by {describedBy}" : "";
            throw new InvalidDataException($"{checkpoint}: its state-dict keys do not match the model{of}: {e.Message.Replace("\n\t", " ").Replace('\n', ' ')}", e);
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }
}
