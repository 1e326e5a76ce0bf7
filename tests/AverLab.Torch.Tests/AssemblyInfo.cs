// Tensor.LiveCount is process-wide: leak tests are only exact when no other test creates tensors meanwhile.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
