// One pass per parameter for Adam and AdamW, rounding exactly as PyTorch 1.13's _single_tensor_adam(w) does with
// this libtorch. PyTorch runs 7-9 separate ATen kernels per parameter (mul_, add_, mul_, addcmul_, sqrt, div,
// add_, addcdiv_), each reading and writing whole tensors; on ResNet-sized models that is ~10 % of a CPU step.
// The per-element arithmetic below is the one those vectorized kernels perform in float32 on AVX2/AVX-512
// (checked element for element against the op-by-op path in the tests): add_(x, alpha) is fma(x, alpha, self),
// addcmul_ is fma(value * t1, t2, self), div and addcdiv are not fused. On a CPU where ATen runs its scalar
// (non-FMA) kernels, or for anything but dense float32 CPU tensors of one layout, the caller keeps the op-by-op path.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <cmath>
#include <cstdlib>
#include <string>
#include "common.h"

using namespace alt;

namespace {

// Element-wise over memory: every tensor must be dense float32 on the CPU with the parameter's exact layout (a
// channels_last weight, its gradient and its moments share strides), so memory position k is one element in all.
// Strides of size-1 dimensions do not matter (a 1x1 conv weight is contiguous in both layouts), as in autograd's
// layout contract for gradients.
bool fusable(const at::Tensor& t, const at::Tensor& param) {
  if (!t.defined() || !t.device().is_cpu() || t.scalar_type() != at::kFloat || t.is_sparse() ||
      !t.is_non_overlapping_and_dense() || !t.sizes().equals(param.sizes()))
    return false;
  for (int64_t d = 0; d < t.dim(); d++)
    if (t.size(d) != 1 && t.stride(d) != param.stride(d)) return false;
  return true;
}

struct AdamScalars {
  float beta1, one_minus_beta1, beta2, one_minus_beta2, bias_correction2_sqrt, eps, neg_step_size, weight_decay,
      decay_factor;
  bool maximize, l2, decoupled, amsgrad;
};

// Specialized on the flags so the loop has no branches and vectorizes (AVX2 + FMA, 8 floats per instruction).
template <bool Maximize, bool L2, bool Decoupled, bool AmsGrad>
__attribute__((target("avx2,fma"))) void adam_range(const AdamScalars& s, float* __restrict p,
                                                    const float* __restrict g, float* __restrict m,
                                                    float* __restrict v, float* __restrict vmax, int64_t begin,
                                                    int64_t end) {
  const float beta1 = s.beta1, one_minus_beta1 = s.one_minus_beta1, beta2 = s.beta2,
              one_minus_beta2 = s.one_minus_beta2, bc2_sqrt = s.bias_correction2_sqrt, eps = s.eps,
              neg_step_size = s.neg_step_size, weight_decay = s.weight_decay, decay_factor = s.decay_factor;
  for (int64_t i = begin; i < end; i++) {
    float grad = Maximize ? -g[i] : g[i];
    float param = p[i];
    if (L2) grad = std::fma(param, weight_decay, grad);  // grad.add(param, alpha=weight_decay)
    if (Decoupled) param = param * decay_factor;         // param.mul_(1 - lr * weight_decay)
    const float mi = std::fma(grad, one_minus_beta1, m[i] * beta1);         // exp_avg.mul_(b1).add_(g, 1 - b1)
    const float vi = std::fma(one_minus_beta2 * grad, grad, v[i] * beta2);  // exp_avg_sq.mul_(b2).addcmul_(g, g, 1 - b2)
    m[i] = mi;
    v[i] = vi;
    float second = vi;
    if (AmsGrad) {
      const float old = vmax[i];
      second = (old != old || old > vi) ? old : vi;  // torch.maximum(max, v): NaN wins
      vmax[i] = second;
    }
    const float denom = __builtin_sqrtf(second) / bc2_sqrt + eps;  // (sqrt(v) / bc2_sqrt).add_(eps)
    p[i] = param + (neg_step_size * mi) / denom;                    // param.addcdiv_(m, denom, -step_size)
  }
}

using AdamRange = void (*)(const AdamScalars&, float*, const float*, float*, float*, float*, int64_t, int64_t);

template <bool Maximize, bool L2, bool Decoupled>
AdamRange pick(bool amsgrad) {
  return amsgrad ? adam_range<Maximize, L2, Decoupled, true> : adam_range<Maximize, L2, Decoupled, false>;
}

AdamRange pick(const AdamScalars& s) {
  if (s.maximize) {
    if (s.l2) return pick<true, true, false>(s.amsgrad);
    return s.decoupled ? pick<true, false, true>(s.amsgrad) : pick<true, false, false>(s.amsgrad);
  }
  if (s.l2) return pick<false, true, false>(s.amsgrad);
  return s.decoupled ? pick<false, false, true>(s.amsgrad) : pick<false, false, false>(s.amsgrad);
}

// ATen picks its AVX2 or AVX-512 kernels (both fuse a + alpha * b) on a CPU with AVX2 + FMA unless
// ATEN_CPU_CAPABILITY=default forces the scalar ones (libtorch does not export its own query).
bool cpu_has_fma_kernels() {
  const char* forced = std::getenv("ATEN_CPU_CAPABILITY");
  if (forced && std::string(forced) == "default") return false;
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

}  // namespace

// Returns 1 when it updated the tensors, 0 when the fused path does not apply (nothing touched), -1 on error.
// step is the step count after this step's increment; decoupled = AdamW (weight_decay multiplies the parameter).
ALT_API int alt_adam_fused_step(THandle param, THandle grad, THandle exp_avg, THandle exp_avg_sq, THandle max_exp_avg_sq,
                                double lr, double beta1, double beta2, double eps, double weight_decay, double step,
                                int maximize, int decoupled) {
  ALT_TRY
  static const bool supported = cpu_has_fma_kernels();
  const at::Tensor& p = T(param);
  const at::Tensor& g = T(grad);
  const at::Tensor& m = T(exp_avg);
  const at::Tensor& v = T(exp_avg_sq);
  const bool amsgrad = max_exp_avg_sq != nullptr;
  if (!supported || !fusable(p, p) || !fusable(g, p) || !fusable(m, p) || !fusable(v, p) ||
      (amsgrad && !fusable(T(max_exp_avg_sq), p)) || g.requires_grad())
    return 0;
  const double bias_correction1 = 1 - std::pow(beta1, step);
  const double bias_correction2 = 1 - std::pow(beta2, step);
  AdamScalars s;
  // Scalars reach ATen's float kernels as doubles and are rounded to float there; the same here.
  s.beta1 = static_cast<float>(beta1);
  s.one_minus_beta1 = static_cast<float>(1 - beta1);
  s.beta2 = static_cast<float>(beta2);
  s.one_minus_beta2 = static_cast<float>(1 - beta2);
  s.bias_correction2_sqrt = static_cast<float>(std::sqrt(bias_correction2));
  s.eps = static_cast<float>(eps);
  s.neg_step_size = static_cast<float>(-(lr / bias_correction1));
  s.weight_decay = static_cast<float>(weight_decay);
  s.decay_factor = static_cast<float>(1 - lr * weight_decay);
  s.maximize = maximize != 0;
  s.decoupled = decoupled != 0;
  s.l2 = !s.decoupled && weight_decay != 0;
  s.amsgrad = amsgrad;
  float* pp = p.data_ptr<float>();
  const float* gp = g.data_ptr<float>();
  float* mp = m.data_ptr<float>();
  float* vp = v.data_ptr<float>();
  float* xp = amsgrad ? T(max_exp_avg_sq).data_ptr<float>() : nullptr;
  const AdamRange range = pick(s);
  at::parallel_for(0, p.numel(), 16384, [&](int64_t begin, int64_t end) { range(s, pp, gp, mp, vp, xp, begin, end); });
  for (const at::Tensor* t : {&p, &m, &v}) t->unsafeGetTensorImpl()->bump_version();
  if (amsgrad) T(max_exp_avg_sq).unsafeGetTensorImpl()->bump_version();
  return 1;
  ALT_CATCH(-1)
}
