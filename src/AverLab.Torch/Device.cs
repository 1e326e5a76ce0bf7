namespace AverLab.Torch;

/// <summary>Device kinds. Values equal c10::DeviceType's.</summary>
public enum DeviceType { CPU = 0, CUDA = 1 }

/// <summary>A device, as torch.device: "cpu", "cuda", "cuda:1".</summary>
public readonly record struct Device(DeviceType type, int index = -1)
{
    public static readonly Device CPU = new(DeviceType.CPU);

    /// <summary>Parses PyTorch's device strings ("cpu", "cuda", "cuda:0").</summary>
    public static Device Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var parts = spec.Trim().ToLowerInvariant().Split(':');
        var type = parts[0] switch
        {
            "cpu" => DeviceType.CPU,
            "cuda" => DeviceType.CUDA,
            _ => throw new ArgumentException($"unknown device '{spec}': expected cpu, cuda or cuda:N", nameof(spec)),
        };
        if (parts.Length == 1) return new Device(type);
        if (parts.Length == 2 && int.TryParse(parts[1], out var index) && index >= 0) return new Device(type, index);
        throw new ArgumentException($"malformed device '{spec}': expected cpu, cuda or cuda:N", nameof(spec));
    }

    public override string ToString() =>
        (type == DeviceType.CPU ? "cpu" : "cuda") + (index >= 0 ? $":{index}" : "");

    public static implicit operator Device(string spec) => Parse(spec);
}
