// Fused functional layers for torch.nn.functional: convolution, pooling, normalization, dropout, linear,
// activations with parameters, padding, resampling, embedding. Each is one libtorch call so a layer's forward
// crosses the ABI once.
#include <ATen/ATen.h>
#include "nn_common.h"
#include "random_bernoulli.h"

using namespace alt;

namespace {
// Kernel taps that only ever meet zero padding (e.g. the outer columns of a 3x3 kernel on a one-pixel-wide map, as
// in the audio ResNet's last stages on 13 MFCC coefficients) contribute exact zeros. Convolving with the live taps
// alone and the padding reduced to match gives the same outputs at a third of the work, and autograd through the
// narrowed weight gives the dead taps their exact zero gradient. Returns false where nothing is dead or the
// trimmed convolution would not have the same output positions (then the caller convolves as given).
bool trim_dead_taps(const at::Tensor& x, at::Tensor& w, at::IntArrayRef stride, std::vector<int64_t>& padding,
                    at::IntArrayRef dilation, int nd) {
  if (x.dim() != nd + 2 || w.dim() != nd + 2) return false;
  bool trimmed = false;
  for (int i = 0; i < nd; i++) {
    const int64_t in = x.size(2 + i), k = w.size(2 + i), st = stride[i], p = padding[i], dl = dilation[i];
    const int64_t span = in + 2 * p - dl * (k - 1) - 1;
    if (span < 0 || st <= 0) return false;  // libtorch reports the error
    const int64_t out = span / st + 1;
    int64_t lo = k, hi = -1;
    for (int64_t t = 0; t < k; t++)
      for (int64_t o = 0; o < out; o++) {
        const int64_t pos = o * st - p + t * dl;
        if (pos >= 0 && pos < in) {
          lo = std::min(lo, t);
          hi = std::max(hi, t);
          break;
        }
      }
    if (hi < 0 || (lo == 0 && hi == k - 1)) continue;
    const int64_t k2 = hi - lo + 1, p2 = p - lo * dl;
    if (p2 < 0) continue;
    const int64_t span2 = in + 2 * p2 - dl * (k2 - 1) - 1;
    if (span2 < 0 || span2 / st + 1 != out) continue;
    w = w.narrow(2 + i, lo, k2);
    padding[i] = p2;
    trimmed = true;
  }
  return trimmed;
}
}  // namespace

// padding_mode: 0 explicit (padding array), 1 "same", 2 "valid". nd: spatial dimensions (1, 2 or 3).
ALT_API THandle alt_nn_conv(THandle x, THandle w, THandle b, const int64_t* stride, const int64_t* padding,
                            const int64_t* dilation, int nd, int64_t groups, int padding_mode) {
  ALT_TRY
  auto s = sizes(stride, nd), d = sizes(dilation, nd);
  auto bias = opt(b);
  if (padding_mode != 0) {
    c10::string_view mode = padding_mode == 1 ? "same" : "valid";
    switch (nd) {
      case 1: return give(at::conv1d(T(x), T(w), bias, s, mode, d, groups));
      case 2: return give(at::conv2d(T(x), T(w), bias, s, mode, d, groups));
      default: return give(at::conv3d(T(x), T(w), bias, s, mode, d, groups));
    }
  }
  std::vector<int64_t> p(padding, padding + nd);
  at::Tensor weight = T(w);
  trim_dead_taps(T(x), weight, s, p, d, nd);
  switch (nd) {
    case 1: return give(at::conv1d(T(x), weight, bias, s, p, d, groups));
    case 2: return give(at::conv2d(T(x), weight, bias, s, p, d, groups));
    default: return give(at::conv3d(T(x), weight, bias, s, p, d, groups));
  }
  ALT_CATCH(nullptr)
}

ALT_API THandle alt_nn_conv_transpose(THandle x, THandle w, THandle b, const int64_t* stride, const int64_t* padding,
                                      const int64_t* output_padding, const int64_t* dilation, int nd, int64_t groups) {
  ALT_TRY
  auto s = sizes(stride, nd), p = sizes(padding, nd), op = sizes(output_padding, nd), d = sizes(dilation, nd);
  auto bias = opt(b);
  switch (nd) {
    case 1: return give(at::conv_transpose1d(T(x), T(w), bias, s, p, op, groups, d));
    case 2: return give(at::conv_transpose2d(T(x), T(w), bias, s, p, op, groups, d));
    default: return give(at::conv_transpose3d(T(x), T(w), bias, s, p, op, groups, d));
  }
  ALT_CATCH(nullptr)
}

