using System.Runtime.InteropServices;

namespace AverLab.Training.Distributed;

/// <summary>MPI_COMM_WORLD of an Open MPI job (started with mpirun -np N or srun --mpi=pmix): init once per process,
/// rank and size, sum all-reduce on float and double buffers, byte broadcast, barrier, finalize on dispose.</summary>
public sealed class MpiWorld : ICollectives, IDisposable
{
    private static readonly Lock Gate = new();
    private static MpiWorld? instance;
    private readonly IntPtr world, floatType, doubleType, byteType, sum;
    private bool disposed;

    private MpiWorld()
    {
        var lib = MpiNative.Open();
        world = NativeLibrary.GetExport(lib, "ompi_mpi_comm_world");
        floatType = NativeLibrary.GetExport(lib, "ompi_mpi_float");
        doubleType = NativeLibrary.GetExport(lib, "ompi_mpi_double");
        byteType = NativeLibrary.GetExport(lib, "ompi_mpi_byte");
        sum = NativeLibrary.GetExport(lib, "ompi_mpi_op_sum");
        Check(MpiNative.MPI_Initialized(out var initialized), "MPI_Initialized");
        if (initialized == 0) Check(MpiNative.MPI_Init(IntPtr.Zero, IntPtr.Zero), "MPI_Init");
        Check(MpiNative.MPI_Comm_rank(world, out var rank), "MPI_Comm_rank");
        Check(MpiNative.MPI_Comm_size(world, out var size), "MPI_Comm_size");
        Rank = rank;
        Size = size;
    }

    /// <summary>The process's world, initialised on first use (MPI allows one MPI_Init per process).</summary>
    public static MpiWorld Get()
    {
        lock (Gate) return instance ??= new MpiWorld();
    }

    /// <summary>The world if this process has started MPI, else null.</summary>
    public static MpiWorld? Started
    {
        get { lock (Gate) return instance; }
    }

    /// <summary>True when this process was started by an MPI launcher (mpirun/mpiexec, or srun with PMIx/PMI2).</summary>
    public static bool Launched =>
        Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE") != null || Environment.GetEnvironmentVariable("PMIX_RANK") != null
        || Environment.GetEnvironmentVariable("PMI_RANK") != null;

    public int Rank { get; }
    public int Size { get; }

    public void AllreduceSum(Span<float> values)
    {
        if (values.IsEmpty) return;
        Check(MpiNative.MPI_Allreduce(MpiNative.InPlace, ref MemoryMarshal.GetReference(values), values.Length, floatType, sum, world), "MPI_Allreduce");
    }

    public void AllreduceSum(Span<double> values)
    {
        if (values.IsEmpty) return;
        Check(MpiNative.MPI_Allreduce_double(MpiNative.InPlace, ref MemoryMarshal.GetReference(values), values.Length, doubleType, sum, world), "MPI_Allreduce");
    }

    public void Broadcast(Span<byte> bytes, int root = 0)
    {
        if (bytes.IsEmpty) return;
        Check(MpiNative.MPI_Bcast(ref MemoryMarshal.GetReference(bytes), bytes.Length, byteType, root, world), "MPI_Bcast");
    }

    public void Barrier() => Check(MpiNative.MPI_Barrier(world), "MPI_Barrier");

    public void Abort(int code) => MpiNative.MPI_Abort(world, code);

    /// <summary>MPI_Finalize (once; after it this process can make no MPI call).</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        if (MpiNative.MPI_Finalized(out var finalized) == 0 && finalized == 0) MpiNative.MPI_Finalize();
    }

    // Open MPI's default error handler (MPI_ERRORS_ARE_FATAL) aborts before returning an error; this catches the rest.
    private static void Check(int code, string call)
    {
        if (code != 0) throw new InvalidOperationException($"{call} failed with MPI error {code}");
    }
}
