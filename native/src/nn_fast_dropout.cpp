// Dropout with a counter-based mask. Same distribution and scaling as at::dropout (keep with probability 1 - p,
// kept values scaled by 1 / (1 - p)), but the mask comes from a splitmix64 hash of (seed, element index) with the
// seed drawn once from the CPU generator: vectorizable, parallel and thread-count independent. Debian's libtorch has
// no MKL, so at::dropout's bernoulli_ draws every element serially under the generator's lock (a quarter of the
// audio CNN+Transformer's training step). The mask differs from PyTorch's for the same seed, so this is opt-in.
#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <mutex>
#include "nn_common.h"

using namespace alt;

namespace {
inline uint64_t mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}
}  // namespace

ALT_API THandle alt_nn_dropout_fast(THandle x, double p) {
  ALT_TRY
  const at::Tensor& input = T(x);
  TORCH_CHECK(input.device().is_cpu(), "fast dropout is CPU-only");
  TORCH_CHECK(at::isFloatingType(input.scalar_type()), "dropout needs a floating-point tensor, got ", input.scalar_type());
  if (p == 0 || input.numel() == 0) return give(input.clone());
  if (p == 1) return give(input * at::zeros_like(input));
  uint64_t seed;
  {
    auto g = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(g.mutex());
    seed = at::check_generator<at::CPUGeneratorImpl>(g)->random64();
  }
  const double q = 1 - p;
  const uint64_t threshold = static_cast<uint64_t>(q * 4294967296.0);  // keep when the 32-bit draw is below
  auto mask = at::empty(input.sizes(), input.options().requires_grad(false).memory_format(at::MemoryFormat::Contiguous));
  const int64_t n = mask.numel();
  AT_DISPATCH_FLOATING_TYPES(mask.scalar_type(), "alt_nn_dropout_fast", [&] {
    scalar_t* m = mask.data_ptr<scalar_t>();
    const scalar_t keep = static_cast<scalar_t>(1 / q);
    at::parallel_for(0, (n + 1) / 2, 32768, [&](int64_t begin, int64_t end) {
      for (int64_t k = begin; k < end; k++) {
        const uint64_t r = mix(seed + static_cast<uint64_t>(k + 1) * 0x9E3779B97F4A7C15ULL);
        const int64_t i = 2 * k;
        m[i] = (r & 0xFFFFFFFFULL) < threshold ? keep : scalar_t(0);
        if (i + 1 < n) m[i + 1] = (r >> 32) < threshold ? keep : scalar_t(0);
      }
    });
  });
  return give(input * mask);
  ALT_CATCH(nullptr)
}
