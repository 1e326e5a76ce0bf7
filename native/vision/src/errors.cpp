// Thread-local last error and buffer release.
#include "common.h"
#include <dlib/revision.h>
#include <cstdlib>

namespace {
thread_local std::string t_error;
thread_local bool t_has_error = false;
thread_local std::string t_taken;  // keeps the returned text alive until the thread's next take
}  // namespace

void avv::set_error(const std::string& msg) {
  t_error = msg;
  t_has_error = true;
}

// The pending error message (UTF-8) or null; taking it clears it.
AVV_API const char* avv_take_error() {
  if (!t_has_error) return nullptr;
  t_taken.swap(t_error);
  t_error.clear();
  t_has_error = false;
  return t_taken.c_str();
}

// Frees a buffer the library handed out (malloc'd).
AVV_API void avv_free_buffer(void* p) { std::free(p); }

// Build-time dlib version, so a report can name it.
AVV_API int avv_versions(int* dlib_major, int* dlib_minor) {
  *dlib_major = DLIB_MAJOR_VERSION;
  *dlib_minor = DLIB_MINOR_VERSION;
  return 0;
}
