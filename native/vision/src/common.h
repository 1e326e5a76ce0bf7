// Shared plumbing of the vision C ABI (now only dlib's HOG face detector): error capture.
//
// Every export runs its body inside AVV_TRY ... AVV_CATCH(fail): any C++ exception (dlib::error,
// std::exception, anything else) becomes the calling thread's last error, which the C# side takes with
// avv_take_error and throws as a .NET exception. A native error never unwinds into the runtime.
// Images cross the ABI as (pointer, width, height) of tightly packed 8-bit gray rows.
#pragma once
#include <dlib/error.h>
#include <cstdint>
#include <new>
#include <stdexcept>
#include <string>

#define AVV_API extern "C" __attribute__((visibility("default")))

namespace avv {

void set_error(const std::string& msg);

#define AVV_TRY try {
#define AVV_CATCH(fail)                                                            \
  }                                                                                \
  catch (const dlib::error& e) { avv::set_error(std::string("dlib: ") + e.what()); } \
  catch (const std::bad_alloc&) { avv::set_error("out of memory"); }               \
  catch (const std::exception& e) { avv::set_error(e.what()); }                    \
  catch (...) { avv::set_error("unknown native error"); }                          \
  return fail;

}  // namespace avv
