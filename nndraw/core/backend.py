"""numpy or cupy, chosen once per network; the one place that knows whether a GPU is usable.

Every array operation in the core goes through the module returned by `array_module`, so the
same code runs on the CPU and the GPU. Only `to_host` brings arrays back to numpy.
"""

import contextlib
import functools
import os
import time

import numpy as np

from nndraw.errors import DeviceError

DEVICES = ("cpu", "gpu")


@functools.cache
def gpu_unavailable_reason():
    """None when cupy can allocate on a GPU, else a sentence saying why it cannot."""
    try:
        import cupy
    except ImportError:
        return ('cupy is not installed (in the nndraw folder: pip install ".[gpu]", '
                "see the README)")
    except Exception as exc:  # a broken CUDA install can fail in many ways at import
        return f"cupy failed to import: {exc}"
    try:
        if not cupy.is_available():
            return "cupy is installed but sees no usable CUDA GPU"
        cupy.zeros(1).sum().item()  # a real allocation and kernel launch
    except Exception as exc:
        return f"the GPU cannot be used: {exc}"
    return None


def gpu_available():
    return gpu_unavailable_reason() is None


def array_module(device):
    """The array module for 'cpu' (numpy) or 'gpu' (cupy); DeviceError with the reason if not."""
    if device == "cpu":
        return np
    if device != "gpu":
        raise DeviceError(f"unknown device {device!r}: choose 'cpu' or 'gpu'")
    reason = gpu_unavailable_reason()
    if reason:
        raise DeviceError(f"the GPU is not available: {reason}")
    import cupy

    return cupy


def gpu_error_message(exc):
    """A sentence for an exception raised by cupy or CUDA (out of memory, a driver fault),
    or None when `exc` did not come from the GPU."""
    kind = type(exc)
    if not kind.__module__.startswith(("cupy", "cupy_backends")):
        return None
    if "OutOfMemory" in kind.__name__:
        return ("the GPU ran out of memory; the run stopped. Try a smaller network or "
                "mini-batch, or train on the CPU")
    return f"the GPU failed ({kind.__name__}: {exc}); the run stopped. Try training on the CPU"


@contextlib.contextmanager
def gpu_errors_as_device_errors():
    """Turn cupy's and CUDA's own exceptions inside the block into a DeviceError that says
    what happened, so callers handle a GPU fault like any other error a user can meet."""
    try:
        yield
    except DeviceError:
        raise
    except Exception as exc:
        message = gpu_error_message(exc)
        if message is None:
            raise
        raise DeviceError(message) from exc


def to_host(array):
    """A numpy copy (or the array itself when it already lives on the host)."""
    if isinstance(array, np.ndarray):
        return array
    get = getattr(array, "get", None)
    return get() if get is not None else np.asarray(array)


# A matrix product below this many multiply-adds runs faster on one BLAS thread: waking a
# second thread for every small product of a mini-batch costs more than it saves (measured
# in benchmarks/bench_training.py: [784, 100, 10] at batch 10 trains ~2x faster on one thread).
SMALL_PRODUCT = 4_000_000
# A core counts as free when others left at least this share of it idle: a thread sharing a
# core with a busy neighbour stalls every product that waits for it (BENCHMARKS.md).
FREE_SHARE = 0.8
# How often a training loop asks again how many cores are free (seconds).
RECHECK_SECONDS = 0.5


@functools.cache
def _blas_controller():
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def _usable_cores():
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class FreeCores:
    """How many cores other processes left idle, from the machine's busy time in /proc/stat
    less this process's own CPU time, between one call of `free()` and the next. Measures
    what is happening now, unlike the load average (a minute-long mean that counts this
    process too). Where /proc/stat cannot be read, every usable core counts as free."""

    def __init__(self):
        self.cores = _usable_cores()
        self._last = self._sample()

    @staticmethod
    def _busy_seconds():
        """Seconds all CPUs spent busy since boot (steal included: the host took them), or
        None without /proc/stat."""
        try:
            with open("/proc/stat", "rb") as f:
                fields = f.readline().split()
        except OSError:
            return None
        if not fields or fields[0] != b"cpu":
            return None
        ticks = [int(v) for v in fields[1:9]]  # user nice system idle iowait irq softirq steal
        return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")

    def _sample(self):
        own = os.times()
        return time.monotonic(), self._busy_seconds(), own.user + own.system

    def free(self, sample=None):
        """Cores free for this process (its own counted free), as a float, since the last
        call; `sample`: (wall seconds, machine busy seconds, own CPU seconds) for tests."""
        now = sample or self._sample()
        (t0, busy0, own0), (t1, busy1, own1) = self._last, now
        self._last = now
        if busy0 is None or busy1 is None or t1 - t0 <= 0:
            return float(self.cores)
        others = max(0.0, (busy1 - busy0) - (own1 - own0)) / (t1 - t0)
        machine = os.cpu_count() or self.cores
        # others may run on cores outside this process's affinity: count them pro rata
        others *= self.cores / machine
        return max(0.0, self.cores - others)


