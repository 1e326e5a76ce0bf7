using F = AverLab.Torch.torch.nn.functional;
using D = System.Collections.Generic.Dictionary<string, AverLab.Torch.Tensor>;

namespace AverLab.Torch.Tests.NN;

/// <summary>Every layer, loss and functional op against PyTorch 1.13.1: weights and inputs from the fixture, then
/// outputs, input gradients, parameter gradients and updated buffers compared within <see cref="Golden.Rtol"/> /
/// <see cref="Golden.Atol"/>. The loss is Σ sum(out_i · gout_i) with upstream gradients stored in the fixture.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public class GoldenParityTests
{
    private sealed record Case(Func<nn.Module?> Make, Func<nn.Module?, D, Tensor?[]> Forward);

    private static Tensor?[] Call(nn.Module? m, D i) => [((nn.Module<Tensor, Tensor>)m!).forward(i["x"])];
    private static Case M(Func<nn.Module> make) => new(make, Call);
    private static Case Fn(Func<D, Tensor> f) => new(() => null, (_, i) => [f(i)]);
    private static nn.Module Eval(nn.Module m) => m.eval();

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["linear"] = M(() => new nn.Linear(5, 3)),
        ["linear_nobias"] = M(() => new nn.Linear(5, 3, bias: false)),
        ["conv1d"] = M(() => new nn.Conv1d(2, 3, 3, stride: 2, padding: 1)),
        ["conv1d_same"] = M(() => new nn.Conv1d(2, 3, 4, padding: "same", dilation: 2)),
        ["conv2d"] = M(() => new nn.Conv2d(2, 4, 3, stride: 1, padding: 1, groups: 2)),
        ["conv2d_strided"] = M(() => new nn.Conv2d(3, 2, [3, 2], stride: [2, 1], padding: [1, 0], dilation: [1, 2])),
        ["conv2d_dead_taps"] = M(() => new nn.Conv2d(3, 4, 3, padding: 1)),
        ["conv2d_dead_taps_strided"] = M(() => new nn.Conv2d(3, 2, 3, stride: 2, padding: 1)),
        ["conv2d_same"] = M(() => new nn.Conv2d(3, 2, 3, padding: "same", dilation: 2)),
        ["conv3d"] = M(() => new nn.Conv3d(2, 2, 3, padding: 1)),
        ["conv2d_reflect"] = M(() => new nn.Conv2d(2, 3, [3], padding: [1, 2], padding_mode: "reflect")),
        ["conv1d_circular"] = M(() => new nn.Conv1d(2, 2, 3, padding: 1, padding_mode: "circular")),
        ["conv_transpose2d"] = M(() => new nn.ConvTranspose2d(3, 2, 3, stride: 2, padding: 1, output_padding: 1)),
        ["batchnorm1d_train"] = M(() => new nn.BatchNorm1d(3)),
        ["batchnorm1d_3d_train"] = M(() => new nn.BatchNorm1d(3, momentum: null)),
        ["batchnorm2d_train"] = M(() => new nn.BatchNorm2d(3, momentum: 0.3)),
        ["batchnorm2d_eval"] = M(() => Eval(new nn.BatchNorm2d(3))),
        ["batchnorm3d_train"] = M(() => new nn.BatchNorm3d(2)),
        ["layernorm"] = M(() => new nn.LayerNorm(6)),
        ["layernorm_2d"] = M(() => new nn.LayerNorm([3, 6], eps: 1e-3)),
        ["groupnorm"] = M(() => new nn.GroupNorm(2, 4)),
        ["dropout_train"] = M(() => new nn.Dropout(0.3)),
        ["dropout_eval"] = M(() => Eval(new nn.Dropout(0.3))),
        ["dropout2d_train"] = M(() => new nn.Dropout2d(0.5)),
        ["dropout3d_train"] = M(() => new nn.Dropout3d(0.5)),
        ["maxpool1d"] = M(() => new nn.MaxPool1d(3, stride: 2, padding: 1, ceil_mode: true)),
        ["maxpool2d"] = M(() => new nn.MaxPool2d(2)),
        ["maxpool2d_ceil"] = M(() => new nn.MaxPool2d(3, stride: 2, ceil_mode: true)),
        ["maxpool3d"] = M(() => new nn.MaxPool3d(2)),
        ["avgpool2d"] = M(() => new nn.AvgPool2d(3, stride: 2, padding: 1, ceil_mode: true, count_include_pad: false)),
        ["avgpool2d_plain"] = M(() => new nn.AvgPool2d(2)),
        ["adaptiveavgpool2d"] = M(() => new nn.AdaptiveAvgPool2d(3, 2)),
        ["flatten"] = M(() => new nn.Flatten()),
        ["unflatten"] = M(() => new nn.Unflatten(1, [2, 3])),
        ["identity"] = M(() => new nn.Identity()),
        ["act_relu"] = M(() => new nn.ReLU()),
        ["act_leakyrelu"] = M(() => new nn.LeakyReLU(0.2)),
        ["act_elu"] = M(() => new nn.ELU(0.7)),
        ["act_gelu"] = M(() => new nn.GELU()),
        ["act_gelu_tanh"] = M(() => new nn.GELU("tanh")),
        ["act_silu"] = M(() => new nn.SiLU()),
        ["act_tanh"] = M(() => new nn.Tanh()),
        ["act_sigmoid"] = M(() => new nn.Sigmoid()),
        ["act_softplus"] = M(() => new nn.Softplus(beta: 2, threshold: 5)),
        ["act_softmax"] = M(() => new nn.Softmax(1)),
        ["act_logsoftmax"] = M(() => new nn.LogSoftmax(1)),
        ["sequential"] = M(() => new nn.Sequential(new nn.Linear(4, 6), new nn.ReLU(), new nn.Linear(6, 2))),
        ["lstm"] = new(() => new nn.LSTM(4, 5, num_layers: 2, bidirectional: true, batch_first: true),
            (m, i) => { var (o, h, c) = ((nn.LSTM)m!).forward(i["x"]); return [o, h, c]; }),
        ["lstm_states"] = new(() => new nn.LSTM(3, 4),
            (m, i) => { var (o, h, c) = ((nn.LSTM)m!).forward(i["x"], i["h0"], i["c0"]); return [o, h, c]; }),
        ["gru"] = new(() => new nn.GRU(3, 4, num_layers: 2, bidirectional: true),
            (m, i) => { var (o, h) = ((nn.GRU)m!).forward(i["x"]); return [o, h]; }),
        ["gru_states"] = new(() => new nn.GRU(3, 4, batch_first: true),
            (m, i) => { var (o, h) = ((nn.GRU)m!).forward(i["x"], i["h0"]); return [o, h]; }),
        ["lstmcell"] = new(() => new nn.LSTMCell(3, 4),
            (m, i) => { var (h, c) = ((nn.LSTMCell)m!).forward(i["x"], i["h0"], i["c0"]); return [h, c]; }),
        ["grucell"] = new(() => new nn.GRUCell(3, 4), (m, i) => [((nn.GRUCell)m!).forward(i["x"], i["h0"])]),
        ["avgpool1d"] = M(() => new nn.AvgPool1d(3, stride: 2, padding: 1)),
        ["avgpool3d"] = M(() => new nn.AvgPool3d(2, padding: 1, ceil_mode: true, count_include_pad: false)),
        ["adaptiveavgpool1d"] = M(() => new nn.AdaptiveAvgPool1d(4)),
        ["conv_transpose1d"] = M(() => new nn.ConvTranspose1d(3, 2, 4, stride: 2, padding: 1)),
        ["conv_transpose3d"] = M(() => new nn.ConvTranspose3d(2, 2, 3, stride: 2, padding: 1, output_padding: 1)),
        ["mha_self"] = new(() => new nn.MultiheadAttention(8, 2),
            (m, i) => { var (o, w) = ((nn.MultiheadAttention)m!).forward(i["x"], i["x"], i["x"], key_padding_mask: i["key_padding_mask"]); return [o, w]; }),
        ["mha_batch_first_mask"] = new(() => new nn.MultiheadAttention(8, 4, batch_first: true),
            (m, i) =>
            {
                var (o, w) = ((nn.MultiheadAttention)m!).forward(i["x"], i["x"], i["x"], attn_mask: i["attn_mask"], average_attn_weights: false);
                return [o, w];
            }),
        ["mha_cross"] = new(() => new nn.MultiheadAttention(6, 3),
            (m, i) => { var (o, w) = ((nn.MultiheadAttention)m!).forward(i["q"], i["k"], i["v"], attn_mask: i["attn_mask"]); return [o, w]; }),
        ["encoder_layer_post"] = new(() => new nn.TransformerEncoderLayer(8, 2, dim_feedforward: 16, dropout: 0.0),
            (m, i) => [((nn.TransformerEncoderLayer)m!).forward(i["x"], null, i["key_padding_mask"])]),
        ["encoder_layer_pre_gelu_bf"] = new(() => new nn.TransformerEncoderLayer(8, 2, dim_feedforward: 12, dropout: 0.0, activation: "gelu",
                batch_first: true, norm_first: true),
            (m, i) => [((nn.TransformerEncoderLayer)m!).forward(i["x"], i["mask"], null)]),
        ["encoder_layer_eval_fastpath"] = new(() => Eval(new nn.TransformerEncoderLayer(8, 2, dim_feedforward: 16, dropout: 0.1, batch_first: true)),
            (m, i) => [((nn.TransformerEncoderLayer)m!).forward(i["x"], null, i["key_padding_mask"])]),
        ["encoder"] = new(() => new nn.TransformerEncoder(new nn.TransformerEncoderLayer(8, 2, dim_feedforward: 16, dropout: 0.0), 2, new nn.LayerNorm(8)),
            (m, i) => [((nn.TransformerEncoder)m!).forward(i["x"], null, i["key_padding_mask"])]),
        ["encoder_eval_nested"] = new(() => Eval(new nn.TransformerEncoder(new nn.TransformerEncoderLayer(8, 2, dim_feedforward: 16, batch_first: true), 2,
                new nn.LayerNorm(8))),
            (m, i) =>
            {
                using var noGrad = no_grad();
                return [((nn.TransformerEncoder)m!).forward(i["x"], null, i["key_padding_mask"])];
            }),
        ["embedding"] = new(() => new nn.Embedding(10, 4, padding_idx: 0), (m, i) => [((nn.Embedding)m!).forward(i["idx"])]),

        ["loss_ce"] = Fn(i => F.cross_entropy(i["x"], i["t"])),
        ["loss_ce_weight_ignore"] = Fn(i => F.cross_entropy(i["x"], i["t"], weight: i["w"], ignore_index: -100)),
        ["loss_ce_smooth"] = Fn(i => F.cross_entropy(i["x"], i["t"], weight: i["w"], label_smoothing: 0.1)),
        ["loss_ce_prob"] = Fn(i => F.cross_entropy(i["x"], i["p"], label_smoothing: 0.05)),
        ["loss_ce_none_2d"] = Fn(i => F.cross_entropy(i["x"], i["t"], reduction: Reduction.None)),
        ["loss_ce_sum"] = Fn(i => F.cross_entropy(i["x"], i["t"], reduction: Reduction.Sum)),
        ["loss_nll"] = Fn(i => F.nll_loss(i["x"], i["t"], weight: i["w"])),
        ["loss_bce"] = Fn(i => F.binary_cross_entropy(i["x"], i["y"])),
        ["loss_bce_weight"] = Fn(i => F.binary_cross_entropy(i["x"], i["y"], weight: i["w"], reduction: Reduction.Sum)),
        ["loss_bce_logits"] = Fn(i => F.binary_cross_entropy_with_logits(i["x"], i["y"], pos_weight: i["pw"])),
        ["loss_mse"] = Fn(i => F.mse_loss(i["x"], i["y"])),
        ["loss_mse_none"] = Fn(i => F.mse_loss(i["x"], i["y"], Reduction.None)),
        ["loss_l1"] = Fn(i => F.l1_loss(i["x"], i["y"], Reduction.Sum)),
        ["loss_smooth_l1"] = Fn(i => F.smooth_l1_loss(i["x"], i["y"], beta: 0.5)),
        ["loss_smooth_l1_none"] = Fn(i => F.smooth_l1_loss(i["x"], i["y"], Reduction.None)),

        ["f_pad_constant"] = Fn(i => F.pad(i["x"], [1, 2, 0, 1], value: 0.5)),
        ["f_pad_reflect"] = Fn(i => F.pad(i["x"], [2, 1, 1, 2], mode: "reflect")),
        ["f_pad_replicate"] = Fn(i => F.pad(i["x"], [2, 1, 1, 2], mode: "replicate")),
        ["f_pad_circular"] = Fn(i => F.pad(i["x"], [2, 1, 1, 2], mode: "circular")),
        ["f_interp_nearest"] = Fn(i => F.interpolate(i["x"], scale_factor: [2], mode: "nearest")),
        ["f_interp_nearest_size"] = Fn(i => F.interpolate(i["x"], size: [7, 3], mode: "nearest")),
        ["f_interp_bilinear"] = Fn(i => F.interpolate(i["x"], size: [7, 9], mode: "bilinear")),
        ["f_interp_bilinear_ac"] = Fn(i => F.interpolate(i["x"], scale_factor: [1.5], mode: "bilinear", align_corners: true)),
        ["f_affine_grid_sample"] = Fn(i => F.grid_sample(i["x"], F.affine_grid(i["theta"], [1, 2, 3, 6], align_corners: false), align_corners: false)),
        ["f_grid_sample_nearest_border"] = Fn(i => F.grid_sample(i["x"], i["grid"], mode: "nearest", padding_mode: "border", align_corners: true)),
        ["f_interp_bicubic"] = Fn(i => F.interpolate(i["x"], size: [6, 8], mode: "bicubic", align_corners: false)),
        ["f_interp_linear"] = Fn(i => F.interpolate(i["x"], scale_factor: [2.5], mode: "linear")),
        ["f_avg_pool1d"] = Fn(i => F.avg_pool1d(i["x"], 3, stride: 2, padding: 1, ceil_mode: true, count_include_pad: false)),
        ["f_avg_pool3d"] = Fn(i => F.avg_pool3d(i["x"], 2, stride: 2, padding: 1, ceil_mode: true)),
        ["f_max_pool3d_pad"] = Fn(i => F.max_pool3d(i["x"], 3, stride: 2, padding: 1, ceil_mode: true)),
        ["f_adaptive_avg_pool1d"] = Fn(i => F.adaptive_avg_pool1d(i["x"], 4)),
        ["f_conv_transpose1d"] = Fn(i => F.conv_transpose1d(i["x"], i["w"], i["b"], stride: [2], padding: [1])),
        ["f_batch_norm_train"] = Fn(i => F.batch_norm(i["x"], i["rm"], i["rv"], i["w"], i["b"], training: true, momentum: 0.2)),
        ["f_embedding"] = Fn(i => F.embedding(i["idx"], i["w"])),
        ["f_one_hot"] = Fn(i => F.one_hot(i["t"], 5)),
        ["f_sdpa"] = Fn(i => F.scaled_dot_product_attention(i["q"], i["k"], i["v"], attn_mask: i["mask"])),
        ["f_dropout"] = Fn(i => F.dropout(i["x"], 0.4)),
    };

    public static IEnumerable<object[]> CaseNames => Cases.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MatchesPyTorch(string name)
    {
        using var scope = NewDisposeScope();
        var (fx, meta) = Golden.Load($"nn_{name}.safetensors");
        var c = Cases[name];
        using var module = c.Make();
        if (module != null)
        {
            var state = fx.Where(kv => kv.Key.StartsWith("state.")).ToDictionary(kv => kv.Key["state.".Length..], kv => kv.Value);
            module.load_state_dict(state);
        }
        var inputs = new D();
        foreach (var (k, v) in fx.Where(kv => kv.Key.StartsWith("in.")))
        {
            var key = k["in.".Length..];
            if (fx.ContainsKey("grad.in." + key)) v.requires_grad = true;
            inputs[key] = v;
        }
        if (meta.TryGetValue("forward_seed", out var seed)) manual_seed(long.Parse(seed));
        var outs = c.Forward(module, inputs);

        Tensor? loss = null;
        for (var k = 0; k < outs.Length; k++)
        {
            if (!fx.TryGetValue($"out.{k}", out var expected))
            {
                Assert.True(outs[k] is null, $"{name}: output {k} is not in the fixture");
                continue;
            }
            Assert.NotNull(outs[k]);
            Golden.AssertClose(expected, outs[k]!, $"{name} out.{k}");
            if (fx.TryGetValue($"gout.{k}", out var gout))
            {
                var term = (outs[k]! * gout).sum();
                loss = loss is null ? term : loss + term;
            }
        }
        Assert.Equal(fx.Keys.Count(k => k.StartsWith("out.")), outs.Count(o => o is not null));
        loss?.backward();

        var checkedGrads = 0;
        foreach (var (k, expected) in fx.Where(kv => kv.Key.StartsWith("grad.in.")))
        {
            var g = inputs[k["grad.in.".Length..]].grad;
            Assert.True(g is not null, $"{name}: no gradient for input {k}");
            Golden.AssertClose(expected, g!, $"{name} {k}");
            checkedGrads++;
        }
        if (module != null)
        {
            var parameters = module.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            foreach (var (k, expected) in fx.Where(kv => kv.Key.StartsWith("grad.param.")))
            {
                var g = parameters[k["grad.param.".Length..]].grad;
                Assert.True(g is not null, $"{name}: no gradient for parameter {k}");
                Golden.AssertClose(expected, g!, $"{name} {k}");
                checkedGrads++;
            }
            var buffers = module.named_buffers().ToDictionary(b => b.name, b => b.buffer);
            foreach (var (k, expected) in fx.Where(kv => kv.Key.StartsWith("post.")))
                Golden.AssertClose(expected, buffers[k["post.".Length..]], $"{name} {k}");
        }
        Assert.Equal(fx.Keys.Count(k => k.StartsWith("grad.")), checkedGrads);
    }

    [Fact]
    public void EveryFixtureHasACase()
    {
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "golden"), "nn_*.safetensors")
            .Select(Path.GetFileNameWithoutExtension)
            .Where(n => !n!.StartsWith("nn_init_"))
            .Select(n => n!["nn_".Length..])
            .ToHashSet();
        Assert.NotEmpty(files);
        Assert.Empty(files.Except(Cases.Keys));
        Assert.Empty(Cases.Keys.Except(files));
    }
}
