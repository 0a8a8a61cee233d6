"""numpy or cupy, chosen once per network; the one place that knows whether a GPU is usable.

Every array operation in the core goes through the module returned by `array_module`, so the
same code runs on the CPU and the GPU. Only `to_host` brings arrays back to numpy.
"""

import contextlib
import functools

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


@functools.cache
def _blas_controller():
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def blas_threads_for(xp, largest_product):
    """numpy: 1 for products too small to share between threads, else None (the BLAS
    default). cupy: None (numpy's BLAS is not used)."""
    if xp is not np:
        return None
    return 1 if largest_product < SMALL_PRODUCT else None


def batches_between_syncs(xp):
    """How many mini-batches to run before reading a cost back: every one on the CPU, every
    16th on the GPU, where reading a value waits for the device to finish."""
    return 1 if xp is np else 16


def on_host(xp):
    """True for numpy (arrays in host memory), False for cupy."""
    return xp is np


def take_rows(source, index):
    """A new array of the rows `index` of `source`, on its own device."""
    return source.take(index, axis=0) if isinstance(source, np.ndarray) else source[index]


def gather(source, index, axis, out):
    """Copy the entries `index` along `axis` of `source` into `out`. numpy: `take` with out=,
    the method (np.take's wrapper costs as much as the copy at small batches); cupy: plain
    fancy indexing, its most portable form."""
    if isinstance(source, np.ndarray):
        source.take(index, axis=axis, out=out)
    elif axis == 0:
        out[...] = source[index]
    else:
        out[...] = source[:, index]


@contextlib.contextmanager
def blas_threads(count):
    """Run the block with numpy's BLAS limited to `count` threads (None: unchanged).
    The limit is process-wide, so it is set once per epoch, not per mini-batch."""
    if count is None:
        yield
        return
    with _blas_controller().limit(limits=count, user_api="blas"):
        yield
