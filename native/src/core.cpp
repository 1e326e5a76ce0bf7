// Errors, lifetime, metadata, data transfer, factories, random generators, threads and grad mode.
#include "common.h"
#include "random_bernoulli.h"
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <ATen/core/grad_mode.h>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <torch/version.h>

namespace alt {
thread_local std::string last_error;
thread_local bool has_error = false;
thread_local int last_kind = EK_GENERAL;

void set_error(const char* msg, int kind) {
  last_error = msg ? msg : "unknown native error";
  last_kind = kind;
  has_error = true;
}

int64_t give_list(std::vector<at::Tensor>&& list, THandle** out) {
  auto* buf = static_cast<THandle*>(std::malloc(sizeof(THandle) * (list.empty() ? 1 : list.size())));
  if (!buf) throw std::bad_alloc();
  for (size_t i = 0; i < list.size(); ++i) buf[i] = give(std::move(list[i]));
  *out = buf;
  return static_cast<int64_t>(list.size());
}
}  // namespace alt

using namespace alt;

// ---- errors -------------------------------------------------------------------------------------------------
// Returns the thread's last error (or null) and clears it; the pointer stays valid until the next call.
ALT_API const char* alt_take_error(int* kind) {
  if (!has_error) return nullptr;
  has_error = false;
  *kind = last_kind;
  return last_error.c_str();
}

ALT_API void alt_free_buffer(void* p) { std::free(p); }

// ---- lifetime and metadata ----------------------------------------------------------------------------------
ALT_API void alt_free(THandle h) {
  if (h) c10::intrusive_ptr<c10::TensorImpl, c10::UndefinedTensorImpl>::reclaim(h);
}

ALT_API THandle alt_alias(THandle h) { ALT_TRY return give(T(h)); ALT_CATCH(nullptr) }

ALT_API int alt_dim(THandle h) { ALT_TRY return static_cast<int>(T(h).dim()); ALT_CATCH(-1) }

ALT_API int alt_sizes(THandle h, int64_t* out) {
  ALT_TRY auto s = T(h).sizes();
  std::memcpy(out, s.data(), s.size() * sizeof(int64_t));
  return static_cast<int>(s.size());
  ALT_CATCH(-1)
}

ALT_API int alt_strides(THandle h, int64_t* out) {
  ALT_TRY auto s = T(h).strides();
  std::memcpy(out, s.data(), s.size() * sizeof(int64_t));
  return static_cast<int>(s.size());
  ALT_CATCH(-1)
}

ALT_API int64_t alt_numel(THandle h) { ALT_TRY return T(h).numel(); ALT_CATCH(-1) }
ALT_API int alt_dtype(THandle h) { ALT_TRY return static_cast<int>(T(h).scalar_type()); ALT_CATCH(-1) }
ALT_API int alt_device_type(THandle h) { ALT_TRY return static_cast<int>(T(h).device().type()); ALT_CATCH(-1) }
ALT_API int alt_device_index(THandle h) { ALT_TRY return T(h).device().index(); ALT_CATCH(-2) }
ALT_API int alt_is_contiguous(THandle h) { ALT_TRY return T(h).is_contiguous() ? 1 : 0; ALT_CATCH(-1) }

// Memory formats: c10::MemoryFormat's values (0 contiguous, 1 preserve, 2 channels_last, 3 channels_last_3d).
static at::MemoryFormat memory_format(int f) {
  TORCH_CHECK_VALUE(f >= 0 && f <= 3, "unknown memory format ", f);
  return static_cast<at::MemoryFormat>(f);
}
ALT_API int alt_is_contiguous_format(THandle h, int f) {
  ALT_TRY return T(h).is_contiguous(memory_format(f)) ? 1 : 0;
  ALT_CATCH(-1)
}
// Tensor.contiguous(memory_format=f) (f may not be preserve, as in PyTorch).
ALT_API THandle alt_contiguous_format(THandle h, int f) {
  ALT_TRY TORCH_CHECK_VALUE(f != 1, "contiguous() does not take preserve_format; use clone()");
  return give(T(h).contiguous(memory_format(f)));
  ALT_CATCH(nullptr)
}
ALT_API int64_t alt_element_size(THandle h) { ALT_TRY return T(h).element_size(); ALT_CATCH(-1) }
ALT_API int alt_requires_grad(THandle h) { ALT_TRY return T(h).requires_grad() ? 1 : 0; ALT_CATCH(-1) }
ALT_API int alt_is_leaf(THandle h) { ALT_TRY return T(h).is_leaf() ? 1 : 0; ALT_CATCH(-1) }

