namespace AverLab.Torch;

/// <summary>Kinds of native error, as classified by the shim (c10::IndexError, c10::TypeError, ...).</summary>
public enum TorchErrorKind { General = 0, Index = 1, Type = 2, Value = 3, NotImplemented = 4, OutOfMemory = 5 }

/// <summary>An error raised by libtorch, carrying its message. The process never aborts on a native error:
/// the shim catches every C++ exception and this is thrown in its place.</summary>
public class TorchException : Exception
{
    public TorchErrorKind Kind { get; }
    public TorchException(string message, TorchErrorKind kind = TorchErrorKind.General) : base(message) => Kind = kind;
}

/// <summary>An index out of range (PyTorch's IndexError).</summary>
public sealed class TorchIndexException(string message) : TorchException(message, TorchErrorKind.Index);

/// <summary>A wrong type or dtype (PyTorch's TypeError).</summary>
public sealed class TorchTypeException(string message) : TorchException(message, TorchErrorKind.Type);

/// <summary>A bad value (PyTorch's ValueError).</summary>
public sealed class TorchValueException(string message) : TorchException(message, TorchErrorKind.Value);
