namespace AverLab.Training.Distributed;

/// <summary>The collective operations data-parallel training uses, over a fixed group of processes (ranks). Every
/// rank must make the same calls in the same order with the same counts; a rank that fails must not leave the others
/// waiting (<see cref="Abort"/>).</summary>
public interface ICollectives
{
    int Rank { get; }
    int Size { get; }
    /// <summary>Element-wise sum over all ranks, in place: every rank ends with the same values.</summary>
    void AllreduceSum(Span<float> values);
    /// <inheritdoc cref="AllreduceSum(Span{float})"/>
    void AllreduceSum(Span<double> values);
    /// <summary>Root's bytes to every rank, in place (the length must agree).</summary>
    void Broadcast(Span<byte> bytes, int root = 0);
    void Barrier();
    /// <summary>Ends every rank of the job (MPI_Abort): called when one rank fails, so no rank blocks forever.</summary>
    void Abort(int code);
}
