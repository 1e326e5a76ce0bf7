// CPU allocator tuning for training loops. libtorch's CPU allocator is plain malloc; with glibc, blocks above the
// mmap threshold are mmap'd and unmapped on every free, and freed heap tops are trimmed back to the OS, so a
// training step that allocates and frees the same 20-MB activations each iteration page-faults them in again
// every time. Blocks above glibc's 32-MiB cap on that threshold (a LRCN step's first conv activations: 240 frames x
// 16 x 64 x 64 floats = 63 MB) are always mapped unless mapping is switched off altogether (alt_malloc_heap_only).
// (A Python process often escapes this through glibc's dynamic threshold; the .NET process, whose
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

// on != 0: serve every block, however large, from the heap (M_MMAP_MAX = 0), so freed multi-10-MB activations are
// reused instead of being unmapped and faulted in again each step; on == 0: glibc's default (65536 mappings).
// Threads' secondary arenas still map what their 64-MiB heaps cannot hold (glibc's fallback), and a main heap
// that cannot grow falls back to mmap too, so this never makes an allocation fail. Returns as alt_malloc_retention.
ALT_API int alt_malloc_heap_only(int on) {
#if defined(__GLIBC__)
  return mallopt(M_MMAP_MAX, on != 0 ? 0 : 65536) ? 0 : -1;
#else
  (void)on;
  return -2;
#endif
}
