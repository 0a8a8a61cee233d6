"""Save and load models: one .npz holding the weights, biases and a JSON metadata string.

`allow_pickle=False` on load: a model file can hold arrays and text, never code. Saving goes
to a temporary file in the same folder, fsynced, then renamed over the target, so a failed
save never damages the file that was there before.
"""

import json
import math
import os
import tokenize
import zipfile
import zlib

import numpy as np

from nndraw.core.network import Network, parse_sizes
from nndraw.errors import ConfigError, ModelFileError, NndrawError
from nndraw.files import write_atomically
from nndraw.paths import resource_path

FORMAT = "nndraw-model"
VERSION = 1


def pretrained(device="cpu"):
    """The model that ships with nndraw: `nndraw train --preset robust` (seed 0), 99.05 % on
    MNIST's test set and trained on distorted digits, so it reads drawings well too."""
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


def load_model(path, device="cpu"):
    """The Network stored at `path`, its metadata in `network.metadata`. ModelFileError naming
    the file if it is missing, corrupt, or not an nndraw model. Nothing is allocated before
    the file's own headers say it is an nndraw model of a sane size."""
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise ModelFileError(f"{path}: no such model file")
    try:
        with zipfile.ZipFile(path) as archive:
            meta = json.loads(str(_read_array(archive, "meta", None, "U", MAX_META_BYTES)[()]))
            sizes, options = _check_meta(meta)
            weights, biases = [], []
            for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
                weights.append(_read_array(archive, f"w{i}", (n_out, n_in), "f"))
                biases.append(_read_array(archive, f"b{i}", (n_out, 1), "f"))
        for array in weights + biases:
            if not np.isfinite(array).all():
                raise ValueError("its weights are not all finite numbers")
        network = Network(sizes, device=device, **options)
        network.set_parameters(weights, biases)
    except _UNREADABLE as exc:
        reason = str(exc).strip("'\"") or type(exc).__name__
        raise ModelFileError(f"{path}: not a valid nndraw model ({reason})") from None
    network.metadata = {"history": meta.get("history", []), "config": meta.get("config", {}),
                        "path": path}
    return network


MAX_META_BYTES = 16 << 20
MAX_PARAMETERS = 100_000_000  # 400 MB of float32: far beyond any network nndraw trains
_OPTIONS = {"activation", "output", "cost", "init", "dtype"}
# What reading a damaged or hostile zip of .npy files can raise; all mean "not a model".
# (numpy parses a .npy header as a Python literal: a damaged one can raise SyntaxError or
# tokenize's TokenError; found by tests/fuzz.)
_UNREADABLE = (ValueError, KeyError, TypeError, OSError, EOFError, zipfile.BadZipFile,
               zipfile.LargeZipFile, zlib.error, NotImplementedError, RuntimeError,
               ConfigError, IndexError, AttributeError, OverflowError, SyntaxError,
               tokenize.TokenError)


def _check_meta(meta):
    """(sizes, options) from the metadata, or ValueError saying what is wrong."""
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ValueError("no nndraw metadata")
    if meta.get("version") != VERSION:
        raise ValueError(f"format version {meta.get('version')!r}, expected {VERSION}")
    sizes = parse_sizes(meta.get("sizes"))
    if sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:])) > MAX_PARAMETERS:
        raise ValueError(f"layer sizes {sizes} are beyond what nndraw loads")
    options = meta.get("options")
    if not isinstance(options, dict) or not set(options) <= _OPTIONS:
        raise ValueError("its options are not nndraw's")
    if not isinstance(meta.get("history", []), list) or \
            not isinstance(meta.get("config", {}), dict):
        raise ValueError("its history or settings are malformed")
    return sizes, options


def _read_array(archive, name, shape, kind, max_bytes=None):
    """One .npy member of the archive, checked against the expected shape and dtype kind
    from its header alone before any data is read, so a lying header allocates nothing."""
    with archive.open(f"{name}.npy") as f:
        version = np.lib.format.read_magic(f)
        if version == (1, 0):
            found, fortran, dtype = np.lib.format.read_array_header_1_0(f)
        elif version == (2, 0):
            found, fortran, dtype = np.lib.format.read_array_header_2_0(f)
        else:
            raise ValueError(f"{name}: unsupported .npy version {version}")
        if dtype.hasobject or dtype.kind != kind:
            raise ValueError(f"{name} holds {dtype}, not the numbers expected")
        if shape is not None and tuple(found) != shape:
            raise ValueError(f"{name} has shape {tuple(found)}, expected {shape}")
        nbytes = math.prod(found) * dtype.itemsize
        if max_bytes is not None and nbytes > max_bytes:
            raise ValueError(f"{name} is too large")
        data = f.read(nbytes)
    if len(data) != nbytes:
        raise ValueError(f"{name} is truncated")
    return np.frombuffer(data, dtype).reshape(found, order="F" if fortran else "C")