ALT_API THandle alt_nn_max_pool(THandle x, const int64_t* kernel, const int64_t* stride, const int64_t* padding,
                                const int64_t* dilation, int nd, int ceil_mode) {
  ALT_TRY
  auto k = sizes(kernel, nd), s = sizes(stride, nd), p = sizes(padding, nd), d = sizes(dilation, nd);
  switch (nd) {
    case 1: return give(at::max_pool1d(T(x), k, s, p, d, ceil_mode != 0));
    case 2: return give(at::max_pool2d(T(x), k, s, p, d, ceil_mode != 0));
    default: return give(at::max_pool3d(T(x), k, s, p, d, ceil_mode != 0));
  }
  ALT_CATCH(nullptr)
}

// divisor_override <= 0 means none (avg_pool1d has no divisor override in PyTorch either).
ALT_API THandle alt_nn_avg_pool(THandle x, const int64_t* kernel, const int64_t* stride, const int64_t* padding, int nd,
                                int ceil_mode, int count_include_pad, int64_t divisor_override) {
  ALT_TRY
  auto k = sizes(kernel, nd), s = sizes(stride, nd), p = sizes(padding, nd);
  c10::optional<int64_t> div = divisor_override > 0 ? c10::optional<int64_t>(divisor_override) : c10::nullopt;
  switch (nd) {
    case 1: return give(at::avg_pool1d(T(x), k, s, p, ceil_mode != 0, count_include_pad != 0));
    case 2: return give(at::avg_pool2d(T(x), k, s, p, ceil_mode != 0, count_include_pad != 0, div));
    default: return give(at::avg_pool3d(T(x), k, s, p, ceil_mode != 0, count_include_pad != 0, div));
  }
  ALT_CATCH(nullptr)
}

// is_max selects adaptive max pooling (indices are dropped).
ALT_API THandle alt_nn_adaptive_pool(THandle x, const int64_t* output_size, int nd, int is_max) {
  ALT_TRY
  auto o = sizes(output_size, nd);
  if (is_max) {
    switch (nd) {
      case 1: return give(std::get<0>(at::adaptive_max_pool1d(T(x), o)));
      case 2: return give(std::get<0>(at::adaptive_max_pool2d(T(x), o)));
      default: return give(std::get<0>(at::adaptive_max_pool3d(T(x), o)));
    }
  }
  switch (nd) {
    case 1: return give(at::adaptive_avg_pool1d(T(x), o));
    case 2: return give(at::adaptive_avg_pool2d(T(x), o));
    default: return give(at::adaptive_avg_pool3d(T(x), o));
  }
  ALT_CATCH(nullptr)
}

// Running statistics (when given) are updated in place in training mode, as in PyTorch.
ALT_API THandle alt_nn_batch_norm(THandle x, THandle w, THandle b, THandle running_mean, THandle running_var,
                                  int training, double momentum, double eps) {
  ALT_TRY
  return give(at::batch_norm(T(x), opt(w), opt(b), opt(running_mean), opt(running_var), training != 0, momentum, eps,
                             at::globalContext().userEnabledCuDNN()));
  ALT_CATCH(nullptr)
}

ALT_API THandle alt_nn_layer_norm(THandle x, const int64_t* shape, int n, THandle w, THandle b, double eps) {
  ALT_TRY
  return give(at::layer_norm(T(x), sizes(shape, n), opt(w), opt(b), eps, at::globalContext().userEnabledCuDNN()));
  ALT_CATCH(nullptr)
}

ALT_API THandle alt_nn_group_norm(THandle x, int64_t groups, THandle w, THandle b, double eps) {
  ALT_TRY
  return give(at::group_norm(T(x), groups, opt(w), opt(b), eps, at::globalContext().userEnabledCuDNN()));
  ALT_CATCH(nullptr)
}

// kind: 0 dropout, 1 feature (channel) dropout as dropout2d/3d, 2 alpha dropout.
ALT_API THandle alt_nn_dropout(THandle x, double p, int train, int kind) {
  ALT_TRY
  switch (kind) {
    case 1: return give(dropout_exact(T(x), p, train != 0, true));
    case 2: return give(at::alpha_dropout(T(x), p, train != 0));
    default: return give(dropout_exact(T(x), p, train != 0, false));
  }
  ALT_CATCH(nullptr)
}

ALT_API THandle alt_nn_linear(THandle x, THandle w, THandle b) {
  ALT_TRY
  return give(at::linear(T(x), T(w), opt(b)));
  ALT_CATCH(nullptr)
}

