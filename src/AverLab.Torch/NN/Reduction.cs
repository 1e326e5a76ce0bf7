namespace AverLab.Torch;

/// <summary>How a loss reduces over elements (PyTorch's reduction='none'|'mean'|'sum'). Values are at::Reduction's.</summary>
public enum Reduction
{
    None = 0,
    Mean = 1,
    Sum = 2,
}
