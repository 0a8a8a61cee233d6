"""nndraw: draw a digit, watch a neural network read it, and train one from scratch.

The network core follows Nielsen's *Neural Networks and Deep Learning*, with each mini-batch
pushed through a layer as one matrix product. Qt is only imported by `nndraw.gui`.
"""

from nndraw.core.network import Network
from nndraw.data.datasets import Split, load_fashion_mnist, load_idx_folder, load_mnist
from nndraw.errors import NndrawError

__version__ = "0.1.0"
__all__ = ["Network", "NndrawError", "Split", "load_fashion_mnist", "load_idx_folder",
           "load_mnist", "load_model", "pretrained", "read_number", "save_model", "to_mnist",
           "__version__"]


def __getattr__(name):
    # Loaded on first use, so `import nndraw` stays light.
    if name == "to_mnist":
        from nndraw.data.preprocess import to_mnist
        return to_mnist
    if name == "read_number":
        from nndraw.reading import read_number
        return read_number
    if name in ("load_model", "save_model", "pretrained"):
        from nndraw.training import model_io
        return getattr(model_io, name)
    raise AttributeError(f"module 'nndraw' has no attribute {name!r}")
