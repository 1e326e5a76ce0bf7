using AverLab.Torch;

namespace AverLab.Data.Loading;

/// <summary>Collation (torch.utils.data default_collate + pad_sequence): stacks examples, zero-padding the first
/// dimension to the longest, with lengths and a mask.</summary>
public static class Collate
{
    public static Batch Pad(IReadOnlyList<Example> examples, int[] indices)
    {
        if (examples.Count == 0) throw new ArgumentException("cannot collate an empty batch");
        var first = examples[0].Shape;
        var inner = first.Length <= 1 ? 1L : first[1..].Aggregate(1L, (a, b) => a * b);
        foreach (var e in examples)
        {
            if (e.Shape.Length != first.Length || !e.Shape.AsSpan(Math.Min(1, first.Length)).SequenceEqual(first.AsSpan(Math.Min(1, first.Length))))
                throw new ArgumentException($"examples differ beyond the first dimension: [{string.Join(", ", first)}] vs [{string.Join(", ", e.Shape)}] (only the first may vary)");
            if (e.Data.Length != (first.Length == 0 ? 1 : e.Shape.Aggregate(1L, (a, b) => a * b)))
                throw new ArgumentException($"example holds {e.Data.Length} values, shape [{string.Join(", ", e.Shape)}] needs more/less");
        }
        var b = examples.Count;
        var tMax = examples.Max(e => e.Length);
        var data = new float[b * tMax * inner];
        var mask = new bool[b * tMax];
        var lengths = new long[b];
        var labels = new long[b];
        for (var i = 0; i < b; i++)
        {
            var e = examples[i];
            e.Data.CopyTo(data.AsSpan((int)(i * tMax * inner)));
            mask.AsSpan((int)(i * tMax), (int)e.Length).Fill(true);
            lengths[i] = e.Length;
            labels[i] = e.Label;
        }
        long[] shape = first.Length == 0 ? [b] : [b, tMax, .. first[1..]];
        Tensor? inputs = null, len = null, m = null;
        try
        {
            inputs = torch.tensor(data, shape);
            len = torch.tensor(lengths, b);
            m = torch.tensor(mask, b, tMax);
            return new Batch(inputs, len, m, torch.tensor(labels, b), indices);
        }
        catch
        {
            inputs?.Dispose(); len?.Dispose(); m?.Dispose();
            throw;
        }
    }
}
