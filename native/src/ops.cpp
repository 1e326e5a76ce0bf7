// Element-wise math, comparisons, reductions and linear algebra. Op families are dispatched by a small op code
// so the ABI stays narrow; the codes are mirrored by the C# enums in src/AverLab.Torch/Native/OpCodes.cs.
#include "common.h"

using namespace alt;

// ---- unary (out of place) -------------------------------------------------------------------------------------
#define ALT_UNARY_OPS(X)                                                                                   \
  X(0, at::neg(t)) X(1, at::abs(t)) X(2, at::exp(t)) X(3, at::log(t)) X(4, at::log2(t)) X(5, at::log10(t))   \
  X(6, at::log1p(t)) X(7, at::expm1(t)) X(8, at::sqrt(t)) X(9, at::rsqrt(t)) X(10, at::sin(t))               \
  X(11, at::cos(t)) X(12, at::tan(t)) X(13, at::asin(t)) X(14, at::acos(t)) X(15, at::atan(t))               \
  X(16, at::sinh(t)) X(17, at::cosh(t)) X(18, at::tanh(t)) X(19, at::sigmoid(t)) X(20, at::relu(t))          \
  X(21, at::floor(t)) X(22, at::ceil(t)) X(23, at::round(t)) X(24, at::trunc(t)) X(25, at::frac(t))          \
  X(26, at::sign(t)) X(27, at::reciprocal(t)) X(28, at::square(t)) X(29, at::erf(t))                         \
  X(30, at::logical_not(t)) X(31, at::bitwise_not(t)) X(32, at::isnan(t)) X(33, at::isinf(t))                \
  X(34, at::isfinite(t)) X(35, t.clone()) X(36, t.contiguous()) X(37, t.detach()) X(38, t.t())               \
  X(39, at::exp2(t)) X(40, at::gelu(t)) X(41, at::silu(t)) X(42, at::erfinv(t)) X(43, at::log_sigmoid(t))    \
  X(44, at::nonzero(t)) X(45, at::flatten(t)) X(46, at::selu(t)) X(47, at::mish(t)) X(48, at::hardswish(t))   \
  X(49, at::hardsigmoid(t)) X(50, at::sgn(t))

ALT_API THandle alt_unary(THandle h, int op) {
  ALT_TRY const auto& t = T(h);
  switch (op) {
#define X(code, expr) \
  case code: return give(expr);
    ALT_UNARY_OPS(X)
#undef X
  }
  TORCH_CHECK(false, "unknown unary op code ", op);
  ALT_CATCH(nullptr)
}

// ---- unary in place -------------------------------------------------------------------------------------------
#define ALT_UNARY_INPLACE_OPS(X)                                                                          \
  X(0, t.neg_()) X(1, t.abs_()) X(2, t.exp_()) X(3, t.log_()) X(8, t.sqrt_()) X(10, t.sin_())             \
  X(11, t.cos_()) X(18, t.tanh_()) X(19, t.sigmoid_()) X(20, t.relu_()) X(21, t.floor_()) X(22, t.ceil_()) \
  X(23, t.round_()) X(24, t.trunc_()) X(26, t.sign_()) X(27, t.reciprocal_()) X(28, t.square_())           \
  X(29, t.erf_()) X(37, t.detach_()) X(41, at::silu_(const_cast<at::Tensor&>(t))) X(51, t.zero_())

ALT_API int alt_unary_(THandle h, int op) {
  ALT_TRY const auto& t = T(h);
  switch (op) {
#define X(code, expr) \
  case code: expr; return 0;
    ALT_UNARY_INPLACE_OPS(X)
#undef X
  }
  TORCH_CHECK(false, "unary op code ", op, " has no in-place form");
  ALT_CATCH(-1)
}

