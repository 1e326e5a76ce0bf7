// Autograd: backward, gradients, and torch.autograd.grad.
#include "common.h"
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/autograd/function.h>
#include <torch/csrc/autograd/variable.h>

using namespace alt;

ALT_API int alt_backward(THandle h, THandle grad, int retain_graph, int create_graph) {
  ALT_TRY const auto& t = T(h);
  c10::optional<bool> retain;
  if (retain_graph >= 0) retain = retain_graph != 0;
  t.backward(grad ? T(grad) : at::Tensor(), retain, create_graph != 0);
  return 0;
  ALT_CATCH(-1)
}

// Returns the .grad tensor or null when it is undefined (check alt_take_error to tell errors apart).
ALT_API THandle alt_grad(THandle h) { ALT_TRY return give(T(h).grad()); ALT_CATCH(nullptr) }

ALT_API int alt_set_grad(THandle h, THandle grad) {
  ALT_TRY T(h).mutable_grad() = grad ? T(grad) : at::Tensor();
  return 0;
  ALT_CATCH(-1)
}

ALT_API int alt_retain_grad(THandle h) {
  ALT_TRY T(h).retain_grad();
  return 0;
  ALT_CATCH(-1)
}

// torch.autograd.grad: writes one handle per input (null for unused inputs when allow_unused).
ALT_API int alt_autograd_grad(const THandle* outs, int nout, const THandle* ins, int nin, const THandle* gouts,
                              int ngouts, int retain_graph, int create_graph, int allow_unused, THandle* result) {
  ALT_TRY std::vector<at::Tensor> grad_outputs;
  for (int i = 0; i < ngouts; ++i) grad_outputs.push_back(gouts[i] ? T(gouts[i]) : at::Tensor());
  c10::optional<bool> retain;
  if (retain_graph >= 0) retain = retain_graph != 0;
  auto grads = torch::autograd::grad(tensors(outs, nout), tensors(ins, nin), grad_outputs, retain, create_graph != 0,
                                     allow_unused != 0);
  for (size_t i = 0; i < grads.size(); ++i) result[i] = give(std::move(grads[i]));
  return 0;
  ALT_CATCH(-1)
}

ALT_API int alt_grad_fn_name(THandle h, char* buf, int cap) {
  ALT_TRY auto fn = T(h).grad_fn();
  std::string name = fn ? fn->name() : "";
  std::snprintf(buf, static_cast<size_t>(cap), "%s", name.c_str());
  return static_cast<int>(name.size());
  ALT_CATCH(-1)
}
