// Helpers shared by the nn_*.cpp files (functional layers, losses, recurrent nets).
#pragma once
#include "common.h"

namespace alt {
// A null handle is an absent optional tensor (e.g. a layer without bias).
inline c10::optional<at::Tensor> opt(THandle h) {
  if (!h) return c10::nullopt;
  return T(h);
}
inline at::Tensor or_undefined(THandle h) { return h ? T(h) : at::Tensor(); }
}  // namespace alt