ALT_API int alt_set_requires_grad(THandle h, int value) {
  ALT_TRY T(h).set_requires_grad(value != 0);
  return 0;
  ALT_CATCH(-1)
}

ALT_API const char* alt_to_string(THandle h) {
  ALT_TRY std::ostringstream os;
  os << T(h);
  thread_local std::string s;
  s = os.str();
  return s.c_str();
  ALT_CATCH(nullptr)
}

// ---- data transfer ------------------------------------------------------------------------------------------
// Copies `nbytes` of host data, laid out contiguously in `dtype`, into a new CPU tensor of the given shape.
ALT_API THandle alt_from_data(const void* data, int64_t nbytes, const int64_t* shape, int ndim, int dtype,
                              int requires_grad) {
  ALT_TRY auto t = at::empty(sizes(shape, ndim), at::TensorOptions().dtype(static_cast<at::ScalarType>(dtype)));
  auto expected = static_cast<int64_t>(t.numel() * t.element_size());
  TORCH_CHECK(expected == nbytes, "data holds ", nbytes, " bytes but shape ", t.sizes(), " of ", t.scalar_type(),
              " needs ", expected);
  if (nbytes > 0) std::memcpy(t.data_ptr(), data, static_cast<size_t>(nbytes));
  if (requires_grad) t.set_requires_grad(true);
  return give(std::move(t));
  ALT_CATCH(nullptr)
}

// Copies the tensor's elements (any device, any layout) into a host buffer of exactly `nbytes`.
ALT_API int alt_copy_to(THandle h, void* dst, int64_t nbytes) {
  ALT_TRY auto t = T(h).detach().to(at::kCPU).contiguous();
  auto have = static_cast<int64_t>(t.numel() * t.element_size());
  TORCH_CHECK(have == nbytes, "destination holds ", nbytes, " bytes but the tensor has ", have);
  if (nbytes > 0) std::memcpy(dst, t.data_ptr(), static_cast<size_t>(nbytes));
  return 0;
  ALT_CATCH(-1)
}

// Pointer to the first element of a CPU contiguous tensor (for zero-copy reads); null otherwise.
ALT_API void* alt_data_ptr(THandle h) {
  ALT_TRY const auto& t = T(h);
  TORCH_CHECK(t.device().is_cpu(), "data_ptr needs a CPU tensor, got ", t.device());
  TORCH_CHECK(t.is_contiguous(), "data_ptr needs a contiguous tensor");
  return t.data_ptr();
  ALT_CATCH(nullptr)
}

ALT_API int alt_item(THandle h, double* d, int64_t* l) {
  ALT_TRY auto s = T(h).item();
  if (s.isIntegral(false)) {
    *l = s.toLong();
    *d = static_cast<double>(*l);
  } else if (s.isBoolean()) {
    *l = s.toBool() ? 1 : 0;
    *d = static_cast<double>(*l);
  } else {
    *d = s.toDouble();
    *l = static_cast<int64_t>(*d);
  }
  return 0;
  ALT_CATCH(-1)
}

ALT_API THandle alt_to(THandle h, int dtype, int device_type, int device_index, int non_blocking, int copy) {
  ALT_TRY const auto& t = T(h);
  auto st = dtype < 0 ? t.scalar_type() : static_cast<at::ScalarType>(dtype);
  auto dev = device_type < 0 ? t.device()
                             : at::Device(static_cast<at::DeviceType>(device_type),
                                          static_cast<c10::DeviceIndex>(device_index));
  return give(t.to(dev, st, non_blocking != 0, copy != 0));
  ALT_CATCH(nullptr)
}

// ---- factories ----------------------------------------------------------------------------------------------
#define ALT_FACTORY(name, expr)                                                                          \
  ALT_API THandle alt_##name(const int64_t* shape, int ndim, int dtype, int dev, int devidx, int rg) {  \
    ALT_TRY auto opts = options(dtype, dev, devidx);                                                     \
    return give(leaf(expr, rg));                                                                         \
    ALT_CATCH(nullptr)                                                                                   \
  }
