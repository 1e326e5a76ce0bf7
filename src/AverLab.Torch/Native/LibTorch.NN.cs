using System.Runtime.InteropServices;

namespace AverLab.Torch.Native;

/// <summary>P/Invoke declarations for native/src/nn_layers.cpp, nn_loss.cpp and nn_rnn.cpp: the fused functional
/// ops behind torch.nn.functional. A null handle passes an absent optional tensor (e.g. no bias).</summary>
internal static unsafe partial class LibTorch
{
    [DllImport(Lib)] internal static extern IntPtr alt_nn_conv(IntPtr x, IntPtr w, IntPtr b, long* stride, long* padding, long* dilation, int nd, long groups, int paddingMode);
    [DllImport(Lib)] internal static extern IntPtr alt_nn_conv_transpose(IntPtr x, IntPtr w, IntPtr b, long* stride, long* padding, long* outputPadding, long* dilation, int nd, long groups);
    [DllImport(Lib)] internal static extern IntPtr alt_nn_max_pool(IntPtr x, long* kernel, long* stride, long* padding, long* dilation, int nd, int ceilMode);
    [DllImport(Lib)] internal static extern IntPtr alt_nn_avg_pool(IntPtr x, long* kernel, long* stride, long* padding, int nd, int ceilMode, int countIncludePad, long divisorOverride);
    [DllImport(Lib)] internal static extern IntPtr alt_nn_adaptive_pool(IntPtr x, long* outputSize, int nd, int isMax);
    [DllImport(Lib)] internal static extern IntPtr alt_nn_batch_norm(IntPtr x, IntPtr w, IntPtr b, IntPtr runningMean, IntPtr runningVar, int training, double momentum, double eps);
    [DllImport(Lib)] internal static extern IntPtr alt_nn_layer_norm(IntPtr x, long* shape, int n, IntPtr w, IntPtr b, double eps);
    [DllImport(Lib)] internal static extern IntPtr alt_nn_group_norm(IntPtr x, long groups, IntPtr w, IntPtr b, double eps);
    [DllImport(Lib)] internal static extern IntPtr alt_nn_dropout(IntPtr x, double p, int train, int kind);
    [DllImport(Lib)] internal static extern IntPtr alt_nn_dropout_fast(IntPtr x, double p);
    [DllImport(Lib)] internal static extern IntPtr alt_nn_linear(IntPtr x, IntPtr w, IntPtr b);
    [DllImport(Lib)] internal static extern IntPtr alt_nn_activation(IntPtr x, int kind, double a, double b);
    [DllImport(Lib)] internal static extern IntPtr alt_nn_pad(IntPtr x, long* pad, int n, [MarshalAs(UnmanagedType.LPUTF8Str)] string mode, double value);
    [DllImport(Lib)] internal static extern IntPtr alt_nn_interpolate(IntPtr x, long* size, int nSize, double* scales, int nScales, int mode, int alignCorners);
    [DllImport(Lib)] internal static extern IntPtr alt_nn_affine_grid(IntPtr theta, long* size, int n, int alignCorners);
    [DllImport(Lib)] internal static extern IntPtr alt_nn_grid_sample(IntPtr x, IntPtr grid, int interpolation, int padding, int alignCorners);
    [DllImport(Lib)] internal static extern IntPtr alt_nn_one_hot(IntPtr x, long numClasses);
    [DllImport(Lib)] internal static extern IntPtr alt_nn_embedding(IntPtr weight, IntPtr indices, long paddingIdx, int scaleGrad, int sparse);
    [DllImport(Lib)] internal static extern int alt_nn_linalg_qr(IntPtr x, out IntPtr q, out IntPtr r);
    [DllImport(Lib)] internal static extern IntPtr alt_nn_baddbmm(IntPtr self, IntPtr a, IntPtr b, double beta, double alpha);

    [DllImport(Lib)] internal static extern IntPtr alt_nn_cross_entropy(IntPtr x, IntPtr target, IntPtr weight, long reduction, long ignoreIndex, double labelSmoothing);
    [DllImport(Lib)] internal static extern IntPtr alt_nn_nll_loss(IntPtr x, IntPtr target, IntPtr weight, long reduction, long ignoreIndex);
    [DllImport(Lib)] internal static extern IntPtr alt_nn_bce(IntPtr x, IntPtr target, IntPtr weight, long reduction);
    [DllImport(Lib)] internal static extern IntPtr alt_nn_bce_with_logits(IntPtr x, IntPtr target, IntPtr weight, IntPtr posWeight, long reduction);
    [DllImport(Lib)] internal static extern IntPtr alt_nn_pointwise_loss(IntPtr x, IntPtr target, int kind, long reduction, double beta);

    [DllImport(Lib)] internal static extern int alt_nn_rnn(int kind, IntPtr x, IntPtr hx, IntPtr cx, IntPtr* parameters, int nParams, int hasBiases,
        long numLayers, double dropout, int train, int bidirectional, int batchFirst, out IntPtr output, out IntPtr hN, out IntPtr cN);
    [DllImport(Lib)] internal static extern int alt_nn_rnn_cell(int kind, IntPtr x, IntPtr hx, IntPtr cx, IntPtr wIh, IntPtr wHh, IntPtr bIh, IntPtr bHh,
        out IntPtr hOut, out IntPtr cOut);
}
