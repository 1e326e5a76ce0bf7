// Exact fast Bernoulli draws and dropout (random_bernoulli.cpp).
#pragma once
#include <ATen/ATen.h>

namespace alt {
// Fills `self` as self.bernoulli_(p, gen) would, then divides by scale_divisor when it is > 0 (dropout's noise).
// Returns false, touching nothing, where the fast path does not apply; the caller then uses libtorch.
bool fast_bernoulli_fill(at::Tensor& self, double p, const c10::optional<at::Generator>& gen, double scale_divisor);
// at::dropout / at::feature_dropout with the noise drawn by fast_bernoulli_fill: the same result and generator state.
at::Tensor dropout_exact(const at::Tensor& input, double p, bool train, bool feature);
}  // namespace alt
