// Views, reshaping, joining, splitting and indexing.
#include "common.h"

using namespace alt;
using namespace at::indexing;

ALT_API THandle alt_view(THandle h, const int64_t* s, int n) { ALT_TRY return give(T(h).view(sizes(s, n))); ALT_CATCH(nullptr) }
ALT_API THandle alt_reshape(THandle h, const int64_t* s, int n) { ALT_TRY return give(T(h).reshape(sizes(s, n))); ALT_CATCH(nullptr) }
ALT_API THandle alt_permute(THandle h, const int64_t* s, int n) { ALT_TRY return give(T(h).permute(sizes(s, n))); ALT_CATCH(nullptr) }
ALT_API THandle alt_expand(THandle h, const int64_t* s, int n) { ALT_TRY return give(T(h).expand(sizes(s, n))); ALT_CATCH(nullptr) }
ALT_API THandle alt_repeat(THandle h, const int64_t* s, int n) { ALT_TRY return give(T(h).repeat(sizes(s, n))); ALT_CATCH(nullptr) }
ALT_API THandle alt_flip(THandle h, const int64_t* s, int n) { ALT_TRY return give(T(h).flip(sizes(s, n))); ALT_CATCH(nullptr) }
ALT_API THandle alt_transpose(THandle h, int64_t a, int64_t b) { ALT_TRY return give(T(h).transpose(a, b)); ALT_CATCH(nullptr) }
ALT_API THandle alt_movedim(THandle h, int64_t a, int64_t b) { ALT_TRY return give(T(h).movedim(a, b)); ALT_CATCH(nullptr) }
ALT_API THandle alt_squeeze(THandle h, int64_t dim, int has_dim) {
  ALT_TRY return give(has_dim ? T(h).squeeze(dim) : T(h).squeeze());
  ALT_CATCH(nullptr)
}
ALT_API THandle alt_unsqueeze(THandle h, int64_t dim) { ALT_TRY return give(T(h).unsqueeze(dim)); ALT_CATCH(nullptr) }
ALT_API THandle alt_flatten(THandle h, int64_t start, int64_t end) { ALT_TRY return give(T(h).flatten(start, end)); ALT_CATCH(nullptr) }
ALT_API THandle alt_unflatten(THandle h, int64_t dim, const int64_t* s, int n) {
  ALT_TRY return give(T(h).unflatten(dim, sizes(s, n)));
  ALT_CATCH(nullptr)
}
ALT_API THandle alt_narrow(THandle h, int64_t dim, int64_t start, int64_t length) {
  ALT_TRY return give(T(h).narrow(dim, start, length));
  ALT_CATCH(nullptr)
}
ALT_API THandle alt_select(THandle h, int64_t dim, int64_t index) { ALT_TRY return give(T(h).select(dim, index)); ALT_CATCH(nullptr) }
ALT_API THandle alt_slice(THandle h, int64_t dim, int64_t start, int has_start, int64_t end, int has_end, int64_t step) {
  ALT_TRY c10::optional<int64_t> s, e;
  if (has_start) s = start;
  if (has_end) e = end;
  return give(T(h).slice(dim, s, e, step));
  ALT_CATCH(nullptr)
}
ALT_API THandle alt_roll(THandle h, const int64_t* shifts, int ns, const int64_t* dims, int nd) {
  ALT_TRY return give(T(h).roll(sizes(shifts, ns), sizes(dims, nd)));
  ALT_CATCH(nullptr)
}
ALT_API THandle alt_tril_triu(THandle h, int64_t diagonal, int upper) {
  ALT_TRY return give(upper ? T(h).triu(diagonal) : T(h).tril(diagonal));
  ALT_CATCH(nullptr)
}
ALT_API THandle alt_diag(THandle h, int64_t diagonal) { ALT_TRY return give(at::diag(T(h), diagonal)); ALT_CATCH(nullptr) }

ALT_API THandle alt_index_select(THandle h, int64_t dim, THandle index) {
  ALT_TRY return give(T(h).index_select(dim, T(index)));
  ALT_CATCH(nullptr)
}
ALT_API THandle alt_gather(THandle h, int64_t dim, THandle index) { ALT_TRY return give(T(h).gather(dim, T(index))); ALT_CATCH(nullptr) }

// mode 0: scatter src, 1: scatter_add src, 2: scatter a scalar value.
ALT_API THandle alt_scatter(THandle h, int64_t dim, THandle index, THandle src, double value, int mode, int inplace) {
  ALT_TRY const auto& t = T(h);
  if (inplace) {
    if (mode == 0) t.scatter_(dim, T(index), T(src));
    else if (mode == 1) t.scatter_add_(dim, T(index), T(src));
    else t.scatter_(dim, T(index), value);
    return give(t);
  }
  if (mode == 0) return give(t.scatter(dim, T(index), T(src)));
  if (mode == 1) return give(t.scatter_add(dim, T(index), T(src)));
  return give(t.scatter(dim, T(index), value));
  ALT_CATCH(nullptr)
}

