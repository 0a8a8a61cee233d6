"""Will this network and its training fit in memory? Checked before anything is allocated, so
a network of 10,000,000 hidden units ends in one line, not a numpy MemoryError traceback."""

import os

import numpy as np

from nndraw.errors import ConfigError

EVAL_ROWS = 10_000       # network._EVAL_CHUNK: the most examples measured at once
PARAMETER_COPIES = 4     # weights, their steps, the momentum, the host copy for the window


def training_bytes(sizes, mini_batch_size, dtype="float32", data_rows=0):
    """About how many bytes training a network of these layer widths allocates: its
    parameters several times over, one mini-batch's activations, an evaluation chunk, and
    (on a GPU) the training images copied to the device (`data_rows` of them)."""
    itemsize = np.dtype(dtype).itemsize
    parameters = sum((n_in + 1) * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
    units = sum(sizes[1:])
    batch = mini_batch_size * (sizes[0] + 1 + 3 * units + 2 * sizes[-1])
    evaluation = EVAL_ROWS * 2 * units   # inputs' products and activations of one chunk
    initialisation = 2 * max((n_in + 1) * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
    data = data_rows * sizes[0]
    return (PARAMETER_COPIES * parameters + batch + evaluation + data) * itemsize \
        + initialisation * 8     # float64 draws before the cast


def available_bytes():
    """Memory this process can still take: the least of what the system has free and any
    cgroup (container) limit. None where neither can be read (the check is then skipped)."""
    limits = []
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    limits.append(int(line.split()[1]) * 1024)
    except (OSError, ValueError, IndexError):
        try:
            limits.append(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
        except (OSError, ValueError, AttributeError):
            pass
    try:
        with open("/sys/fs/cgroup/memory.max", encoding="ascii") as f:
            limit = f.read().strip()
        with open("/sys/fs/cgroup/memory.current", encoding="ascii") as f:
            used = int(f.read().strip())
        if limit != "max":
            limits.append(max(int(limit) - used, 0))
    except (OSError, ValueError):
        pass
    return min(limits) if limits else None


def check_fits(config, available=None):
    """ConfigError, in one line, if training `config` would need more memory than is free
    (`available` bytes, measured when not given). The data set is already loaded when this
    runs, so it is not counted. On a GPU the same arrays live on the device, whose own
    out-of-memory error already becomes a DeviceError; the host keeps copies, so the same
    estimate is checked here."""
    need = training_bytes(config.sizes, config.mini_batch_size, config.dtype)
    if available is None:
        available = available_bytes()
    if available is not None and need > available:
        sizes = ",".join(map(str, config.sizes))
        raise ConfigError(f"layers {sizes} with mini-batches of {config.mini_batch_size} need "
                          f"about {_size(need)} of memory to train, and {_size(available)} is "
                          "free: choose smaller layers or mini-batches")


def _size(n):
    """1.2 GB, 340.0 MB, ...: decimal units, as file managers show them."""
    for unit in ("bytes", "KB", "MB"):
        if n < 1000:
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} GB"
