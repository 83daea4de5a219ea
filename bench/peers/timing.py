"""The one timer the Python peers share: a warm-up call, then the median of `reps` timed calls, in ms; and which
keys a partial `npm run bench -- --only ...` wants (BENCH_KEYS, comma-separated; unset: all)."""
import os
import time

_WANTED = None if os.environ.get("BENCH_KEYS") is None else set(os.environ["BENCH_KEYS"].split(","))


def wanted(key):
    """Whether this run asked for `key` (on one thread; its "@2" twin counts too)."""
    return _WANTED is None or key in _WANTED or f"{key}@2" in _WANTED


def median_ms(fn, reps):
    fn()  # warm-up: imports, caches, allocator
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return times[len(times) // 2]


def on_one_and_two_threads(measure):
    """PyTorch rows: measure() -> {key: ms} on one thread (ours runs on one in Node: the same threads), then on
    two (this machine's cores), whose keys end "@2". Seeded alike for both."""
    import torch  # here, not at the top: the SciPy and tifffile peers share this file
    results = {}
    for threads in (1, 2):
        suffix = "" if threads == 1 else "@2"
        if _WANTED is not None and not any(k.endswith("@2") == (threads == 2) for k in _WANTED):
            continue
        torch.manual_seed(0)
        torch.set_num_threads(threads)
        results.update({key + suffix: ms for key, ms in measure().items()})
    return results
