using TorchSharp;
using static TorchSharp.torch;

namespace AverLab.Explanations;

/// <summary>Occlusion sensitivity (Zeiler and Fergus 2014) over the last two dimensions of an input (time–frequency
/// patches of an MFCC image, regions of a face): each patch, across all leading channels, is replaced by a fill value
/// and the drop of the class probability is recorded; a cell's value is the mean drop over the patches that cover
/// it (positive: the patch supported the class).</summary>
public static class Occlusion
{
    /// <param name="logits">The model as a function of this one input (N x ... → N x classes).</param>
    /// <param name="x">One item, 1 x ... x H x W (at least 3 dimensions).</param>
    /// <param name="patch">Patch height and width (clamped to the input).</param>
    /// <param name="stride">Step between patches; patches also end flush with the last row and column.</param>
    /// <param name="fill">The value occluded cells get (0: the standardized mean).</param>
    public static OcclusionResult Compute(Func<Tensor, Tensor> logits, Tensor x, int target, (int Height, int Width) patch,
        (int Height, int Width) stride, float fill = 0f, int batch = 32)
    {
        if (x.shape[0] != 1 || x.dim() < 3) throw new ArgumentException($"occlusion explains one item 1 x ... x H x W, got [{string.Join(", ", x.shape)}]");
        if (patch.Height < 1 || patch.Width < 1 || stride.Height < 1 || stride.Width < 1)
            throw new ArgumentOutOfRangeException(nameof(patch), "patch and stride must be positive");
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = x.detach().to(ScalarType.Float32).contiguous();
        int h = (int)input.shape[^2], w = (int)input.shape[^1];
        int ph = Math.Min(patch.Height, h), pw = Math.Min(patch.Width, w);
        var rows = Starts(h, ph, stride.Height);
        var cols = Starts(w, pw, stride.Width);
        var positions = rows.SelectMany(r => cols.Select(c => (r, c))).ToArray();
        var p0 = logits(input).softmax(1)[0, target].ToDouble();
        var sum = new double[h * w];
        var count = new int[h * w];
        for (var start = 0; start < positions.Length; start += batch)
        {
            using var batchScope = NewDisposeScope();
            var chunk = positions.Skip(start).Take(batch).ToArray();
            var variants = input.expand([chunk.Length, .. input.shape.Skip(1)]).clone();
            for (var i = 0; i < chunk.Length; i++)
                variants[i][TensorIndex.Ellipsis, TensorIndex.Slice(chunk[i].r, chunk[i].r + ph), TensorIndex.Slice(chunk[i].c, chunk[i].c + pw)].fill_(fill);
            var p = logits(variants).softmax(1)[TensorIndex.Colon, target].to(ScalarType.Float64).data<double>().ToArray();
            for (var i = 0; i < chunk.Length; i++)
            {
                var drop = p0 - p[i];
                for (var r = chunk[i].r; r < chunk[i].r + ph; r++)
                    for (var c = chunk[i].c; c < chunk[i].c + pw; c++)
                    {
                        sum[r * w + c] += drop;
                        count[r * w + c]++;
                    }
            }
        }
        var map = new float[h * w];
        for (var i = 0; i < map.Length; i++) map[i] = count[i] > 0 ? (float)(sum[i] / count[i]) : 0f;
        return new OcclusionResult(map, h, w, ph, pw, positions.Length, p0);
    }

    private static int[] Starts(int size, int patch, int stride)
    {
        var starts = new List<int>();
        for (var s = 0; s + patch <= size; s += stride) starts.Add(s);
        if (starts[^1] + patch < size) starts.Add(size - patch);
        return starts.ToArray();
    }
}

/// <summary>The mean probability drop per cell (Height x Width, row-major), the patch used, how many patches were
/// evaluated, and the unoccluded probability.</summary>
public sealed record OcclusionResult(float[] Map, int Height, int Width, int PatchHeight, int PatchWidth, int Patches, double Probability);
