using System.Globalization;
using System.Text;

namespace AverLab.Torch;

/// <summary>Prints tensors the way Python's PyTorch does: tensor([[1., 2.]], dtype=float64), summarizing
/// large tensors with "..." after three edge items per dimension.</summary>
internal static class TensorFormatter
{
    private const int Threshold = 1000;
    private const int EdgeItems = 3;

    public static string Format(Tensor t)
    {
        using var scope = torch.NewDisposeScope();
        var shape = t.shape;
        var dtype = t.dtype;
        double[] values;
        using (torch.no_grad())
            values = t.to(Device.CPU, ScalarType.Float64).data<double>();
        var isFloat = dtype.IsFloatingPoint();
        var summarize = values.Length > Threshold;
        var allIntegral = values.All(v => double.IsNaN(v) || double.IsInfinity(v) || Math.Abs(v - Math.Round(v)) == 0);
        string Fmt(double v)
        {
            if (dtype == ScalarType.Bool) return v != 0 ? "True" : "False";
            if (!isFloat) return ((long)v).ToString(CultureInfo.InvariantCulture);
            if (double.IsNaN(v)) return "nan";
            if (double.IsPositiveInfinity(v)) return "inf";
            if (double.IsNegativeInfinity(v)) return "-inf";
            return allIntegral ? v.ToString("0", CultureInfo.InvariantCulture) + "." : v.ToString("0.0000", CultureInfo.InvariantCulture);
        }

        var sb = new StringBuilder("tensor(");
        if (shape.Length == 0) sb.Append(Fmt(values[0]));
        else Append(sb, values, shape, 0, 0, summarize, Fmt, 7);
        if (dtype != ScalarType.Float32 && dtype != ScalarType.Int64 && dtype != ScalarType.Bool)
            sb.Append(", dtype=").Append(dtype.PyTorchName());
        if (t.device.type != DeviceType.CPU) sb.Append(", device='").Append(t.device).Append('\'');
        if (t.requires_grad) sb.Append(t.grad_fn is { } fn ? $", grad_fn=<{fn}>" : ", requires_grad=True");
        return sb.Append(')').ToString();
    }

    private static void Append(StringBuilder sb, double[] v, long[] shape, int dim, long offset, bool summarize,
        Func<double, string> fmt, int indent)
    {
        long stride = 1;
        for (var d = dim + 1; d < shape.Length; d++) stride *= shape[d];
        sb.Append('[');
        var n = shape[dim];
        for (long i = 0; i < n; i++)
        {
            if (summarize && n > 2 * EdgeItems && i == EdgeItems)
            {
                sb.Append(dim == shape.Length - 1 ? "..., " : "...,\n" + new string(' ', indent + dim + 1));
                i = n - EdgeItems - 1;
                continue;
            }
            if (dim == shape.Length - 1) sb.Append(fmt(v[offset + i]));
            else Append(sb, v, shape, dim + 1, offset + i * stride, summarize, fmt, indent);
            if (i < n - 1)
                sb.Append(dim == shape.Length - 1 ? ", " : "," + new string('\n', shape.Length - dim - 1) + new string(' ', indent + dim + 1));
        }
        sb.Append(']');
    }
}
