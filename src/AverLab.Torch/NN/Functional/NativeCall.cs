namespace AverLab.Torch;

/// <summary>Argument plumbing shared by the functional ops: PyTorch's "int or tuple" arguments expanded to one
/// value per spatial dimension, and handles of optional tensors.</summary>
internal static class NativeCall
{
    /// <summary>Expands null (the default), a single value or a full tuple to <paramref name="n"/> values.</summary>
    internal static long[] Expand(long[]? values, int n, long fallback, string name)
    {
        if (values == null || values.Length == 0) return Enumerable.Repeat(fallback, n).ToArray();
        if (values.Length == 1) return Enumerable.Repeat(values[0], n).ToArray();
        if (values.Length != n) throw new ArgumentException($"{name} must have 1 or {n} values, got {values.Length}");
        return values;
    }

    internal static IntPtr H(Tensor? t) => t?.Handle ?? IntPtr.Zero;
}
