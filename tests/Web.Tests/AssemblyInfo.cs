// The fixture trains with libtorch's process-wide generator, and the load test measures the process's memory: the
// test classes run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
