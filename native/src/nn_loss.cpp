// Fused loss functions for torch.nn.functional. reduction: 0 none, 1 mean, 2 sum (at::Reduction's numbering).
#include <ATen/ATen.h>
#include "nn_common.h"

using namespace alt;

ALT_API THandle alt_nn_cross_entropy(THandle x, THandle target, THandle weight, int64_t reduction, int64_t ignore_index,
                                     double label_smoothing) {
  ALT_TRY
  return give(at::cross_entropy_loss(T(x), T(target), opt(weight), reduction, ignore_index, label_smoothing));
  ALT_CATCH(nullptr)
}

ALT_API THandle alt_nn_nll_loss(THandle x, THandle target, THandle weight, int64_t reduction, int64_t ignore_index) {
  ALT_TRY
  return give(at::nll_loss_nd(T(x), T(target), opt(weight), reduction, ignore_index));
  ALT_CATCH(nullptr)
}

ALT_API THandle alt_nn_bce(THandle x, THandle target, THandle weight, int64_t reduction) {
  ALT_TRY
  return give(at::binary_cross_entropy(T(x), T(target), opt(weight), reduction));
  ALT_CATCH(nullptr)
}

ALT_API THandle alt_nn_bce_with_logits(THandle x, THandle target, THandle weight, THandle pos_weight, int64_t reduction) {
  ALT_TRY
  return give(at::binary_cross_entropy_with_logits(T(x), T(target), opt(weight), opt(pos_weight), reduction));
  ALT_CATCH(nullptr)
}

// kind: 0 mse, 1 l1, 2 smooth_l1 (beta), 3 huber (delta = beta), 4 kl_div (log_target = beta != 0).
ALT_API THandle alt_nn_pointwise_loss(THandle x, THandle target, int kind, int64_t reduction, double beta) {
  ALT_TRY
  switch (kind) {
    case 0: return give(at::mse_loss(T(x), T(target), reduction));
    case 1: return give(at::l1_loss(T(x), T(target), reduction));
    case 2: return give(at::smooth_l1_loss(T(x), T(target), reduction, beta));
    case 3: return give(at::huber_loss(T(x), T(target), reduction, beta));
    case 4: return give(at::kl_div(T(x), T(target), reduction, beta != 0));
    default: throw std::invalid_argument("unknown loss kind");
  }
  ALT_CATCH(nullptr)
}
