using System.Threading.Channels;

namespace AverLab.Web;

/// <summary>The bounded queue of analyses waiting for a worker. <see cref="TryEnqueue"/> never blocks: when the queue
/// is full the upload is refused (503), so the server's memory and backlog stay bounded.</summary>
public sealed class AnalysisQueue(WebOptions options)
{
    private readonly Channel<string> channel = Channel.CreateBounded<string>(new BoundedChannelOptions(options.QueueCapacity)
    {
        FullMode = BoundedChannelFullMode.Wait, SingleReader = false, SingleWriter = false,
    });
    private int waiting;

    public int Capacity => options.QueueCapacity;
    public int Waiting => Volatile.Read(ref waiting);

    public bool TryEnqueue(string id)
    {
        if (!channel.Writer.TryWrite(id)) return false;
        Interlocked.Increment(ref waiting);
        return true;
    }

    /// <summary>For analyses left from a previous run of the server: waits for room instead of refusing.</summary>
    public async ValueTask EnqueueAsync(string id, CancellationToken ct)
    {
        await channel.Writer.WriteAsync(id, ct);
        Interlocked.Increment(ref waiting);
    }

    public async ValueTask<string> DequeueAsync(CancellationToken ct)
    {
        var id = await channel.Reader.ReadAsync(ct);
        Interlocked.Decrement(ref waiting);
        return id;
    }
}
