namespace AverLab.Torch;

/// <summary>One item of a Python-style index: x[0, 1..^1, TensorIndex.None, TensorIndex.Ellipsis, mask].
/// Integers select, slices keep a dimension (negative bounds count from the end; step &gt; 0 as in PyTorch),
/// None inserts a dimension, Ellipsis stands for all the remaining ones, and tensors index by mask or position.</summary>
public readonly struct TensorIndex
{
    internal enum IndexKind { Int = 0, Slice = 1, None = 2, Ellipsis = 3, Bool = 4, Tensor = 5 }

    internal IndexKind Kind { get; }
    internal long Start { get; }
    internal long Stop { get; }
    internal long Step { get; }
    internal bool HasStart { get; }
    internal bool HasStop { get; }
    internal Tensor? Tensor { get; }

    private TensorIndex(IndexKind kind, long start = 0, long stop = 0, long step = 1, bool hasStart = false,
        bool hasStop = false, Tensor? tensor = null)
    {
        Kind = kind;
        Start = start;
        Stop = stop;
        Step = step;
        HasStart = hasStart;
        HasStop = hasStop;
        Tensor = tensor;
    }

    public static TensorIndex Single(long index) => new(IndexKind.Int, index);

    /// <summary>start:stop:step, each optional (Python's slice).</summary>
    public static TensorIndex Slice(long? start = null, long? stop = null, long step = 1)
    {
        if (step <= 0) throw new ArgumentOutOfRangeException(nameof(step), step, "slice step must be greater than zero (as in PyTorch)");
        return new(IndexKind.Slice, start ?? 0, stop ?? 0, step, start.HasValue, stop.HasValue);
    }

    /// <summary>The full slice ':'.</summary>
    public static readonly TensorIndex Colon = Slice();
    public static readonly TensorIndex None = new(IndexKind.None);
    public static readonly TensorIndex Ellipsis = new(IndexKind.Ellipsis);
    public static TensorIndex Bool(bool value) => new(IndexKind.Bool, value ? 1 : 0);
    public static TensorIndex FromTensor(Tensor t) => new(IndexKind.Tensor, tensor: t);

    public static implicit operator TensorIndex(long index) => Single(index);
    public static implicit operator TensorIndex(int index) => Single(index);
    public static implicit operator TensorIndex(Tensor t) => FromTensor(t);

    /// <summary>C# indices: ^1 is -1 (the last element).</summary>
    public static implicit operator TensorIndex(Index i) => Single(i.IsFromEnd ? -i.Value : i.Value);

    /// <summary>C# ranges as slices: 1..^1 is 1:-1, ..3 is :3, ^2.. is -2:.</summary>
    public static implicit operator TensorIndex(Range r)
    {
        long? start = r.Start.IsFromEnd ? (r.Start.Value == 0 ? null : -r.Start.Value) : r.Start.Value;
        long? stop = r.End.IsFromEnd ? (r.End.Value == 0 ? null : -r.End.Value) : r.End.Value;
        if (start == 0 && !r.Start.IsFromEnd) start = null;
        return Slice(start, stop);
    }

    public override string ToString() => Kind switch
    {
        IndexKind.Int => Start.ToString(),
        IndexKind.Slice => $"{(HasStart ? Start : "")}:{(HasStop ? Stop : "")}{(Step != 1 ? ":" + Step : "")}",
        IndexKind.None => "None",
        IndexKind.Ellipsis => "...",
        IndexKind.Bool => Start != 0 ? "True" : "False",
        _ => "tensor",
    };
}