// ---- binary tensor (op) tensor ------------------------------------------------------------------------------
#define ALT_BINARY_OPS(X)                                                                                  \
  X(0, at::add(a, b)) X(1, at::sub(a, b)) X(2, at::mul(a, b)) X(3, at::div(a, b)) X(4, at::remainder(a, b)) \
  X(5, at::pow(a, b)) X(6, at::atan2(a, b)) X(7, at::maximum(a, b)) X(8, at::minimum(a, b))                 \
  X(9, at::fmod(a, b)) X(10, at::floor_divide(a, b)) X(11, at::eq(a, b)) X(12, at::ne(a, b))                 \
  X(13, at::lt(a, b)) X(14, at::le(a, b)) X(15, at::gt(a, b)) X(16, at::ge(a, b))                           \
  X(17, at::logical_and(a, b)) X(18, at::logical_or(a, b)) X(19, at::logical_xor(a, b))                     \
  X(20, at::bitwise_and(a, b)) X(21, at::bitwise_or(a, b)) X(22, at::bitwise_xor(a, b))                     \
  X(23, at::matmul(a, b)) X(24, at::mm(a, b)) X(25, at::bmm(a, b)) X(26, at::dot(a, b))                     \
  X(27, at::outer(a, b)) X(28, at::div(a, b, "floor")) X(29, at::div(a, b, "trunc")) X(30, at::mv(a, b))     \
  X(31, at::hypot(a, b)) X(32, at::xlogy(a, b)) X(33, at::masked_select(a, b)) X(34, a.expand_as(b))    \
  X(35, a.type_as(b)) X(36, a.view_as(b)) X(37, a.reshape_as(b))

ALT_API THandle alt_binary(THandle ha, THandle hb, int op) {
  ALT_TRY const auto& a = T(ha);
  const auto& b = T(hb);
  switch (op) {
#define X(code, expr) \
  case code: return give(expr);
    ALT_BINARY_OPS(X)
#undef X
  }
  TORCH_CHECK(false, "unknown binary op code ", op);
  ALT_CATCH(nullptr)
}

ALT_API THandle alt_add_scaled(THandle ha, THandle hb, double alpha, int subtract) {
  ALT_TRY return give(subtract ? at::sub(T(ha), T(hb), alpha) : at::add(T(ha), T(hb), alpha));
  ALT_CATCH(nullptr)
}

#define ALT_BINARY_INPLACE_OPS(X)                                                                          \
  X(0, a.add_(b)) X(1, a.sub_(b)) X(2, a.mul_(b)) X(3, a.div_(b)) X(4, a.remainder_(b)) X(5, a.pow_(b))      \
  X(7, at::maximum_out(const_cast<at::Tensor&>(a), a, b)) X(8, at::minimum_out(const_cast<at::Tensor&>(a), a, b)) \
  X(9, a.fmod_(b)) X(17, a.logical_and_(b)) X(18, a.logical_or_(b)) X(38, a.copy_(b))

ALT_API int alt_binary_(THandle ha, THandle hb, int op) {
  ALT_TRY const auto& a = T(ha);
  const auto& b = T(hb);
  switch (op) {
#define X(code, expr) \
  case code: expr; return 0;
    ALT_BINARY_INPLACE_OPS(X)
#undef X
  }
  TORCH_CHECK(false, "binary op code ", op, " has no in-place form");
  ALT_CATCH(-1)
}

ALT_API int alt_add_scaled_(THandle ha, THandle hb, double alpha) {
  ALT_TRY T(ha).add_(T(hb), alpha);
  return 0;
  ALT_CATCH(-1)
}

// ---- binary tensor (op) scalar --------------------------------------------------------------------------------
// Codes share the binary table where the meaning is the same; 40+ are scalar-first forms (s - t, s / t, s ** t).
#define ALT_SCALAR_OPS(X)                                                                                  \
  X(0, at::add(a, s)) X(1, at::sub(a, s)) X(2, at::mul(a, s)) X(3, at::div(a, s)) X(4, at::remainder(a, s)) \
  X(5, at::pow(a, s)) X(9, at::fmod(a, s)) X(10, at::floor_divide(a, s)) X(11, at::eq(a, s))                 \
  X(12, at::ne(a, s)) X(13, at::lt(a, s)) X(14, at::le(a, s)) X(15, at::gt(a, s)) X(16, at::ge(a, s))        \
  X(20, at::bitwise_and(a, s)) X(21, at::bitwise_or(a, s)) X(22, at::bitwise_xor(a, s))                     \
  X(28, at::div(a, s, "floor")) X(29, at::div(a, s, "trunc")) X(40, at::rsub(a, s))                         \
  X(41, at::reciprocal(a).mul(s)) X(42, at::pow(s, a)) X(43, at::remainder(s, a))

ALT_API THandle alt_binary_scalar(THandle ha, double d, int64_t l, int kind, int op) {
  ALT_TRY const auto& a = T(ha);
  auto s = scalar(d, l, kind);
  switch (op) {
#define X(code, expr) \
  case code: return give(expr);
    ALT_SCALAR_OPS(X)
#undef X
  }
  TORCH_CHECK(false, "unknown scalar op code ", op);
  ALT_CATCH(nullptr)
}

