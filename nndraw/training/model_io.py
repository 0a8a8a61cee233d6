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
from nndraw.data.datasets import DataSource
from nndraw.errors import ConfigError, ModelFileError, NndrawError, brief
from nndraw.files import check_readable, write_atomically
from nndraw.paths import resource_path
from nndraw.training.records import Evaluation, chained

FORMAT = "nndraw-model"
VERSION = 1


def pretrained(device="cpu"):
    """The model that ships with nndraw: `nndraw train --preset robust` (seed 0), 99.13 % on
    MNIST's test set and trained on distorted digits, so it reads drawings well too."""
    return load_model(resource_path("models", "default.npz"), device=device)


def save_model(path, network, *, history=(), config=None, dataset=None, plan=None,
               texts=None):
    """Write `network` to `path` with, as metadata, its `history` (Evaluation records: the
    model's timeline), the `config` that trained it, the DataSource it reads and its training
    `plan` (offset, end) in timeline epochs, which Resume finishes. `texts`: more named
    strings stored in the same file (a run's JSON), read back with read_text; load_model
    ignores them."""
    path = os.fspath(path)
    if not network.parameters_finite():
        raise NndrawError(f"{path}: not saved: the network's weights are not finite "
                          "(training diverged)")
    weights, biases = network.host_parameters()
    meta = {"format": FORMAT, "version": VERSION, "sizes": network.sizes,
            "options": network.options, "history": [e.to_dict() for e in history],
            "config": config or {}, "dataset": (dataset or DataSource.mnist()).to_dict()}
    if plan is not None and plan[1] is not None:
        meta["plan"] = [float(plan[0]), float(plan[1])]
    arrays = {f"w{i}": w for i, w in enumerate(weights)}
    arrays.update({f"b{i}": b for i, b in enumerate(biases)})
    arrays["meta"] = np.array(json.dumps(meta))
    arrays.update({name: np.array(text) for name, text in (texts or {}).items()})
    write_atomically(path, lambda f: np.savez(f, **arrays))


def load_model(path, device="cpu"):
    """The Network stored at `path`, its metadata in `network.metadata`. ModelFileError naming
    the file if it is missing, corrupt, or not an nndraw model. Nothing is allocated before
    the file's own headers say it is an nndraw model of a sane size."""
    path = os.fspath(path)
    check_readable(path, ModelFileError, "model file")
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
        timeline = chained([Evaluation.from_dict(e) for e in meta.get("history", [])])
        dataset = DataSource.from_dict(meta.get("dataset"))
        plan = _plan(meta.get("plan"))
    except _UNREADABLE as exc:
        raise ModelFileError(f"{path}: not a valid nndraw model ({brief(exc)})") from None
    network.metadata = {"history": timeline, "config": meta.get("config", {}),
                        "dataset": dataset, "plan": plan, "path": path}
    return network


def read_text(path, name, max_bytes):
    """The string stored as `name` by save_model(texts=...), or None if the file has none.
    ModelFileError naming the file if it is missing, not a regular file, or unreadable."""
    path = os.fspath(path)
    check_readable(path, ModelFileError, "model file")
    try:
        with zipfile.ZipFile(path) as archive:
            if f"{name}.npy" not in archive.namelist():
                return None
            return str(_read_array(archive, name, (), "U", max_bytes)[()])
    except _UNREADABLE as exc:
        raise ModelFileError(f"{path}: not a valid nndraw file ({brief(exc)})") from None


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


def _plan(value):
    """(offset, end) from a file, None if absent; ValueError if malformed."""
    if value is None:
        return None
    offset, end = (float(v) for v in value)
    if not (math.isfinite(offset) and math.isfinite(end) and 0 <= offset <= end):
        raise ValueError("its training plan is out of range")
    return offset, end


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
