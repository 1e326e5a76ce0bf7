using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AverLab.Models;

/// <summary>One batch of model inputs. Each model reads only the parts named by its <see cref="EmotionModel.Inputs"/>;
/// the others may stay null. The tensors belong to the caller (models never dispose them).</summary>
public sealed class ModelInputs
{
    /// <summary>Audio features: B x 1 x 40 x 282 MFCC (CNN+Transformer) or B x 3 x 126 x 13 (audio ResNet).</summary>
    public Tensor? Audio { get; set; }

    /// <summary>Video frames B x T x C x H x W.</summary>
    public Tensor? Frames { get; set; }

    /// <summary>An image B x C x H x W.</summary>
    public Tensor? Image { get; set; }

    /// <summary>Landmarks B x N.</summary>
    public Tensor? Landmarks { get; set; }

    /// <summary>Feature vectors B x F.</summary>
    public Tensor? Features { get; set; }

    /// <summary>Transcript sentiment B x 9.</summary>
    public Tensor? Sentiment { get; set; }

    private IEnumerable<(string name, Tensor tensor)> Present()
    {
        if (Audio is not null) yield return (nameof(Audio), Audio);
        if (Frames is not null) yield return (nameof(Frames), Frames);
        if (Image is not null) yield return (nameof(Image), Image);
        if (Landmarks is not null) yield return (nameof(Landmarks), Landmarks);
        if (Features is not null) yield return (nameof(Features), Features);
        if (Sentiment is not null) yield return (nameof(Sentiment), Sentiment);
    }

    /// <summary>The same inputs on <paramref name="device"/> (this object when it is already there). The moved tensors
    /// belong to the current dispose scope.</summary>
    public ModelInputs to(Device device)
    {
        static bool On(Tensor t, Device d) => t.device_type == d.type && (d.index < 0 || t.device_index == d.index);
        if (Present().All(p => On(p.tensor, device))) return this;
        Tensor? Move(Tensor? t) => t is null || On(t, device) ? t : t.to(device);
        return new ModelInputs
        {
            Audio = Move(Audio), Frames = Move(Frames), Image = Move(Image), Landmarks = Move(Landmarks),
            Features = Move(Features), Sentiment = Move(Sentiment),
        };
    }

    /// <summary>The batch size shared by every present tensor (their first dimension).</summary>
    public long BatchSize
    {
        get
        {
            long? batch = null;
            string first = "";
            foreach (var (name, t) in Present())
            {
                if (t.dim() == 0) throw new ArgumentException($"ModelInputs.{name} is a scalar; expected a batch (first dimension B)");
                var b = t.shape[0];
                if (batch is null)
                {
                    batch = b;
                    first = name;
                }
                else if (b != batch)
                    throw new ArgumentException($"ModelInputs.{name} has batch size {b} but ModelInputs.{first} has {batch}");
            }
            return batch ?? throw new ArgumentException("ModelInputs holds no tensor, so it has no batch size");
        }
    }

    /// <summary>The tensor of one kind, or a clear error naming the model and the expected shape when it is missing
    /// or has the wrong rank.</summary>
    public Tensor Require(InputKinds kind, string model, int rank, string shape)
    {
        var t = kind switch
        {
            InputKinds.Audio => Audio,
            InputKinds.Frames => Frames,
            InputKinds.Image => Image,
            InputKinds.Landmarks => Landmarks,
            InputKinds.Features => Features,
            InputKinds.Sentiment => Sentiment,
            _ => throw new ArgumentException($"Require takes a single input kind, got {kind}"),
        };
        if (t is null) throw new ArgumentException($"{model} needs ModelInputs.{kind} ({shape}) but it is null");
        if (t.dim() != rank)
            throw new ArgumentException($"{model} expects ModelInputs.{kind} of shape {shape}, got [{string.Join(", ", t.shape)}]");
        return t;
    }
}
