namespace AverLab.Torch.Tests.NN;

/// <summary>The C# twin of InteropNet in tests/golden/make_nn_interop.py: same submodule names, same forward.</summary>
internal sealed class InteropNet : nn.Module<Tensor, Tensor>
{
    private readonly nn.Conv2d conv;
    private readonly nn.BatchNorm2d bn;
    private readonly nn.MaxPool2d pool;
    private readonly nn.LSTM lstm;
    private readonly nn.Linear head;

    public InteropNet()
    {
        conv = RegisterModule("conv", new nn.Conv2d(1, 4, 3, padding: 1));
        bn = RegisterModule("bn", new nn.BatchNorm2d(4));
        pool = RegisterModule("pool", new nn.MaxPool2d(2));
        lstm = RegisterModule("lstm", new nn.LSTM(16, 6, batch_first: true));
        head = RegisterModule("head", new nn.Linear(6, 3));
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = pool.forward(bn.forward(conv.forward(input)).relu());
        x = x.flatten(1, 2).transpose(1, 2);
        var (output, _, _) = lstm.forward(x);
        return head.forward(output.select(1, -1)).MoveToOuterDisposeScope();
    }
}
