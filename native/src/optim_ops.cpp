// Fused element-wise ops that PyTorch's optimizers use (addcmul_, addcdiv_, maximum(out=)). Calling the same
// ATen kernels as torch/optim/*.py keeps the parameter trajectories identical, not merely close: a fused
// self + value * a * b rounds differently from the unfused mul-then-add.
#include "common.h"

using namespace alt;

// self + value * a * b (Tensor.addcmul).
ALT_API THandle alt_addcmul(THandle self, THandle a, THandle b, double value) {
  ALT_TRY return give(at::addcmul(T(self), T(a), T(b), value));
  ALT_CATCH(nullptr)
}

// self += value * a * b (Tensor.addcmul_).
ALT_API int alt_addcmul_(THandle self, THandle a, THandle b, double value) {
  ALT_TRY const_cast<at::Tensor&>(T(self)).addcmul_(T(a), T(b), value);
  return 0;
  ALT_CATCH(-1)
}

// self + value * a / b (Tensor.addcdiv).
ALT_API THandle alt_addcdiv(THandle self, THandle a, THandle b, double value) {
  ALT_TRY return give(at::addcdiv(T(self), T(a), T(b), value));
  ALT_CATCH(nullptr)
}

// self += value * a / b (Tensor.addcdiv_).
ALT_API int alt_addcdiv_(THandle self, THandle a, THandle b, double value) {
  ALT_TRY const_cast<at::Tensor&>(T(self)).addcdiv_(T(a), T(b), value);
  return 0;
  ALT_CATCH(-1)
}

// torch.maximum(a, b, out=out): writes into out's storage (AMSGrad's running maximum).
ALT_API int alt_maximum_out(THandle out, THandle a, THandle b) {
  ALT_TRY at::maximum_out(const_cast<at::Tensor&>(T(out)), T(a), T(b));
  return 0;
  ALT_CATCH(-1)
}
