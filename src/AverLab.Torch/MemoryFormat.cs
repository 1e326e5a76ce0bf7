namespace AverLab.Torch;

/// <summary>How a dense tensor's elements are laid out (torch.memory_format; values as c10::MemoryFormat).
/// ChannelsLast stores a 4-D N x C x H x W tensor as N x H x W x C in memory: shape and indexing are unchanged, only
/// the strides differ, and libtorch's oneDNN convolutions then skip reordering activations to and from their
/// blocked layout.</summary>
public enum MemoryFormat
{
    Contiguous = 0,
    Preserve = 1,
    ChannelsLast = 2,
    ChannelsLast3d = 3,
}