#define ALT_SCALAR_INPLACE_OPS(X)                                                                           \
  X(0, a.add_(s)) X(1, a.sub_(s)) X(2, a.mul_(s)) X(3, a.div_(s)) X(4, a.remainder_(s)) X(5, a.pow_(s))     \
  X(9, a.fmod_(s)) X(39, a.fill_(s))

ALT_API int alt_binary_scalar_(THandle ha, double d, int64_t l, int kind, int op) {
  ALT_TRY const auto& a = T(ha);
  auto s = scalar(d, l, kind);
  switch (op) {
#define X(code, expr) \
  case code: expr; return 0;
    ALT_SCALAR_INPLACE_OPS(X)
#undef X
  }
  TORCH_CHECK(false, "scalar op code ", op, " has no in-place form");
  ALT_CATCH(-1)
}

// ---- clamp, where, lerp, comparisons of whole tensors -------------------------------------------------------
ALT_API THandle alt_clamp(THandle h, double lo, int has_lo, double hi, int has_hi) {
  ALT_TRY c10::optional<at::Scalar> mn, mx;
  if (has_lo) mn = at::Scalar(lo);
  if (has_hi) mx = at::Scalar(hi);
  return give(at::clamp(T(h), mn, mx));
  ALT_CATCH(nullptr)
}
ALT_API int alt_clamp_(THandle h, double lo, int has_lo, double hi, int has_hi) {
  ALT_TRY c10::optional<at::Scalar> mn, mx;
  if (has_lo) mn = at::Scalar(lo);
  if (has_hi) mx = at::Scalar(hi);
  T(h).clamp_(mn, mx);
  return 0;
  ALT_CATCH(-1)
}
ALT_API THandle alt_where(THandle cond, THandle a, THandle b) {
  ALT_TRY return give(at::where(T(cond), T(a), T(b)));
  ALT_CATCH(nullptr)
}
ALT_API THandle alt_lerp(THandle a, THandle b, double w) { ALT_TRY return give(at::lerp(T(a), T(b), w)); ALT_CATCH(nullptr) }
ALT_API int alt_equal(THandle a, THandle b) { ALT_TRY return at::equal(T(a), T(b)) ? 1 : 0; ALT_CATCH(-1) }
ALT_API int alt_allclose(THandle a, THandle b, double rtol, double atol, int equal_nan) {
  ALT_TRY return at::allclose(T(a), T(b), rtol, atol, equal_nan != 0) ? 1 : 0;
  ALT_CATCH(-1)
}

// ---- reductions ---------------------------------------------------------------------------------------------
// dims == null (ndims 0, all_dims 1) reduces over everything.
enum ReduceOp { R_SUM = 0, R_MEAN = 1, R_AMAX = 2, R_AMIN = 3, R_LOGSUMEXP = 4, R_NANSUM = 5 };

ALT_API THandle alt_reduce(THandle h, int op, const int64_t* dims, int ndims, int keepdim, int dtype) {
  ALT_TRY const auto& t = T(h);
  auto d = sizes(dims, ndims);
  bool kd = keepdim != 0;
  switch (op) {
    case R_SUM: return give(ndims == 0 && !kd ? at::sum(t, opt_dtype(dtype)) : at::sum(t, d, kd, opt_dtype(dtype)));
    case R_MEAN: return give(ndims == 0 && !kd ? at::mean(t, opt_dtype(dtype)) : at::mean(t, d, kd, opt_dtype(dtype)));
    case R_AMAX: return give(at::amax(t, d, kd));
    case R_AMIN: return give(at::amin(t, d, kd));
    case R_LOGSUMEXP: {
      std::vector<int64_t> all;
      if (ndims == 0) for (int64_t i = 0; i < t.dim(); ++i) all.push_back(i);
      return give(at::logsumexp(t, ndims == 0 ? at::IntArrayRef(all) : d, kd));
    }
    case R_NANSUM: return give(at::nansum(t, d, kd, opt_dtype(dtype)));
  }
  TORCH_CHECK(false, "unknown reduction code ", op);
  ALT_CATCH(nullptr)
}

ALT_API THandle alt_prod(THandle h, int64_t dim, int has_dim, int keepdim, int dtype) {
  ALT_TRY const auto& t = T(h);
  return give(has_dim ? at::prod(t, dim, keepdim != 0, opt_dtype(dtype)) : at::prod(t, opt_dtype(dtype)));
  ALT_CATCH(nullptr)
}