// Activations that take parameters. kind: 0 leaky_relu(a), 1 elu(a = alpha), 2 gelu (a != 0: tanh approximation),
// 3 softplus(a = beta, b = threshold), 4 hardtanh(a, b), 5 celu(a), 6 prelu (unused), 7 threshold(a, b),
// 8 softsign, 9 logsigmoid, 10 relu6.
ALT_API THandle alt_nn_activation(THandle x, int kind, double a, double b) {
  ALT_TRY
  const auto& t = T(x);
  switch (kind) {
    case 0: return give(at::leaky_relu(t, a));
    case 1: return give(at::elu(t, a));
    case 2: return give(at::gelu(t, a != 0 ? "tanh" : "none"));
    case 3: return give(at::softplus(t, a, b));
    case 4: return give(at::hardtanh(t, a, b));
    case 5: return give(at::celu(t, a));
    case 7: return give(at::threshold(t, a, b));
    case 8: return give(t / (t.abs() + 1));
    case 9: return give(at::log_sigmoid(t));
    case 10: return give(at::hardtanh(t, 0.0, 6.0));
    default: throw std::invalid_argument("unknown activation kind");
  }
  ALT_CATCH(nullptr)
}

// mode: "constant", "reflect", "replicate", "circular" (PyTorch's F.pad).
ALT_API THandle alt_nn_pad(THandle x, const int64_t* pad, int n, const char* mode, double value) {
  ALT_TRY
  std::string m(mode);
  c10::optional<double> v = m == "constant" ? c10::optional<double>(value) : c10::nullopt;
  return give(at::pad(T(x), sizes(pad, n), m, v));
  ALT_CATCH(nullptr)
}

// mode: 0 nearest, 1 linear, 2 bilinear, 3 bicubic, 4 trilinear. Either output sizes (n > 0) or scale factors.
ALT_API THandle alt_nn_interpolate(THandle x, const int64_t* size, int n_size, const double* scales, int n_scales, int mode,
                                   int align_corners) {
  ALT_TRY
  at::OptionalIntArrayRef out = n_size > 0 ? at::OptionalIntArrayRef(sizes(size, n_size)) : c10::nullopt;
  c10::optional<at::ArrayRef<double>> sc =
      n_scales > 0 ? c10::optional<at::ArrayRef<double>>(at::ArrayRef<double>(scales, n_scales)) : c10::nullopt;
  const auto& t = T(x);
  bool ac = align_corners != 0;
  switch (mode) {
    case 0:
      switch (t.dim()) {
        case 3: return give(at::upsample_nearest1d(t, out, sc));
        case 4: return give(at::upsample_nearest2d(t, out, sc));
        case 5: return give(at::upsample_nearest3d(t, out, sc));
      }
      break;
    case 1: if (t.dim() == 3) return give(at::upsample_linear1d(t, out, ac, sc)); break;
    case 2: if (t.dim() == 4) return give(at::upsample_bilinear2d(t, out, ac, sc)); break;
    case 3: if (t.dim() == 4) return give(at::upsample_bicubic2d(t, out, ac, sc)); break;
    case 4: if (t.dim() == 5) return give(at::upsample_trilinear3d(t, out, ac, sc)); break;
  }
  throw std::invalid_argument("interpolate: this mode does not support a " + std::to_string(t.dim()) + "-D input");
  ALT_CATCH(nullptr)
}

ALT_API THandle alt_nn_affine_grid(THandle theta, const int64_t* size, int n, int align_corners) {
  ALT_TRY
  return give(at::affine_grid_generator(T(theta), sizes(size, n), align_corners != 0));
  ALT_CATCH(nullptr)
}

// interpolation: 0 bilinear, 1 nearest, 2 bicubic; padding: 0 zeros, 1 border, 2 reflection (PyTorch's enums).
ALT_API THandle alt_nn_grid_sample(THandle x, THandle grid, int interpolation, int padding, int align_corners) {
  ALT_TRY
  return give(at::grid_sampler(T(x), T(grid), interpolation, padding, align_corners != 0));
  ALT_CATCH(nullptr)
}

ALT_API THandle alt_nn_one_hot(THandle x, int64_t num_classes) {
  ALT_TRY
  return give(at::one_hot(T(x), num_classes));
  ALT_CATCH(nullptr)
}

ALT_API THandle alt_nn_embedding(THandle weight, THandle indices, int64_t padding_idx, int scale_grad, int sparse) {
  ALT_TRY
  return give(at::embedding(T(weight), T(indices), padding_idx, scale_grad != 0, sparse != 0));
  ALT_CATCH(nullptr)
}

ALT_API THandle alt_nn_baddbmm(THandle self, THandle a, THandle b, double beta, double alpha) {
  ALT_TRY
  return give(at::baddbmm(T(self), T(a), T(b), beta, alpha));
  ALT_CATCH(nullptr)
}

// Reduced QR decomposition (torch.linalg.qr, mode "reduced"), for nn.init.orthogonal_.
ALT_API int alt_nn_linalg_qr(THandle x, THandle* q, THandle* r) {
  ALT_TRY
  auto qr = at::linalg_qr(T(x), "reduced");
  *q = give(std::move(std::get<0>(qr)));
  *r = give(std::move(std::get<1>(qr)));
  return 0;
  ALT_CATCH(-1)
}
