using TorchSharp;
using static TorchSharp.torch;

namespace AverLab.Data.Loading;

/// <summary>A collated batch. The caller owns its tensors and must dispose the batch (they are created on the
/// loader's prefetch thread, outside any dispose scope of the training thread).
/// <list type="bullet">
/// <item><see cref="Inputs"/>: float32 [B, T_max, ...], zero-padded along the first example dimension</item>
/// <item><see cref="Lengths"/>: int64 [B], each example's true length T</item>
/// <item><see cref="Mask"/>: bool [B, T_max], true on real (unpadded) steps</item>
/// <item><see cref="Labels"/>: int64 [B]</item>
/// <item><see cref="Extra"/>: float32 [B, ...] per extra input of the examples (stacked, not padded)</item>
/// </list></summary>
public sealed class Batch : IDisposable
{
    public Batch(Tensor inputs, Tensor lengths, Tensor mask, Tensor labels, int[] indices, IReadOnlyList<Tensor>? extra = null)
    {
        Inputs = inputs; Lengths = lengths; Mask = mask; Labels = labels; Indices = indices; Extra = extra ?? [];
    }

    public Tensor Inputs { get; }
    public Tensor Lengths { get; }
    public Tensor Mask { get; }
    public Tensor Labels { get; }
    public IReadOnlyList<Tensor> Extra { get; }
    /// <summary>Dataset indices of the examples, in batch order.</summary>
    public int[] Indices { get; }
    public int Size => Indices.Length;
    /// <summary>Examples in the whole batch this one is a shard of (data-parallel training); Size when not sharded.</summary>
    public int GlobalSize { get => globalSize ?? Size; set => globalSize = value; }
    private int? globalSize;

    public void Dispose()
    {
        Inputs.Dispose(); Lengths.Dispose(); Mask.Dispose(); Labels.Dispose();
        foreach (var t in Extra) t.Dispose();
    }
}
