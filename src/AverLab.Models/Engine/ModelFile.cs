using static TorchSharp.torch;

namespace AverLab.Models;

/// <summary>Model weights from a safetensors file: a plain state dict, or the "model." entries of a training checkpoint
/// (best.safetensors / last.safetensors of a run folder).</summary>
public static class ModelFile
{
    public const string ModelPrefix = "model.";

    /// <summary>The model's tensors of the file (new CPU tensors, the caller's).</summary>
    public static Dictionary<string, Tensor> LoadState(string path)
    {
        var (entries, _) = AverLab.IO.SafeTensors.ReadRaw(path);
        var prefixed = entries.Keys.Any(k => k.StartsWith(ModelPrefix, StringComparison.Ordinal));
        var model = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, e) in entries)
            if (!prefixed) model[name] = TensorFile.ToTensor(e);
            else if (name.StartsWith(ModelPrefix, StringComparison.Ordinal)) model[name[ModelPrefix.Length..]] = TensorFile.ToTensor(e);
        return model;
    }

    /// <summary>Loads the file's weights into the module, strictly. Two failures stay apart: a file that is not
    /// safetensors (the reader's "not a valid safetensors file") and a valid file whose keys or shapes do not fit
    /// (an <see cref="InvalidDataException"/> "its state-dict keys do not match the model", wrapping the
    /// <see cref="StateDictException"/> that names them). <paramref name="describedBy"/> names what says which model
    /// this is (model.json), for the message.</summary>
    public static void LoadInto(nn.Module module, string path, string? describedBy = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such checkpoint", path);
        var state = LoadState(path);
        try
        {
            StateDicts.LoadStrict(module, state);
        }
        catch (StateDictException e)
        {
            var of = describedBy != null ? $" described by {describedBy}" : "";
            throw new InvalidDataException($"{path}: its state-dict keys do not match the model{of}: {e.Message}", e);
        }
        finally
        {
            foreach (var t in state.Values) t.Dispose();
        }
    }

    /// <summary>Saves the module's state dict (plain keys) atomically.</summary>
    public static void Save(nn.Module module, string path, IReadOnlyDictionary<string, string>? metadata = null) =>
        TensorFile.Save(path, module.state_dict(), metadata);
}
