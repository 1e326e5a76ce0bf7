// Shared plumbing of the vision C ABI: error capture and image views.
//
// Every export runs its body inside AVV_TRY ... AVV_CATCH(fail): any C++ exception (cv::Exception,
// dlib::error, std::exception, anything else) becomes the calling thread's last error, which the C# side
// takes with avv_take_error and throws as a .NET exception. A native error never unwinds into the runtime.
// Images cross the ABI as (pointer, width, height, channels) of tightly packed 8-bit rows, RGB or gray.
#pragma once
#include <dlib/error.h>
#include <opencv2/core.hpp>
#include <cstdint>
#include <new>
#include <stdexcept>
#include <string>

#define AVV_API extern "C" __attribute__((visibility("default")))

namespace avv {

void set_error(const std::string& msg);

// OpenCV's what() repeats file/line noise; err.msg is the readable part.
#define AVV_TRY try {
#define AVV_CATCH(fail)                                                            \
  }                                                                                \
  catch (const cv::Exception& e) { avv::set_error("OpenCV: " + e.msg); }           \
  catch (const dlib::error& e) { avv::set_error(std::string("dlib: ") + e.what()); } \
  catch (const std::bad_alloc&) { avv::set_error("out of memory"); }               \
  catch (const std::exception& e) { avv::set_error(e.what()); }                    \
  catch (...) { avv::set_error("unknown native error"); }                          \
  return fail;

inline int cv_type(int channels) {
  switch (channels) {
    case 1: return CV_8UC1;
    case 3: return CV_8UC3;
    case 4: return CV_8UC4;
    default: throw std::invalid_argument("images must have 1, 3 or 4 channels, got " + std::to_string(channels));
  }
}

// A non-owning cv::Mat over caller memory (no copy).
inline cv::Mat view(const uint8_t* data, int width, int height, int channels) {
  if (data == nullptr) throw std::invalid_argument("null image data");
  if (width <= 0 || height <= 0) throw std::invalid_argument("image size must be positive");
  return cv::Mat(height, width, cv_type(channels), const_cast<uint8_t*>(data));
}

}  // namespace avv
