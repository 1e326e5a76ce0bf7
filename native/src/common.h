// Shared plumbing of the C ABI: handles, error capture, scalar and size helpers.
//
// A tensor crosses the ABI as the raw TensorImpl* of an owning reference (no extra heap box): returning calls
// release one reference to the caller, who frees it exactly once with alt_free. Borrowing a handle as an
// at::Tensor costs nothing (at::Tensor is a single intrusive pointer).
#pragma once
#include <ATen/ATen.h>
#include <c10/core/TensorImpl.h>
#include <string>
#include <vector>

#define ALT_API extern "C" __attribute__((visibility("default")))

using THandle = c10::TensorImpl*;

namespace alt {

// Error kinds mirror C#'s TorchErrorKind: the C# side throws a matching exception type.
enum ErrorKind { EK_GENERAL = 0, EK_INDEX = 1, EK_TYPE = 2, EK_VALUE = 3, EK_NOT_IMPLEMENTED = 4, EK_OUT_OF_MEMORY = 5 };
void set_error(const char* msg, int kind = EK_GENERAL);

// Every entry point runs its body inside this: any C++ exception becomes the thread's last error.
#define ALT_TRY try {
#define ALT_CATCH(fail)                                                                          \
  }                                                                                              \
  catch (const c10::IndexError& e) { alt::set_error(e.what_without_backtrace(), alt::EK_INDEX); }  \
  catch (const c10::TypeError& e) { alt::set_error(e.what_without_backtrace(), alt::EK_TYPE); }    \
  catch (const c10::ValueError& e) { alt::set_error(e.what_without_backtrace(), alt::EK_VALUE); }  \
  catch (const c10::NotImplementedError& e) {                                                    \
    alt::set_error(e.what_without_backtrace(), alt::EK_NOT_IMPLEMENTED);                         \
  }                                                                                              \
  catch (const c10::Error& e) { alt::set_error(e.what_without_backtrace()); }                    \
  catch (const std::bad_alloc& e) { alt::set_error("out of memory", alt::EK_OUT_OF_MEMORY); }    \
  catch (const std::exception& e) { alt::set_error(e.what()); }                                  \
  catch (...) { alt::set_error("unknown native error"); }                                        \
  return fail;

static_assert(sizeof(at::Tensor) == sizeof(void*), "at::Tensor must be one intrusive pointer");

// Borrow: reinterprets the handle slot as an at::Tensor without touching the reference count.
inline const at::Tensor& T(const THandle& h) { return *reinterpret_cast<const at::Tensor*>(&h); }

// Give one reference to the caller. Undefined tensors become null.
inline THandle give(at::Tensor&& t) {
  if (!t.defined()) return nullptr;
  return t.unsafeReleaseTensorImpl();
}
inline THandle give(const at::Tensor& t) {
  at::Tensor copy = t;
  return give(std::move(copy));
}

inline at::IntArrayRef sizes(const int64_t* p, int n) { return at::IntArrayRef(p, static_cast<size_t>(n)); }

// Scalars cross as plain numbers: is_int selects an integral Scalar so int tensors stay int (x + 2 vs x + 2.0).
inline at::Scalar scalar(double d, int64_t l, int kind) {
  switch (kind) {
    case 1: return at::Scalar(l);
    case 2: return at::Scalar(l != 0);
    default: return at::Scalar(d);
  }
}

inline std::vector<at::Tensor> tensors(const THandle* hs, int n) {
  std::vector<at::Tensor> v;
  v.reserve(n);
  for (int i = 0; i < n; ++i) v.push_back(T(hs[i]));
  return v;
}

// ATen factories ignore TensorOptions::requires_grad (only torch:: factories honour it), so callers pass it to
// leaf() instead.
inline at::TensorOptions options(int dtype, int device_type, int device_index) {
  return at::TensorOptions()
      .dtype(static_cast<at::ScalarType>(dtype))
      .device(at::Device(static_cast<at::DeviceType>(device_type), static_cast<c10::DeviceIndex>(device_index)));
}

// Makes a freshly created tensor a leaf that requires grad when asked.
inline at::Tensor leaf(at::Tensor&& t, int requires_grad) {
  if (requires_grad) t.set_requires_grad(true);
  return std::move(t);
}

inline c10::optional<at::ScalarType> opt_dtype(int dtype) {
  if (dtype < 0) return c10::nullopt;
  return static_cast<at::ScalarType>(dtype);
}

// Hands a list of tensors to the caller as a malloc'd array that it frees with alt_free_buffer.
int64_t give_list(std::vector<at::Tensor>&& list, THandle** out);

}  // namespace alt
