// libtorch's default random generator is process-wide: runs that seed it (determinism and resume tests) must not
// share the process with other tests drawing from it at the same time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
