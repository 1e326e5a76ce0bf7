// Bernoulli draws identical to libtorch's CPU bernoulli_(p), bit for bit and with the same generator state after,
// only faster. Debian's libtorch has no MKL, so bernoulli_ (and at::dropout, which calls it) takes libtorch's
// default kernel: per element, under the generator's lock, two mt19937 words -> random64 -> a 53-bit uniform double
// -> (u < p). Each element goes through a virtual-free but branchy one-word-at-a-time engine call (~11 ns). Here the
// same mt19937 stream is produced a block at a time (twist and tempering over arrays the compiler vectorizes) and
// the comparison runs over the block, about 1.5 ns per element. The stream, the element order (memory order of a
// contiguous tensor, as TensorIterator's serial loop) and the engine state written back are libtorch's; tests
// compare masks and the draws after them with at::bernoulli_. Anything else (non-contiguous, other dtypes, CUDA,
// tensors that require grad) goes to libtorch.
#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/core/MT19937RNGEngine.h>
#include <mutex>
#include "random_bernoulli.h"

namespace alt {
namespace {

constexpr int kN = at::MERSENNE_STATE_N;  // 624
constexpr int kM = at::MERSENNE_STATE_M;  // 397
constexpr uint32_t kMatrixA = 0x9908b0df;
constexpr uint32_t kUpper = 0x80000000;
constexpr uint32_t kLower = 0x7fffffff;

inline uint32_t twist(uint32_t u, uint32_t v) {
  return (((u & kUpper) | (v & kLower)) >> 1) ^ ((v & 1) ? kMatrixA : 0u);
}

// at::mt19937_engine::next_state, written as three index loops so each vectorizes (reads run ahead of writes in
// the first, 227 words behind in the second).
void next_state(at::mt19937_data_pod& d) {
  uint32_t* s = d.state_.data();
  for (int i = 0; i < kN - kM; i++) s[i] = s[i + kM] ^ twist(s[i], s[i + 1]);
  for (int i = kN - kM; i < kN - 1; i++) s[i] = s[i + kM - kN] ^ twist(s[i], s[i + 1]);
  s[kN - 1] = s[kM - 1] ^ twist(s[kN - 1], s[0]);
  d.left_ = kN;
  d.next_ = 0;
}

inline uint32_t temper(uint32_t y) {
  y ^= (y >> 11);
  y ^= (y << 7) & 0x9d2c5680;
  y ^= (y << 15) & 0xefc60000;
  y ^= (y >> 18);
  return y;
}

// The next `count` outputs of the engine whose state is `d`, as `count` calls of mt19937_engine::operator() would
// give them (and leave the state). An output is consumed when --left reaches 0 first regenerates the block.
void draw_words(at::mt19937_data_pod& d, uint32_t* out, int64_t count) {
  while (count > 0) {
    if (d.left_ <= 1) {
      next_state(d);      // left = N, next = 0 ...
      d.left_ = kN + 1;   // ... and the call that regenerated takes word 0 without a further decrement
    }
    const int64_t take = std::min<int64_t>(count, d.left_ - 1);
    const uint32_t* s = d.state_.data() + d.next_;
    for (int64_t i = 0; i < take; i++) out[i] = temper(s[i]);
    d.next_ += static_cast<uint32_t>(take);
    d.left_ -= static_cast<int>(take);
    out += take;
    count -= take;
  }
}

template <typename scalar_t>
void fill_bernoulli(at::mt19937_data_pod& d, scalar_t* out, int64_t n, double p, scalar_t one, scalar_t zero) {
  constexpr int64_t kChunk = 2048;  // elements per round (4096 words on the stack)
  uint32_t words[2 * kChunk];
  constexpr uint64_t kMask53 = (uint64_t(1) << 53) - 1;
  constexpr double kDivisor = 1.0 / static_cast<double>(uint64_t(1) << 53);
  for (int64_t start = 0; start < n; start += kChunk) {
    const int64_t m = std::min(kChunk, n - start);
    draw_words(d, words, 2 * m);
    scalar_t* o = out + start;
    for (int64_t i = 0; i < m; i++) {
      // CPUGeneratorImpl::random64: the first word is the high half. uniform_real<double> keeps 53 bits.
      const uint64_t r = (static_cast<uint64_t>(words[2 * i]) << 32) | words[2 * i + 1];
      const double u = static_cast<double>(r & kMask53) * kDivisor;
      o[i] = u < p ? one : zero;
    }
  }
}

}  // namespace

bool fast_bernoulli_fill(at::Tensor& self, double p, const c10::optional<at::Generator>& gen, double scale_divisor) {
  if (!self.device().is_cpu() || !self.is_contiguous() || self.requires_grad() || self.numel() == 0) return false;
  const auto dtype = self.scalar_type();
  if (dtype != at::kFloat && dtype != at::kDouble) return false;
  if (!(p >= 0 && p <= 1)) return false;  // libtorch raises its own error
  at::Generator g = gen.has_value() && gen->defined() ? *gen : at::detail::getDefaultCPUGenerator();
  if (g.device().type() != at::kCPU) return false;
  auto* impl = at::check_generator<at::CPUGeneratorImpl>(g);
  std::lock_guard<std::mutex> lock(g.mutex());
  at::mt19937 engine = impl->engine();
  at::mt19937_data_pod d = engine.data();
  const int64_t n = self.numel();
  if (dtype == at::kFloat) {
    // noise.bernoulli_(q).div_(q) in float: the kept value is 1.0f / float(q), as the div kernel computes it.
    const float one = scale_divisor > 0 ? 1.0f / static_cast<float>(scale_divisor) : 1.0f;
    fill_bernoulli<float>(d, self.data_ptr<float>(), n, p, one, 0.0f);
  } else {
    const double one = scale_divisor > 0 ? 1.0 / scale_divisor : 1.0;
    fill_bernoulli<double>(d, self.data_ptr<double>(), n, p, one, 0.0);
  }
  engine.set_data(d);
  impl->set_engine(engine);
  self.unsafeGetTensorImpl()->bump_version();
  return true;
}

at::Tensor dropout_exact(const at::Tensor& input, double p, bool train, bool feature) {
  TORCH_CHECK(p >= 0 && p <= 1, "dropout probability has to be between 0 and 1, but got ", p);
  if (p == 0 || p == 1 || !train || input.numel() == 0 || !input.device().is_cpu())
    return feature ? at::feature_dropout(input, p, train) : at::dropout(input, p, train);
  // at::native's _dropout_impl: noise = empty_like(input) (or [N, C, 1, ...] for feature dropout), bernoulli_(1 - p),
  // div_(1 - p), input * noise (autograd keeps noise for the backward, as there).
  at::Tensor noise;
  if (feature) {
    TORCH_CHECK(input.dim() >= 2, "Feature dropout requires at least 2 dimensions in the input");
    std::vector<int64_t> shape(input.dim(), 1);
    shape[0] = input.size(0);
    shape[1] = input.size(1);
    noise = at::empty(shape, input.options().requires_grad(false));
  } else {
    noise = at::empty_like(input, input.options().requires_grad(false), at::MemoryFormat::Contiguous);
  }
  const double q = 1 - p;
  if (!fast_bernoulli_fill(noise, q, c10::nullopt, q)) {
    return feature ? at::feature_dropout(input, p, train) : at::dropout(input, p, train);
  }
  return input * noise;
}

}  // namespace alt
