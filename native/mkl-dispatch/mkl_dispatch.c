/* MKL's vendor check, answered "yes".

   Intel MKL, linked into libtorch's CPU build, picks its optimized kernels only when the CPU's CPUID vendor string
   reads "GenuineIntel"; on other x86-64 processors it takes generic code paths even where the CPU has the same
   instruction sets. Measured on this project's AMD EPYC (Zen 5, AVX-512) VM, libtorch 2.10 at 2 threads: sgemm 1024^2
   175 vs 392 GFLOP/s, VML sqrt over 2.36M floats 0.54 vs 0.11 ms, with zeros and denormals 6.9 vs 2.0 ms.

   The check is one exported function of libtorch_cpu.so, which MKL calls through the PLT. AverLab's engine loads this
   library with RTLD_GLOBAL before libtorch makes its first MKL call, so that call binds here (ELF symbol interposition,
   what LD_PRELOAD does), and MKL then chooses kernels by the CPU's feature flags as it does on Intel. Nothing else is
   replaced. AVERLAB_MKL_DISPATCH=vendor keeps MKL's own check (see AverLab.Models.Engine). */
int mkl_serv_intel_cpu_true(void) { return 1; }
