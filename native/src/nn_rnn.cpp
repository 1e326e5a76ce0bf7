// Fused recurrent networks: at::lstm / at::gru over PyTorch's flat weight list
// (w_ih, w_hh[, b_ih, b_hh] per layer and direction), and the single-step cells.
#include <ATen/ATen.h>
#include "nn_common.h"

using namespace alt;

// kind: 0 LSTM (hx and cx), 1 GRU (hx only). Outputs: out, h_n and (LSTM) c_n.
ALT_API int alt_nn_rnn(int kind, THandle x, THandle hx, THandle cx, const THandle* params, int n_params, int has_biases,
                       int64_t num_layers, double dropout, int train, int bidirectional, int batch_first,
                       THandle* out, THandle* h_n, THandle* c_n) {
  ALT_TRY
  auto ps = tensors(params, n_params);
  if (kind == 0) {
    std::vector<at::Tensor> hxs{T(hx), T(cx)};
    auto r = at::lstm(T(x), hxs, ps, has_biases != 0, num_layers, dropout, train != 0, bidirectional != 0,
                      batch_first != 0);
    *out = give(std::move(std::get<0>(r)));
    *h_n = give(std::move(std::get<1>(r)));
    *c_n = give(std::move(std::get<2>(r)));
  } else {
    auto r = at::gru(T(x), T(hx), ps, has_biases != 0, num_layers, dropout, train != 0, bidirectional != 0,
                     batch_first != 0);
    *out = give(std::move(std::get<0>(r)));
    *h_n = give(std::move(std::get<1>(r)));
    *c_n = nullptr;
  }
  return 0;
  ALT_CATCH(-1)
}

// kind: 0 LSTM cell (returns h', c'), 1 GRU cell (returns h').
ALT_API int alt_nn_rnn_cell(int kind, THandle x, THandle hx, THandle cx, THandle w_ih, THandle w_hh, THandle b_ih,
                            THandle b_hh, THandle* h_out, THandle* c_out) {
  ALT_TRY
  if (kind == 0) {
    std::vector<at::Tensor> hxs{T(hx), T(cx)};
    auto r = at::lstm_cell(T(x), hxs, T(w_ih), T(w_hh), opt(b_ih), opt(b_hh));
    *h_out = give(std::move(std::get<0>(r)));
    *c_out = give(std::move(std::get<1>(r)));
  } else {
    *h_out = give(at::gru_cell(T(x), T(hx), T(w_ih), T(w_hh), opt(b_ih), opt(b_hh)));
    *c_out = nullptr;
  }
  return 0;
  ALT_CATCH(-1)
}