ALT_FACTORY(zeros, at::zeros(sizes(shape, ndim), opts))
ALT_FACTORY(ones, at::ones(sizes(shape, ndim), opts))
ALT_FACTORY(empty, at::empty(sizes(shape, ndim), opts))

ALT_API THandle alt_full(const int64_t* shape, int ndim, double d, int64_t l, int kind, int dtype, int dev,
                         int devidx, int rg) {
  ALT_TRY return give(leaf(at::full(sizes(shape, ndim), scalar(d, l, kind), options(dtype, dev, devidx)), rg));
  ALT_CATCH(nullptr)
}

ALT_API THandle alt_arange(double start, double end, double step, int dtype, int dev, int devidx, int rg) {
  ALT_TRY auto opts = options(dtype, dev, devidx);
  bool integral = at::isIntegralType(static_cast<at::ScalarType>(dtype), true);
  if (integral)
    return give(leaf(at::arange(static_cast<int64_t>(start), static_cast<int64_t>(end), static_cast<int64_t>(step), opts), rg));
  return give(leaf(at::arange(start, end, step, opts), rg));
  ALT_CATCH(nullptr)
}

ALT_API THandle alt_linspace(double start, double end, int64_t steps, int dtype, int dev, int devidx, int rg) {
  ALT_TRY return give(leaf(at::linspace(start, end, steps, options(dtype, dev, devidx)), rg));
  ALT_CATCH(nullptr)
}

ALT_API THandle alt_eye(int64_t n, int64_t m, int dtype, int dev, int devidx, int rg) {
  ALT_TRY return give(leaf(at::eye(n, m, options(dtype, dev, devidx)), rg));
  ALT_CATCH(nullptr)
}

// ---- random -------------------------------------------------------------------------------------------------
// A generator handle owns a heap at::Generator; null means the global default generator.
using GHandle = at::Generator*;

ALT_API GHandle alt_generator_new(uint64_t seed) {
  ALT_TRY return new at::Generator(at::make_generator<at::CPUGeneratorImpl>(seed));
  ALT_CATCH(nullptr)
}
ALT_API void alt_generator_free(GHandle g) { delete g; }
ALT_API int alt_generator_manual_seed(GHandle g, uint64_t seed) {
  ALT_TRY std::lock_guard<std::mutex> lock(g->mutex());
  g->set_current_seed(seed);
  return 0;
  ALT_CATCH(-1)
}
ALT_API uint64_t alt_generator_initial_seed(GHandle g) { ALT_TRY return g->current_seed(); ALT_CATCH(0) }
ALT_API THandle alt_generator_get_state(GHandle g) {
  ALT_TRY std::lock_guard<std::mutex> lock(g->mutex());
  return give(g->get_state());
  ALT_CATCH(nullptr)
}
ALT_API int alt_generator_set_state(GHandle g, THandle state) {
  ALT_TRY std::lock_guard<std::mutex> lock(g->mutex());
  g->set_state(T(state));
  return 0;
  ALT_CATCH(-1)
}

static c10::optional<at::Generator> gen(GHandle g) {
  if (!g) return c10::nullopt;
  return *g;
}

// torch.*_like: the result keeps the source's layout (memory_format=torch.preserve_format, PyTorch's default), so
// an optimizer's state for a channels_last weight is channels_last too. kind: 0 zeros, 1 ones, 2 empty, 3 full
// (value), 4 rand, 5 randn, 6 randint [low, high). Random fills draw as at::rand(shape) does for a contiguous source.
ALT_API THandle alt_like(THandle h, int kind, double value, int64_t low, int64_t high, int dtype, GHandle g, int rg) {
  ALT_TRY const auto& t = T(h);
  auto opts = t.options().dtype(static_cast<at::ScalarType>(dtype));
  at::Tensor r = at::empty_like(t, opts, at::MemoryFormat::Preserve);
  switch (kind) {
    case 0: r.zero_(); break;
    case 1: r.fill_(1); break;
    case 2: break;
    case 3: r.fill_(value); break;
    case 4: r.uniform_(0, 1, gen(g)); break;
    case 5: r.normal_(0, 1, gen(g)); break;
    case 6: r.random_(low, high, gen(g)); break;
    default: TORCH_CHECK_VALUE(false, "unknown *_like kind ", kind);
  }
  return give(leaf(std::move(r), rg));
  ALT_CATCH(nullptr)
}