def threads_for_free_cores(free):
    """BLAS threads for `free` cores: each needs FREE_SHARE of a core to itself; at least 1."""
    return max(1, int(free + (1 - FREE_SHARE)))


def blas_threads_for(xp, largest_product, free_cores=None):
    """numpy: 1 for products too small to share between threads, else one thread per core
    that other processes leave free (`free_cores`, None: all usable cores). cupy: None
    (numpy's BLAS is not used)."""
    if xp is not np:
        return None
    if largest_product < SMALL_PRODUCT:
        return 1
    return threads_for_free_cores(_usable_cores() if free_cores is None else free_cores)


class BlasThreads:
    """numpy's BLAS thread count for one training loop: `start()` sets it, `recheck()` (call
    it every mini-batch: it looks at the clock and only every RECHECK_SECONDS at /proc/stat)
    follows a neighbour that starts or stops, `stop()` restores the count found at start.
    Products too small to share stay on one thread without sampling anything."""

    def __init__(self, xp, largest_product, free_cores=None, most=None):
        self.xp, self.largest, self.most = xp, largest_product, most
        self.free_cores = free_cores  # a FreeCores to reuse between epochs, or None
        self.threads = None
        self._libraries, self._next = [], 0.0

    def start(self):
        if self.xp is not np:
            return self
        self._libraries = [(lib, lib.num_threads) for lib in
                           _blas_controller().select(user_api="blas").lib_controllers]
        if self.largest < SMALL_PRODUCT or self.most == 1:
            self._set(1)
            return self
        if self.free_cores is None:
            self.free_cores = FreeCores()
            time.sleep(0.05)  # a first window to measure in
        self._decide()
        return self

    def recheck(self):
        if self._next and time.monotonic() >= self._next:
            self._decide()

    def stop(self):
        for lib, count in self._libraries:
            lib.set_num_threads(count)
        self._libraries, self._next = [], 0.0

    def _decide(self):
        count = blas_threads_for(self.xp, self.largest, self.free_cores.free())
        self._set(count if self.most is None or count is None else min(count, self.most))
        self._next = time.monotonic() + RECHECK_SECONDS

    def _set(self, count):
        if count != self.threads:
            for lib, _ in self._libraries:
                lib.set_num_threads(count)
            self.threads = count

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def batches_between_syncs(xp, mini_batch_size):
    """How many mini-batches to run before reading a cost back and yielding to the caller:
    on the GPU every 16th, because reading a value waits for the device to finish; on the
    CPU about every 256 examples (every batch from 256 up), so small batches do not pay
    the bookkeeping per batch (about 3 us of a 50-70 us batch of 10) and a stop still
    comes within a millisecond or two."""
    if xp is not np:
        return 16
    return max(1, 256 // mini_batch_size)


def on_host(xp):
    """True for numpy (arrays in host memory), False for cupy."""
    return xp is np


def take_rows(source, index):
    """A new array of the rows `index` of `source`, on its own device."""
    return source.take(index, axis=0) if isinstance(source, np.ndarray) else source[index]


def gather(source, index, axis, out):
    """Copy the entries `index` (all in range) along `axis` of `source` into `out`. numpy:
    the `take` method (np.take's wrapper costs as much as the copy at small batches) with
    mode='clip', which writes straight into a contiguous `out` where the default mode
    gathers into a temporary first; cupy: plain fancy indexing, its most portable form."""
    if isinstance(source, np.ndarray):
        source.take(index, axis=axis, out=out, mode="clip")
    elif axis == 0:
        out[...] = source[index]
    else:
        out[...] = source[:, index]
