// CPU allocator tuning for training loops. libtorch's CPU allocator is plain malloc; with glibc, blocks above the
// mmap threshold are mmap'd and unmapped on every free, and freed heap tops are trimmed back to the OS, so a
// training step that allocates and frees the same 20-MB activations each iteration page-faults them in again
// every time. (A Python process often escapes this through glibc's dynamic threshold; the .NET process, whose
// threads allocate from several arenas, measurably does not: ~10x the minor faults on a conv fwd+bwd.)
#include "common.h"
#if defined(__GLIBC__)
#include <malloc.h>
#endif

// Serves blocks below mmap_threshold (glibc caps it at 32 MiB on 64-bit) from the heap and keeps up to
// trim_threshold bytes of free heap instead of returning them. Returns 0, -1 when glibc refused a value, -2 when
// the C library is not glibc.
ALT_API int alt_malloc_retention(int64_t mmap_threshold, int64_t trim_threshold) {
#if defined(__GLIBC__)
  if (mmap_threshold < 0 || mmap_threshold > INT32_MAX || trim_threshold < 0 || trim_threshold > INT32_MAX) return -1;
  int ok = mallopt(M_MMAP_THRESHOLD, static_cast<int>(mmap_threshold));
  ok = mallopt(M_TRIM_THRESHOLD, static_cast<int>(trim_threshold)) && ok;
  return ok ? 0 : -1;
#else
  return -2;
#endif
}
