using AverLab.Data.Loading;
using AverLab.Models;
using static TorchSharp.torch;

namespace AverLab.FrontEnds;

/// <summary>How a front end's tensors become a model's inputs: training, evaluation and inference must agree, so
/// the one mapping lives beside the front ends. The extras come in the front end's order: the fusion model's face
/// frames first, then (features.landmarks) the landmarks, which go to ModelInputs.Landmarks as [B, 136] per face
/// or [B, T, 272] per sequence.</summary>
public static class ModelInputMapping
{
    public static ModelInputs ToInputs(ModelSpec spec, Batch batch) => ToInputs(spec, batch.Inputs, batch.Extra);

    public static ModelInputs ToInputs(ModelSpec spec, Tensor x, IReadOnlyList<Tensor>? extra = null)
    {
        var inputs = Primary(spec, x, extra);
        var used = spec.Inputs.HasFlag(InputKinds.Audio) && spec.Inputs.HasFlag(InputKinds.Frames) ? 1 : 0;
        if (extra is { } e && e.Count > used) inputs.Landmarks = e[used];
        return inputs;
    }

    private static ModelInputs Primary(ModelSpec spec, Tensor x, IReadOnlyList<Tensor>? extra)
    {
        if (spec.Inputs.HasFlag(InputKinds.Audio) && spec.Inputs.HasFlag(InputKinds.Frames))
        {
            if (extra is not { Count: > 0 })
                throw new NotSupportedException($"model {spec.Name} needs audio and face frames: use features.kind: faces_audio");
            return new ModelInputs { Audio = x.dim() == 3 ? x.unsqueeze(1) : x, Frames = extra[0] };
        }
        if (spec.Inputs.HasFlag(InputKinds.Audio)) return new ModelInputs { Audio = x.dim() == 3 ? x.unsqueeze(1) : x };
        if (spec.Inputs.HasFlag(InputKinds.Features)) return new ModelInputs { Features = x.dim() > 2 ? x.flatten(1) : x };
        if (spec.Inputs.HasFlag(InputKinds.Image)) return new ModelInputs { Image = x.dim() == 3 ? x.unsqueeze(1) : x };
        if (spec.Inputs.HasFlag(InputKinds.Frames)) return new ModelInputs { Frames = x };
        throw new NotSupportedException($"model {spec.Name} needs inputs {spec.Inputs}, which this pipeline does not build yet");
    }
}
