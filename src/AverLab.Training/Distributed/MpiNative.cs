using System.Runtime.InteropServices;

namespace AverLab.Training.Distributed;

/// <summary>The few libmpi entry points data-parallel training needs, declared against Open MPI's ABI
/// (libmpi.so.40, Open MPI 4.x). Open MPI's handles are the addresses of exported objects (MPI_COMM_WORLD is
/// &amp;ompi_mpi_comm_world, MPI_FLOAT &amp;ompi_mpi_float, MPI_SUM &amp;ompi_mpi_op_sum), taken with
/// NativeLibrary.GetExport. libmpi is opened RTLD_GLOBAL first, as Open MPI's plugins need its symbols.
/// Why not MPI.NET 1.4.0: see README "On a cluster".</summary>
internal static partial class MpiNative
{
    public const string Library = "libmpi.so.40";
    /// <summary>Open MPI's MPI_IN_PLACE is ((void*)1).</summary>
    public static readonly IntPtr InPlace = 1;

    [LibraryImport(Library)] public static partial int MPI_Initialized(out int flag);
    [LibraryImport(Library)] public static partial int MPI_Finalized(out int flag);
    [LibraryImport(Library)] public static partial int MPI_Init(IntPtr argc, IntPtr argv);
    [LibraryImport(Library)] public static partial int MPI_Finalize();
    [LibraryImport(Library)] public static partial int MPI_Comm_rank(IntPtr comm, out int rank);
    [LibraryImport(Library)] public static partial int MPI_Comm_size(IntPtr comm, out int size);
    [LibraryImport(Library)] public static partial int MPI_Barrier(IntPtr comm);
    [LibraryImport(Library)] public static partial int MPI_Abort(IntPtr comm, int errorcode);
    [LibraryImport(Library)] public static partial int MPI_Allreduce(IntPtr sendbuf, ref float recvbuf, int count, IntPtr datatype, IntPtr op, IntPtr comm);
    [LibraryImport(Library, EntryPoint = "MPI_Allreduce")] public static partial int MPI_Allreduce_double(IntPtr sendbuf, ref double recvbuf, int count, IntPtr datatype, IntPtr op, IntPtr comm);
    [LibraryImport(Library)] public static partial int MPI_Bcast(ref byte buffer, int count, IntPtr datatype, int root, IntPtr comm);

    [LibraryImport("libc", EntryPoint = "dlopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr dlopen(string file, int mode);
    [LibraryImport("libc", EntryPoint = "dlerror")]
    private static partial IntPtr dlerror();

    private const int RtldNow = 2, RtldGlobal = 0x100;

    /// <summary>Opens libmpi globally and returns its handle; a clear error when it is missing.</summary>
    public static IntPtr Open()
    {
        var handle = OperatingSystem.IsLinux() ? dlopen(Library, RtldNow | RtldGlobal) : IntPtr.Zero;
        if (handle == IntPtr.Zero)
        {
            var why = OperatingSystem.IsLinux() ? Marshal.PtrToStringUTF8(dlerror()) : "only Linux with Open MPI 4 is supported";
            throw new DllNotFoundException($"training.distributed: mpi needs Open MPI's {Library} (Debian: apt-get install openmpi-bin libopenmpi-dev; scripts/setup.sh installs them): {why}");
        }
        return handle;
    }
}
