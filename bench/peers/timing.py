"""The one timer the Python peers share: a warm-up call, then the median of `reps` timed calls, in ms."""
import time


def median_ms(fn, reps):
    fn()  # warm-up: imports, caches, allocator
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return times[len(times) // 2]
