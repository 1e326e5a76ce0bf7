"""Steady-state timing shared by the PyTorch side of bench/compare: warm up, then the best of several repeats."""
import time


def seconds_per_iteration(body, iterations, repeats=5, warmup=None):
    body(max(1, iterations // 5) if warmup is None else warmup)
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        body(iterations)
        best = min(best, (time.perf_counter() - t0) / iterations)
    return best
