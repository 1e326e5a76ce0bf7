using AverLab.Torch.Native;

namespace AverLab.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>A learnable tensor of a module (torch.nn.Parameter): a leaf that requires grad by default and
        /// shares storage with the data it was made from. It is never owned by a <see cref="DisposeScope"/>: the
        /// module that registers it disposes it. Its identity survives <see cref="Module.to(Device)"/>.</summary>
        public sealed class Parameter : Tensor
        {
            public Parameter(Tensor data, bool requires_grad = true) : base(DetachedAlias(data))
            {
                DetachFromDisposeScope();
                this.requires_grad = requires_grad;
            }

            private static IntPtr DetachedAlias(Tensor data)
            {
                var h = LibTorch.alt_unary(data.Handle, UnaryOp.Detach);
                GC.KeepAlive(data);
                if (h == IntPtr.Zero) throw NativeErrors.Take();
                return h;
            }

            public override string ToString() => "Parameter containing:\n" + base.ToString();
        }
    }
}