// std/var with a correction (1 = unbiased, as PyTorch's default).
ALT_API THandle alt_var_std(THandle h, int is_std, const int64_t* dims, int ndims, int64_t correction, int keepdim) {
  ALT_TRY const auto& t = T(h);
  c10::optional<at::IntArrayRef> d;
  if (ndims > 0) d = sizes(dims, ndims);
  return give(is_std ? at::std(t, d, correction, keepdim != 0) : at::var(t, d, correction, keepdim != 0));
  ALT_CATCH(nullptr)
}

ALT_API THandle alt_norm(THandle h, double p, const int64_t* dims, int ndims, int keepdim) {
  ALT_TRY const auto& t = T(h);
  if (ndims == 0 && !keepdim) return give(at::norm(t, p));
  return give(at::norm(t, p, sizes(dims, ndims), keepdim != 0));
  ALT_CATCH(nullptr)
}

// max/min over everything (values only), or along a dim (values and indices).
ALT_API THandle alt_max_all(THandle h, int is_min) { ALT_TRY return give(is_min ? at::min(T(h)) : at::max(T(h))); ALT_CATCH(nullptr) }
ALT_API int alt_max_dim(THandle h, int is_min, int64_t dim, int keepdim, THandle* values, THandle* indices) {
  ALT_TRY auto r = is_min ? at::min(T(h), dim, keepdim != 0) : at::max(T(h), dim, keepdim != 0);
  *values = give(std::move(std::get<0>(r)));
  *indices = give(std::move(std::get<1>(r)));
  return 0;
  ALT_CATCH(-1)
}
ALT_API THandle alt_argmax(THandle h, int is_min, int64_t dim, int has_dim, int keepdim) {
  ALT_TRY c10::optional<int64_t> d;
  if (has_dim) d = dim;
  return give(is_min ? at::argmin(T(h), d, keepdim != 0) : at::argmax(T(h), d, keepdim != 0));
  ALT_CATCH(nullptr)
}
ALT_API THandle alt_all_any(THandle h, int is_any, int64_t dim, int has_dim, int keepdim) {
  ALT_TRY const auto& t = T(h);
  if (!has_dim) return give(is_any ? at::any(t) : at::all(t));
  return give(is_any ? at::any(t, dim, keepdim != 0) : at::all(t, dim, keepdim != 0));
  ALT_CATCH(nullptr)
}
ALT_API THandle alt_cumulative(THandle h, int is_prod, int64_t dim, int dtype) {
  ALT_TRY return give(is_prod ? at::cumprod(T(h), dim, opt_dtype(dtype)) : at::cumsum(T(h), dim, opt_dtype(dtype)));
  ALT_CATCH(nullptr)
}
ALT_API THandle alt_softmax(THandle h, int64_t dim, int log, int dtype) {
  ALT_TRY return give(log ? at::log_softmax(T(h), dim, opt_dtype(dtype)) : at::softmax(T(h), dim, opt_dtype(dtype)));
  ALT_CATCH(nullptr)
}

// ---- sorting --------------------------------------------------------------------------------------------------
ALT_API int alt_sort(THandle h, int64_t dim, int descending, int stable, THandle* values, THandle* indices) {
  ALT_TRY auto r = at::sort(T(h), stable != 0, dim, descending != 0);
  *values = give(std::move(std::get<0>(r)));
  *indices = give(std::move(std::get<1>(r)));
  return 0;
  ALT_CATCH(-1)
}
ALT_API int alt_topk(THandle h, int64_t k, int64_t dim, int largest, int sorted, THandle* values, THandle* indices) {
  ALT_TRY auto r = at::topk(T(h), k, dim, largest != 0, sorted != 0);
  *values = give(std::move(std::get<0>(r)));
  *indices = give(std::move(std::get<1>(r)));
  return 0;
  ALT_CATCH(-1)
}
ALT_API THandle alt_argsort(THandle h, int64_t dim, int descending) {
  ALT_TRY return give(at::argsort(T(h), dim, descending != 0));
  ALT_CATCH(nullptr)
}

// ---- linear algebra -------------------------------------------------------------------------------------------
ALT_API THandle alt_einsum(const char* equation, const THandle* hs, int n) {
  ALT_TRY return give(at::einsum(equation, tensors(hs, n)));
  ALT_CATCH(nullptr)
}
ALT_API THandle alt_addmm(THandle bias, THandle a, THandle b, double beta, double alpha) {
  ALT_TRY return give(at::addmm(T(bias), T(a), T(b), beta, alpha));
  ALT_CATCH(nullptr)
}
