using System.Runtime.InteropServices;
using System.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace AverLab.Training.Distributed;

/// <summary>Data-parallel training over a group of ranks (PyTorch's DistributedDataParallel, by hand): the same
/// initial weights everywhere (root's, broadcast), each rank's gradients summed by an all-reduce before every
/// optimizer step, so every rank applies the same update and the weights never drift. Gradients are flattened into
/// buckets of about <see cref="BucketBytes"/> (parameters in model order; a parameter larger than a bucket gets one
/// of its own) and each bucket is one all-reduce call, not one per tensor. Each rank scales its loss by its share of
/// the global batch (local / global examples), so the summed gradient is the gradient of the global batch's mean
/// loss, as one process computes it.</summary>
public sealed class DataParallel(ICollectives group, double bucketMegabytes = 25)
{
    private float[] buffer = [];

    public ICollectives Group { get; } = group;
    public int Rank => Group.Rank;
    public int Size => Group.Size;
    public bool IsRoot => Group.Rank == 0;
    public long BucketBytes { get; } = Math.Max(4, (long)(bucketMegabytes * 1024 * 1024));
    /// <summary>All-reduce calls made by the last <see cref="AllreduceGradients"/> (one per bucket).</summary>
    public int LastBucketCount { get; private set; }

    /// <summary>The buckets the parameters fall into: each an array of parameter positions.</summary>
    public IReadOnlyList<int[]> Buckets(IReadOnlyList<long> numels)
    {
        var capacity = BucketBytes / sizeof(float);
        var buckets = new List<int[]>();
        var current = new List<int>();
        long filled = 0;
        for (var i = 0; i < numels.Count; i++)
        {
            if (current.Count > 0 && filled + numels[i] > capacity)
            {
                buckets.Add([.. current]);
                current.Clear();
                filled = 0;
            }
            current.Add(i);
            filled += numels[i];
        }
        if (current.Count > 0) buckets.Add([.. current]);
        return buckets;
    }

    /// <summary>Sums every trainable parameter's gradient over the ranks, in place, one all-reduce per bucket. A
    /// parameter without a gradient on this rank contributes zeros (and gets no gradient back).</summary>
    public void AllreduceGradients(IReadOnlyList<TorchSharp.Modules.Parameter> parameters)
    {
        LastBucketCount = 0;
        if (Size == 1) return;
        var trainable = parameters.Where(p => p.requires_grad).ToList();
        var buckets = Buckets(trainable.Select(p => p.numel()).ToList());
        foreach (var bucket in buckets)
        {
            var total = bucket.Sum(i => trainable[i].numel());
            if (buffer.Length < total) buffer = new float[total];
            var span = buffer.AsSpan(0, checked((int)total));
            var offset = 0;
            foreach (var i in bucket)
            {
                var n = (int)trainable[i].numel();
                var slice = span.Slice(offset, n);
                if (trainable[i].grad is { } g) Read(g, slice);
                else slice.Clear();
                offset += n;
            }
            Group.AllreduceSum(span);
            LastBucketCount++;
            offset = 0;
            foreach (var i in bucket)
            {
                var n = (int)trainable[i].numel();
                if (trainable[i].grad is { } g) Write(g, span.Slice(offset, n));
                offset += n;
            }
        }
    }

    /// <summary>Root's parameters and buffers to every rank (every rank starts from the same weights).</summary>
    public void BroadcastState(nn.Module model)
    {
        if (Size == 1) return;
        using var _ = no_grad();
        foreach (var (_, t) in model.state_dict())
        {
            if (t.is_contiguous())
            {
                var bytes = t.bytes.ToArray();
                Group.Broadcast(bytes);
                t.bytes = bytes;
                continue;
            }
            using var c = t.contiguous();
            var copy = c.bytes.ToArray();
            Group.Broadcast(copy);
            c.bytes = copy;
            t.copy_(c);
        }
    }

    /// <summary>Batch-norm running statistics (every floating-point buffer) averaged over the ranks: each rank's
    /// statistics come from its own shard, so they differ; after this every rank holds the same mean.</summary>
    public void AverageBuffers(nn.Module model)
    {
        if (Size == 1) return;
        using var _ = no_grad();
        foreach (var (_, b) in model.named_buffers())
        {
            if (b.dtype != ScalarType.Float32) continue;
            var values = new float[b.numel()];
            Read(b, values);
            Group.AllreduceSum(values);
            for (var i = 0; i < values.Length; i++) values[i] /= Size;
            Write(b, values);
        }
    }

    /// <summary>Sums a few scalars (epoch loss, correct count, examples) over the ranks.</summary>
    public void Sum(Span<double> values)
    {
        if (Size > 1) Group.AllreduceSum(values);
    }

    /// <summary>Root's text on every rank (root passes it; the others' argument is ignored).</summary>
    public string BroadcastText(string? text)
    {
        if (Size == 1) return text ?? "";
        var bytes = IsRoot ? Encoding.UTF8.GetBytes(text ?? "") : [];
        var length = new byte[8];
        BitConverter.TryWriteBytes(length, (long)bytes.Length);
        Group.Broadcast(length);
        if (!IsRoot) bytes = new byte[BitConverter.ToInt64(length)];
        Group.Broadcast(bytes);
        return Encoding.UTF8.GetString(bytes);
    }

    // Dense tensors are read and written as raw storage (every rank lays them out alike); others (a transposed
    // gradient, say) go through a contiguous copy.
    private static void Read(Tensor t, Span<float> into)
    {
        if (t.dtype != ScalarType.Float32) throw new NotSupportedException($"data-parallel training needs float32 tensors, got {t.dtype}");
        if (t.is_contiguous())
        {
            MemoryMarshal.Cast<byte, float>(t.bytes).CopyTo(into);
            return;
        }
        using var c = t.contiguous();
        MemoryMarshal.Cast<byte, float>(c.bytes).CopyTo(into);
    }

    private static void Write(Tensor t, Span<float> from)
    {
        if (t.is_contiguous())
        {
            t.bytes = MemoryMarshal.AsBytes(from);
            return;
        }
        using var c = t.contiguous();
        c.bytes = MemoryMarshal.AsBytes(from);
        using var _ = no_grad();
        t.copy_(c);
    }
}
