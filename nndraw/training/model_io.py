"""Save and load models: one .npz holding the weights, biases and a JSON metadata string.

`allow_pickle=False` on load: a model file can hold arrays and text, never code. Saving goes
to a temporary file in the same folder, fsynced, then renamed over the target, so a failed
save never damages the file that was there before.
"""

import json
import os
import tempfile
import zipfile

import numpy as np

from nndraw.core.network import Network
from nndraw.errors import ConfigError, ModelFileError, NndrawError
from nndraw.paths import resource_path

FORMAT = "nndraw-model"
VERSION = 1


def pretrained(device="cpu"):
    """The model that ships with nndraw (the default preset, seed 0; >= 98% on MNIST)."""
    return load_model(resource_path("models", "default.npz"), device=device)


def save_model(path, network, *, history=(), config=None):
    """Write `network` (with its training `history` and `config` as metadata) to `path`."""
    path = os.fspath(path)
    if not network.parameters_finite():
        raise NndrawError(f"{path}: not saved: the network's weights are not finite "
                          "(training diverged)")
    weights, biases = network.host_parameters()
    meta = {"format": FORMAT, "version": VERSION, "sizes": network.sizes,
            "options": network.options, "history": list(history), "config": config or {}}
    arrays = {f"w{i}": w for i, w in enumerate(weights)}
    arrays.update({f"b{i}": b for i, b in enumerate(biases)})
    arrays["meta"] = np.array(json.dumps(meta))
    write_atomically(path, lambda f: np.savez(f, **arrays))


def write_atomically(path, write):
    """Call write(file) on a temporary file beside `path`, fsync it and rename it over `path`."""
    folder = os.path.dirname(os.path.abspath(path))
    tmp = None
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=f".{os.path.basename(path)}.",
                                         suffix=".tmp", delete=False) as f:
            tmp = f.name
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise NndrawError(f"{path}: could not save ({exc.strerror or exc}); "
                          "the previous file, if any, is unchanged") from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def load_model(path, device="cpu"):
    """The Network stored at `path`, its metadata in `network.metadata`. ModelFileError naming
    the file if it is missing, corrupt, or not an nndraw model."""
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise ModelFileError(f"{path}: no such model file")
    try:
        with np.load(path, allow_pickle=False) as archive:
            meta = json.loads(str(archive["meta"][()]))
            if not isinstance(meta, dict) or meta.get("format") != FORMAT:
                raise ValueError("no nndraw metadata")
            if meta.get("version") != VERSION:
                raise ValueError(f"format version {meta.get('version')!r}, expected {VERSION}")
            sizes = meta["sizes"]
            count = len(sizes) - 1
            weights = [archive[f"w{i}"] for i in range(count)]
            biases = [archive[f"b{i}"] for i in range(count)]
        options = dict(meta["options"])
        network = Network(sizes, device=device, **options)
        for array in weights + biases:
            if array.dtype.kind != "f" or not np.isfinite(array).all():
                raise ValueError("weights are not finite floating-point numbers")
        network.set_parameters(weights, biases)
    except ModelFileError:
        raise
    except (ValueError, KeyError, TypeError, OSError, EOFError, zipfile.BadZipFile,
            ConfigError, IndexError, AttributeError) as exc:
        reason = str(exc).strip("'\"") or type(exc).__name__
        raise ModelFileError(f"{path}: not a valid nndraw model ({reason})") from None
    network.metadata = {"history": meta.get("history", []), "config": meta.get("config", {}),
                        "path": path}
    return network
