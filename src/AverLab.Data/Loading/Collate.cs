using TorchSharp;
using static TorchSharp.torch;

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
        var extras = StackExtras(examples);
        Tensor? inputs = null, len = null, m = null;
        var made = new List<Tensor>();
        try
        {
            inputs = torch.tensor(data, shape);
            len = torch.tensor(lengths, [b]);
            m = torch.tensor(mask, [b, tMax]);
            foreach (var (values, s) in extras) made.Add(torch.tensor(values, s));
            return new Batch(inputs, len, m, torch.tensor(labels, [b]), indices, made);
        }
        catch
        {
            inputs?.Dispose(); len?.Dispose(); m?.Dispose();
            foreach (var t in made) t.Dispose();
            throw;
        }
    }

    private static List<(float[] data, long[] shape)> StackExtras(IReadOnlyList<Example> examples)
    {
        var count = examples[0].Extra.Count;
        var stacked = new List<(float[], long[])>(count);
        for (var k = 0; k < count; k++)
        {
            var shape = examples[0].Extra[k].Shape;
            var size = (int)examples[0].Extra[k].ElementCount;
            var data = new float[examples.Count * size];
            for (var i = 0; i < examples.Count; i++)
            {
                var e = examples[i];
                if (e.Extra.Count != count)
                    throw new ArgumentException($"examples carry different numbers of extra inputs: {count} vs {e.Extra.Count}");
                if (!e.Extra[k].Shape.SequenceEqual(shape))
                    throw new ArgumentException($"extra input {k} differs between examples: [{string.Join(", ", shape)}] vs [{string.Join(", ", e.Extra[k].Shape)}] (extra inputs are stacked, not padded)");
                e.Extra[k].Data.CopyTo(data.AsSpan(i * size));
            }
            stacked.Add((data, [examples.Count, .. shape]));
        }
        return stacked;
    }
}
