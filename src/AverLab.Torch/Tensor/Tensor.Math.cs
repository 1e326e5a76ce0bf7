using System.Runtime.CompilerServices;
using AverLab.Torch.Native;

namespace AverLab.Torch;

// Element-wise math, comparisons and operators. Python semantics: x + 2 keeps an int tensor int, x + 2.0 does not.
public partial class Tensor
{
    // The helpers keep `this` and operands alive across the native call (GC.KeepAlive): otherwise a temporary's
    // finalizer could free its handle while libtorch still reads it.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Tensor Unary(UnaryOp op)
    {
        var r = Wrap(LibTorch.alt_unary(Handle, op));
        GC.KeepAlive(this);
        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Tensor UnaryInPlace(UnaryOp op)
    {
        NativeErrors.Check(LibTorch.alt_unary_(Handle, op));
        return this;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Tensor Binary(Tensor other, BinaryOp op)
    {
        var r = Wrap(LibTorch.alt_binary(Handle, other.Handle, op));
        GC.KeepAlive(this);
        GC.KeepAlive(other);
        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Tensor BinaryInPlace(Tensor other, BinaryOp op)
    {
        NativeErrors.Check(LibTorch.alt_binary_(Handle, other.Handle, op));
        GC.KeepAlive(other);
        return this;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Tensor Scalar(double v, BinaryOp op)
    {
        var r = Wrap(LibTorch.alt_binary_scalar(Handle, v, 0, (int)ScalarKind.Double, op));
        GC.KeepAlive(this);
        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Tensor Scalar(long v, BinaryOp op)
    {
        var r = Wrap(LibTorch.alt_binary_scalar(Handle, v, v, (int)ScalarKind.Long, op));
        GC.KeepAlive(this);
        return r;
    }

    private Tensor ScalarInPlace(double v, BinaryOp op)
    {
        NativeErrors.Check(LibTorch.alt_binary_scalar_(Handle, v, 0, (int)ScalarKind.Double, op));
        return this;
    }

    private Tensor ScalarInPlace(long v, BinaryOp op)
    {
        NativeErrors.Check(LibTorch.alt_binary_scalar_(Handle, v, v, (int)ScalarKind.Long, op));
        return this;
    }

    // ---- unary ------------------------------------------------------------------------------------------------
    public Tensor neg() => Unary(UnaryOp.Neg);
    public Tensor abs() => Unary(UnaryOp.Abs);
    public Tensor exp() => Unary(UnaryOp.Exp);
    public Tensor exp2() => Unary(UnaryOp.Exp2);
    public Tensor log() => Unary(UnaryOp.Log);
    public Tensor log2() => Unary(UnaryOp.Log2);
    public Tensor log10() => Unary(UnaryOp.Log10);
    public Tensor log1p() => Unary(UnaryOp.Log1p);
    public Tensor expm1() => Unary(UnaryOp.Expm1);
    public Tensor sqrt() => Unary(UnaryOp.Sqrt);
    public Tensor rsqrt() => Unary(UnaryOp.Rsqrt);
    public Tensor sin() => Unary(UnaryOp.Sin);
    public Tensor cos() => Unary(UnaryOp.Cos);
    public Tensor tan() => Unary(UnaryOp.Tan);
    public Tensor asin() => Unary(UnaryOp.Asin);
    public Tensor acos() => Unary(UnaryOp.Acos);
    public Tensor atan() => Unary(UnaryOp.Atan);
    public Tensor sinh() => Unary(UnaryOp.Sinh);
    public Tensor cosh() => Unary(UnaryOp.Cosh);
    public Tensor tanh() => Unary(UnaryOp.Tanh);
    public Tensor sigmoid() => Unary(UnaryOp.Sigmoid);
    public Tensor relu() => Unary(UnaryOp.Relu);
    public Tensor gelu() => Unary(UnaryOp.Gelu);
    public Tensor silu() => Unary(UnaryOp.Silu);
    public Tensor floor() => Unary(UnaryOp.Floor);
    public Tensor ceil() => Unary(UnaryOp.Ceil);
    public Tensor round() => Unary(UnaryOp.Round);
    public Tensor trunc() => Unary(UnaryOp.Trunc);
    public Tensor frac() => Unary(UnaryOp.Frac);
    public Tensor sign() => Unary(UnaryOp.Sign);
    public Tensor reciprocal() => Unary(UnaryOp.Reciprocal);
    public Tensor square() => Unary(UnaryOp.Square);
    public Tensor erf() => Unary(UnaryOp.Erf);
    public Tensor erfinv() => Unary(UnaryOp.Erfinv);
    public Tensor logical_not() => Unary(UnaryOp.LogicalNot);
    public Tensor bitwise_not() => Unary(UnaryOp.BitwiseNot);
    public Tensor isnan() => Unary(UnaryOp.IsNan);
    public Tensor isinf() => Unary(UnaryOp.IsInf);
    public Tensor isfinite() => Unary(UnaryOp.IsFinite);
    public Tensor clone() => Unary(UnaryOp.Clone);
    public Tensor contiguous() => Unary(UnaryOp.Contiguous);
    public Tensor nonzero() => Unary(UnaryOp.Nonzero);

    public Tensor neg_() => UnaryInPlace(UnaryOp.Neg);
    public Tensor abs_() => UnaryInPlace(UnaryOp.Abs);
    public Tensor exp_() => UnaryInPlace(UnaryOp.Exp);
    public Tensor log_() => UnaryInPlace(UnaryOp.Log);
    public Tensor sqrt_() => UnaryInPlace(UnaryOp.Sqrt);
    public Tensor sin_() => UnaryInPlace(UnaryOp.Sin);
    public Tensor cos_() => UnaryInPlace(UnaryOp.Cos);
    public Tensor tanh_() => UnaryInPlace(UnaryOp.Tanh);
    public Tensor sigmoid_() => UnaryInPlace(UnaryOp.Sigmoid);
    public Tensor relu_() => UnaryInPlace(UnaryOp.Relu);
    public Tensor silu_() => UnaryInPlace(UnaryOp.Silu);
    public Tensor floor_() => UnaryInPlace(UnaryOp.Floor);
    public Tensor ceil_() => UnaryInPlace(UnaryOp.Ceil);
    public Tensor round_() => UnaryInPlace(UnaryOp.Round);
    public Tensor trunc_() => UnaryInPlace(UnaryOp.Trunc);
    public Tensor sign_() => UnaryInPlace(UnaryOp.Sign);
    public Tensor reciprocal_() => UnaryInPlace(UnaryOp.Reciprocal);
    public Tensor square_() => UnaryInPlace(UnaryOp.Square);
    public Tensor erf_() => UnaryInPlace(UnaryOp.Erf);
    public Tensor zero_() => UnaryInPlace(UnaryOp.Zero);

    // ---- binary -----------------------------------------------------------------------------------------------
    public Tensor add(Tensor other) => Binary(other, BinaryOp.Add);
    public Tensor add(Tensor other, double alpha)
    {
        var r = Wrap(LibTorch.alt_add_scaled(Handle, other.Handle, alpha, 0));
        GC.KeepAlive(this);
        GC.KeepAlive(other);
        return r;
    }
    public Tensor add(double other) => Scalar(other, BinaryOp.Add);
    public Tensor add(long other) => Scalar(other, BinaryOp.Add);
    public Tensor sub(Tensor other) => Binary(other, BinaryOp.Sub);
    public Tensor sub(Tensor other, double alpha)
    {
        var r = Wrap(LibTorch.alt_add_scaled(Handle, other.Handle, alpha, 1));
        GC.KeepAlive(this);
        GC.KeepAlive(other);
        return r;
    }
    public Tensor sub(double other) => Scalar(other, BinaryOp.Sub);
    public Tensor sub(long other) => Scalar(other, BinaryOp.Sub);
    public Tensor mul(Tensor other) => Binary(other, BinaryOp.Mul);
    public Tensor mul(double other) => Scalar(other, BinaryOp.Mul);
    public Tensor mul(long other) => Scalar(other, BinaryOp.Mul);
    public Tensor div(Tensor other) => Binary(other, BinaryOp.Div);
    public Tensor div(double other) => Scalar(other, BinaryOp.Div);
    public Tensor div(long other) => Scalar(other, BinaryOp.Div);

    /// <summary>Division with rounding_mode "floor" or "trunc" (null for true division).</summary>
    public Tensor div(Tensor other, string? rounding_mode) => rounding_mode switch
    {
        null => Binary(other, BinaryOp.Div),
        "floor" => Binary(other, BinaryOp.DivFloor),
        "trunc" => Binary(other, BinaryOp.DivTrunc),
        _ => throw new ArgumentException($"rounding_mode must be null, \"floor\" or \"trunc\", got \"{rounding_mode}\""),
    };

    public Tensor remainder(Tensor other) => Binary(other, BinaryOp.Remainder);
    public Tensor remainder(double other) => Scalar(other, BinaryOp.Remainder);
    public Tensor fmod(Tensor other) => Binary(other, BinaryOp.Fmod);
    public Tensor fmod(double other) => Scalar(other, BinaryOp.Fmod);
    public Tensor floor_divide(Tensor other) => Binary(other, BinaryOp.FloorDivide);
    public Tensor floor_divide(long other) => Scalar(other, BinaryOp.FloorDivide);
    public Tensor pow(Tensor exponent) => Binary(exponent, BinaryOp.Pow);
    public Tensor pow(double exponent) => Scalar(exponent, BinaryOp.Pow);
    public Tensor pow(long exponent) => Scalar(exponent, BinaryOp.Pow);
    public Tensor atan2(Tensor other) => Binary(other, BinaryOp.Atan2);
    public Tensor hypot(Tensor other) => Binary(other, BinaryOp.Hypot);
    public Tensor xlogy(Tensor other) => Binary(other, BinaryOp.Xlogy);
    public Tensor maximum(Tensor other) => Binary(other, BinaryOp.Maximum);
    public Tensor minimum(Tensor other) => Binary(other, BinaryOp.Minimum);
    public Tensor logical_and(Tensor other) => Binary(other, BinaryOp.LogicalAnd);
    public Tensor logical_or(Tensor other) => Binary(other, BinaryOp.LogicalOr);
    public Tensor logical_xor(Tensor other) => Binary(other, BinaryOp.LogicalXor);
    public Tensor bitwise_and(Tensor other) => Binary(other, BinaryOp.BitwiseAnd);
    public Tensor bitwise_or(Tensor other) => Binary(other, BinaryOp.BitwiseOr);
    public Tensor bitwise_xor(Tensor other) => Binary(other, BinaryOp.BitwiseXor);
    public Tensor type_as(Tensor other) => Binary(other, BinaryOp.TypeAs);
    public Tensor lerp(Tensor end, double weight)
    {
        var r = Wrap(LibTorch.alt_lerp(Handle, end.Handle, weight));
        GC.KeepAlive(this);
        GC.KeepAlive(end);
        return r;
    }

    public Tensor add_(Tensor other) => BinaryInPlace(other, BinaryOp.Add);
    public Tensor add_(Tensor other, double alpha)
    {
        NativeErrors.Check(LibTorch.alt_add_scaled_(Handle, other.Handle, alpha));
        GC.KeepAlive(other);
        return this;
    }
    public Tensor add_(double other) => ScalarInPlace(other, BinaryOp.Add);
    public Tensor add_(long other) => ScalarInPlace(other, BinaryOp.Add);
    public Tensor sub_(Tensor other) => BinaryInPlace(other, BinaryOp.Sub);
    public Tensor sub_(double other) => ScalarInPlace(other, BinaryOp.Sub);
    public Tensor mul_(Tensor other) => BinaryInPlace(other, BinaryOp.Mul);
    public Tensor mul_(double other) => ScalarInPlace(other, BinaryOp.Mul);
    public Tensor mul_(long other) => ScalarInPlace(other, BinaryOp.Mul);
    public Tensor div_(Tensor other) => BinaryInPlace(other, BinaryOp.Div);
    public Tensor div_(double other) => ScalarInPlace(other, BinaryOp.Div);
    public Tensor pow_(Tensor other) => BinaryInPlace(other, BinaryOp.Pow);
    public Tensor pow_(double other) => ScalarInPlace(other, BinaryOp.Pow);
    public Tensor remainder_(double other) => ScalarInPlace(other, BinaryOp.Remainder);
    public Tensor maximum_(Tensor other) => BinaryInPlace(other, BinaryOp.Maximum);
    public Tensor minimum_(Tensor other) => BinaryInPlace(other, BinaryOp.Minimum);
    public Tensor copy_(Tensor src) => BinaryInPlace(src, BinaryOp.Copy);
    public Tensor fill_(double value) => ScalarInPlace(value, BinaryOp.Fill);
    public Tensor fill_(long value) => ScalarInPlace(value, BinaryOp.Fill);

    public Tensor clamp(double? min = null, double? max = null)
    {
        var r = Wrap(LibTorch.alt_clamp(Handle, min ?? 0, min.HasValue ? 1 : 0, max ?? 0, max.HasValue ? 1 : 0));
        GC.KeepAlive(this);
        return r;
    }
    public Tensor clamp_(double? min = null, double? max = null)
    {
        NativeErrors.Check(LibTorch.alt_clamp_(Handle, min ?? 0, min.HasValue ? 1 : 0, max ?? 0, max.HasValue ? 1 : 0));
        return this;
    }
    public Tensor clip(double? min = null, double? max = null) => clamp(min, max);
    public Tensor clamp_min(double min) => clamp(min, null);
    public Tensor clamp_max(double max) => clamp(null, max);

    // ---- comparisons ------------------------------------------------------------------------------------------
    public Tensor eq(Tensor other) => Binary(other, BinaryOp.Eq);
    public Tensor eq(double other) => Scalar(other, BinaryOp.Eq);
    public Tensor ne(Tensor other) => Binary(other, BinaryOp.Ne);
    public Tensor ne(double other) => Scalar(other, BinaryOp.Ne);
    public Tensor lt(Tensor other) => Binary(other, BinaryOp.Lt);
    public Tensor lt(double other) => Scalar(other, BinaryOp.Lt);
    public Tensor le(Tensor other) => Binary(other, BinaryOp.Le);
    public Tensor le(double other) => Scalar(other, BinaryOp.Le);
    public Tensor gt(Tensor other) => Binary(other, BinaryOp.Gt);
    public Tensor gt(double other) => Scalar(other, BinaryOp.Gt);
    public Tensor ge(Tensor other) => Binary(other, BinaryOp.Ge);
    public Tensor ge(double other) => Scalar(other, BinaryOp.Ge);

    /// <summary>True when both have the same shape and elements (torch.equal).</summary>
    public bool equal(Tensor other)
    {
        var r = LibTorch.alt_equal(Handle, other.Handle);
        GC.KeepAlive(other);
        NativeErrors.Check(r);
        return r == 1;
    }

    public bool allclose(Tensor other, double rtol = 1e-5, double atol = 1e-8, bool equal_nan = false)
    {
        var r = LibTorch.alt_allclose(Handle, other.Handle, rtol, atol, equal_nan ? 1 : 0);
        GC.KeepAlive(other);
        NativeErrors.Check(r);
        return r == 1;
    }

    // ---- operators --------------------------------------------------------------------------------------------
    public static Tensor operator +(Tensor a, Tensor b) => a.add(b);
    public static Tensor operator +(Tensor a, double b) => a.add(b);
    public static Tensor operator +(Tensor a, long b) => a.add(b);
    public static Tensor operator +(double a, Tensor b) => b.add(a);
    public static Tensor operator +(long a, Tensor b) => b.add(a);
    public static Tensor operator -(Tensor a, Tensor b) => a.sub(b);
    public static Tensor operator -(Tensor a, double b) => a.sub(b);
    public static Tensor operator -(Tensor a, long b) => a.sub(b);
    public static Tensor operator -(double a, Tensor b) => b.Scalar(a, BinaryOp.RSub);
    public static Tensor operator -(long a, Tensor b) => b.Scalar(a, BinaryOp.RSub);
    public static Tensor operator -(Tensor a) => a.neg();
    public static Tensor operator *(Tensor a, Tensor b) => a.mul(b);
    public static Tensor operator *(Tensor a, double b) => a.mul(b);
    public static Tensor operator *(Tensor a, long b) => a.mul(b);
    public static Tensor operator *(double a, Tensor b) => b.mul(a);
    public static Tensor operator *(long a, Tensor b) => b.mul(a);
    public static Tensor operator /(Tensor a, Tensor b) => a.div(b);
    public static Tensor operator /(Tensor a, double b) => a.div(b);
    public static Tensor operator /(Tensor a, long b) => a.div(b);
    public static Tensor operator /(double a, Tensor b) => b.Scalar(a, BinaryOp.RDiv);
    public static Tensor operator %(Tensor a, Tensor b) => a.remainder(b);
    public static Tensor operator %(Tensor a, double b) => a.remainder(b);
    public static Tensor operator <(Tensor a, Tensor b) => a.lt(b);
    public static Tensor operator <(Tensor a, double b) => a.lt(b);
    public static Tensor operator >(Tensor a, Tensor b) => a.gt(b);
    public static Tensor operator >(Tensor a, double b) => a.gt(b);
    public static Tensor operator <=(Tensor a, Tensor b) => a.le(b);
    public static Tensor operator <=(Tensor a, double b) => a.le(b);
    public static Tensor operator >=(Tensor a, Tensor b) => a.ge(b);
    public static Tensor operator >=(Tensor a, double b) => a.ge(b);
    public static Tensor operator &(Tensor a, Tensor b) => a.bitwise_and(b);
    public static Tensor operator |(Tensor a, Tensor b) => a.bitwise_or(b);
    public static Tensor operator ^(Tensor a, Tensor b) => a.bitwise_xor(b);
    public static Tensor operator ~(Tensor a) => a.bitwise_not();
    public static Tensor operator !(Tensor a) => a.logical_not();

    /// <summary>scalar ** tensor.</summary>
    public static Tensor pow(double self, Tensor exponent) => exponent.Scalar(self, BinaryOp.RPow);
}