ALT_API int alt_manual_seed(uint64_t seed) {
  ALT_TRY auto g = at::detail::getDefaultCPUGenerator();
  {
    std::lock_guard<std::mutex> lock(g.mutex());
    g.set_current_seed(seed);
  }
  return 0;
  ALT_CATCH(-1)
}
ALT_API GHandle alt_default_generator() {
  ALT_TRY return new at::Generator(at::detail::getDefaultCPUGenerator());
  ALT_CATCH(nullptr)
}

ALT_API THandle alt_rand(const int64_t* shape, int ndim, GHandle g, int dtype, int dev, int devidx, int rg) {
  ALT_TRY return give(leaf(at::rand(sizes(shape, ndim), gen(g), options(dtype, dev, devidx)), rg));
  ALT_CATCH(nullptr)
}
ALT_API THandle alt_randn(const int64_t* shape, int ndim, GHandle g, int dtype, int dev, int devidx, int rg) {
  ALT_TRY return give(leaf(at::randn(sizes(shape, ndim), gen(g), options(dtype, dev, devidx)), rg));
  ALT_CATCH(nullptr)
}
ALT_API THandle alt_randint(int64_t low, int64_t high, const int64_t* shape, int ndim, GHandle g, int dtype,
                            int dev, int devidx) {
  ALT_TRY return give(at::randint(low, high, sizes(shape, ndim), gen(g), options(dtype, dev, devidx)));
  ALT_CATCH(nullptr)
}
ALT_API THandle alt_randperm(int64_t n, GHandle g, int dtype, int dev, int devidx) {
  ALT_TRY return give(at::randperm(n, gen(g), options(dtype, dev, devidx)));
  ALT_CATCH(nullptr)
}
ALT_API int alt_uniform_(THandle h, double from, double to, GHandle g) {
  ALT_TRY T(h).uniform_(from, to, gen(g));
  return 0;
  ALT_CATCH(-1)
}
ALT_API int alt_normal_(THandle h, double mean, double std, GHandle g) {
  ALT_TRY T(h).normal_(mean, std, gen(g));
  return 0;
  ALT_CATCH(-1)
}
ALT_API int alt_bernoulli_(THandle h, double p, GHandle g) {
  ALT_TRY auto generator = gen(g);
  at::Tensor self = T(h);
  if (!alt::fast_bernoulli_fill(self, p, generator, 0)) self.bernoulli_(p, generator);
  return 0;
  ALT_CATCH(-1)
}
ALT_API THandle alt_multinomial(THandle h, int64_t n, int replacement, GHandle g) {
  ALT_TRY return give(at::multinomial(T(h), n, replacement != 0, gen(g)));
  ALT_CATCH(nullptr)
}

// ---- threads, grad mode, build facts --------------------------------------------------------------------------
ALT_API int alt_set_num_threads(int n) {
  ALT_TRY at::set_num_threads(n);
  return 0;
  ALT_CATCH(-1)
}
ALT_API int alt_get_num_threads() { ALT_TRY return at::get_num_threads(); ALT_CATCH(-1) }
ALT_API int alt_set_num_interop_threads(int n) {
  ALT_TRY at::set_num_interop_threads(n);
  return 0;
  ALT_CATCH(-1)
}
ALT_API int alt_get_num_interop_threads() { ALT_TRY return at::get_num_interop_threads(); ALT_CATCH(-1) }

ALT_API int alt_is_grad_enabled() { return at::GradMode::is_enabled() ? 1 : 0; }
ALT_API void alt_set_grad_enabled(int enabled) { at::GradMode::set_enabled(enabled != 0); }

ALT_API int alt_cuda_is_available() { ALT_TRY return at::hasCUDA() ? 1 : 0; ALT_CATCH(0) }
ALT_API int alt_cuda_device_count() {
  ALT_TRY return at::hasCUDA() ? static_cast<int>(at::detail::getCUDAHooks().getNumGPUs()) : 0;
  ALT_CATCH(0)
}
ALT_API int alt_set_deterministic(int on) {
  ALT_TRY at::globalContext().setDeterministicAlgorithms(on != 0, false);
  return 0;
  ALT_CATCH(-1)
}

ALT_API const char* alt_version() { return TORCH_VERSION; }
ALT_API const char* alt_parallel_info() {
  thread_local std::string s;
  ALT_TRY s = at::get_parallel_info();
  return s.c_str();
  ALT_CATCH(nullptr)
}
