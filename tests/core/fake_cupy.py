"""numpy dressed as cupy, so the GPU code path and GPU faults can be tested without a GPU.

Arrays stay numpy arrays, but `xp is np` is False, so the network takes the branches it
takes on a GPU. `fail_after=n` makes the (n+1)-th matrix product raise cupy's out-of-memory
error, as a GPU that fills up mid-run does.
"""

import numpy as np

OutOfMemoryError = type("OutOfMemoryError", (MemoryError,), {"__module__": "cupy.cuda.memory"})
CUDARuntimeError = type("CUDARuntimeError", (RuntimeError,),
                        {"__module__": "cupy_backends.cuda.api.runtime"})


class FakeCupy:
    def __init__(self, fail_after=None):
        self.products = 0
        self.fail_after = fail_after

    def __getattr__(self, name):
        return getattr(np, name)

    def matmul(self, *args, **kwargs):
        self.products += 1
        if self.fail_after is not None and self.products > self.fail_after:
            raise OutOfMemoryError("out of memory allocating 1,048,576 bytes")
        return np.matmul(*args, **kwargs)


def as_gpu(monkeypatch, fake):
    """Make device='gpu' networks use `fake` as their array module."""
    from nndraw.core import backend

    real = backend.array_module
    monkeypatch.setattr(backend, "array_module",
                        lambda device: fake if device == "gpu" else real(device))
