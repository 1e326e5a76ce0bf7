namespace AverLab.Torch.Native;

// Op codes of the native dispatch tables (native/src/ops.cpp). The numbers are the ABI: never renumber.

internal enum UnaryOp
{
    Neg = 0, Abs = 1, Exp = 2, Log = 3, Log2 = 4, Log10 = 5, Log1p = 6, Expm1 = 7, Sqrt = 8, Rsqrt = 9,
    Sin = 10, Cos = 11, Tan = 12, Asin = 13, Acos = 14, Atan = 15, Sinh = 16, Cosh = 17, Tanh = 18, Sigmoid = 19,
    Relu = 20, Floor = 21, Ceil = 22, Round = 23, Trunc = 24, Frac = 25, Sign = 26, Reciprocal = 27, Square = 28,
    Erf = 29, LogicalNot = 30, BitwiseNot = 31, IsNan = 32, IsInf = 33, IsFinite = 34, Clone = 35, Contiguous = 36,
    Detach = 37, T = 38, Exp2 = 39, Gelu = 40, Silu = 41, Erfinv = 42, LogSigmoid = 43, Nonzero = 44, Flatten = 45,
    Selu = 46, Mish = 47, Hardswish = 48, Hardsigmoid = 49, Sgn = 50, Zero = 51,
}

internal enum BinaryOp
{
    Add = 0, Sub = 1, Mul = 2, Div = 3, Remainder = 4, Pow = 5, Atan2 = 6, Maximum = 7, Minimum = 8, Fmod = 9,
    FloorDivide = 10, Eq = 11, Ne = 12, Lt = 13, Le = 14, Gt = 15, Ge = 16, LogicalAnd = 17, LogicalOr = 18,
    LogicalXor = 19, BitwiseAnd = 20, BitwiseOr = 21, BitwiseXor = 22, Matmul = 23, Mm = 24, Bmm = 25, Dot = 26,
    Outer = 27, DivFloor = 28, DivTrunc = 29, Mv = 30, Hypot = 31, Xlogy = 32, MaskedSelect = 33, ExpandAs = 34,
    TypeAs = 35, ViewAs = 36, ReshapeAs = 37, Copy = 38, Fill = 39,
    // scalar-first forms (scalar op tensor)
    RSub = 40, RDiv = 41, RPow = 42, RRemainder = 43,
}

internal enum ReduceOp { Sum = 0, Mean = 1, Amax = 2, Amin = 3, LogSumExp = 4, NanSum = 5 }

/// <summary>How a scalar crosses the ABI: as a double, a long, or a bool (PyTorch's Scalar kinds).</summary>
internal enum ScalarKind { Double = 0, Long = 1, Bool = 2 }