ALT_API THandle alt_masked_fill(THandle h, THandle mask, THandle value, double d, int64_t l, int kind, int inplace) {
  ALT_TRY const auto& t = T(h);
  if (value) {
    if (inplace) { t.masked_fill_(T(mask), T(value)); return give(t); }
    return give(t.masked_fill(T(mask), T(value)));
  }
  if (inplace) { t.masked_fill_(T(mask), scalar(d, l, kind)); return give(t); }
  return give(t.masked_fill(T(mask), scalar(d, l, kind)));
  ALT_CATCH(nullptr)
}

ALT_API THandle alt_repeat_interleave(THandle h, int64_t repeats, int64_t dim, int has_dim) {
  ALT_TRY c10::optional<int64_t> d;
  if (has_dim) d = dim;
  return give(T(h).repeat_interleave(repeats, d));
  ALT_CATCH(nullptr)
}

ALT_API THandle alt_cat(const THandle* hs, int n, int64_t dim) { ALT_TRY return give(at::cat(tensors(hs, n), dim)); ALT_CATCH(nullptr) }
ALT_API THandle alt_stack(const THandle* hs, int n, int64_t dim) { ALT_TRY return give(at::stack(tensors(hs, n), dim)); ALT_CATCH(nullptr) }

// Splitting hands back a malloc'd handle array (freed by alt_free_buffer); returns the count or -1.
ALT_API int64_t alt_split(THandle h, int64_t size, int64_t dim, THandle** out) {
  ALT_TRY return give_list(T(h).split(size, dim), out);
  ALT_CATCH(-1)
}
ALT_API int64_t alt_split_sizes(THandle h, const int64_t* s, int n, int64_t dim, THandle** out) {
  ALT_TRY return give_list(T(h).split_with_sizes(sizes(s, n), dim), out);
  ALT_CATCH(-1)
}
ALT_API int64_t alt_chunk(THandle h, int64_t chunks, int64_t dim, THandle** out) {
  ALT_TRY return give_list(T(h).chunk(chunks, dim), out);
  ALT_CATCH(-1)
}
ALT_API int64_t alt_unbind(THandle h, int64_t dim, THandle** out) {
  ALT_TRY return give_list(T(h).unbind(dim), out);
  ALT_CATCH(-1)
}

// ---- general indexing: x[0, 1:-1:2, None, ..., mask] ------------------------------------------------------------
// Each index item is a kind plus (start, stop, step) and an optional tensor; kinds mirror C#'s TensorIndexKind.
enum IndexKind { IK_INT = 0, IK_SLICE = 1, IK_NONE = 2, IK_ELLIPSIS = 3, IK_BOOL = 4, IK_TENSOR = 5 };
// Bit flags for slices: which of start/stop are given.
enum { HAS_START = 1, HAS_STOP = 2 };

static std::vector<TensorIndex> build_index(const int* kinds, const int64_t* values, const THandle* ts, int n) {
  std::vector<TensorIndex> idx;
  idx.reserve(n);
  for (int i = 0; i < n; ++i) {
    const int64_t* v = values + 4 * i;
    switch (kinds[i]) {
      case IK_INT: idx.emplace_back(v[0]); break;
      case IK_SLICE: {
        c10::optional<int64_t> start, stop;
        if (v[3] & HAS_START) start = v[0];
        if (v[3] & HAS_STOP) stop = v[1];
        idx.emplace_back(Slice(start, stop, v[2]));
        break;
      }
      case IK_NONE: idx.emplace_back(None); break;
      case IK_ELLIPSIS: idx.emplace_back(Ellipsis); break;
      case IK_BOOL: idx.emplace_back(v[0] != 0); break;
      case IK_TENSOR: idx.emplace_back(T(ts[i])); break;
      default: TORCH_CHECK(false, "unknown index kind ", kinds[i]);
    }
  }
  return idx;
}

ALT_API THandle alt_index(THandle h, const int* kinds, const int64_t* values, const THandle* ts, int n) {
  ALT_TRY return give(T(h).index(build_index(kinds, values, ts, n)));
  ALT_CATCH(nullptr)
}

ALT_API int alt_index_put_(THandle h, const int* kinds, const int64_t* values, const THandle* ts, int n, THandle value,
                           double d, int64_t l, int kind) {
  ALT_TRY auto idx = build_index(kinds, values, ts, n);
  auto t = T(h);  // index_put_ is non-const; this shares the same TensorImpl
  if (value) t.index_put_(idx, T(value));
  else t.index_put_(idx, scalar(d, l, kind));
  return 0;
  ALT_CATCH(-1)
}
