"""Read IDX files (the MNIST format), gzipped or raw, refusing anything malformed.

An IDX file is a 4-byte magic number (two zero bytes, a type code, the number of dimensions),
one big-endian uint32 per dimension, then the values in row-major order.
"""

import gzip
import math
import os
import zlib

import numpy as np

from nndraw.errors import DataFileError

_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
MAX_BYTES = 1 << 30  # 1 GiB of values: far above any MNIST-like set, far below a bogus header
_CHUNK = 1 << 20


def read_idx(path, max_bytes=MAX_BYTES):
    """The array stored in the IDX file at `path` (.gz or raw). DataFileError, naming the file,
    if it is missing, truncated, too long, or has a bad magic number or header."""
    path = os.fspath(path)
    name = os.path.basename(path)
    try:
        with open(path, "rb") as raw:
            gzipped = raw.read(2) == b"\x1f\x8b"
            raw.seek(0)
            stream = gzip.GzipFile(fileobj=raw) if gzipped else raw
            return _read(stream, name, max_bytes)
    except FileNotFoundError:
        raise DataFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise DataFileError(f"{path}: is a folder, not an IDX file") from None
    except PermissionError:
        raise DataFileError(f"{path}: permission denied") from None
    except (OSError, EOFError, zlib.error) as exc:  # gzip's own errors for corrupt streams
        raise DataFileError(f"{name}: not a readable IDX file ({exc})") from None


def _read(stream, name, max_bytes):
    magic = stream.read(4)
    if len(magic) < 4 or magic[:2] != b"\0\0" or magic[2] not in _TYPES or magic[3] == 0:
        raise DataFileError(f"{name}: not an IDX file (bad magic number {magic.hex() or 'empty'})")
    dtype = np.dtype(_TYPES[magic[2]])
    ndim = magic[3]
    header = stream.read(4 * ndim)
    if len(header) < 4 * ndim:
        raise DataFileError(f"{name}: truncated IDX header")
    shape = tuple(int(d) for d in np.frombuffer(header, ">u4"))
    nbytes = math.prod(shape) * dtype.itemsize
    # Refuse before allocating anything. Huge dimensions beside a zero one claim no bytes,
    # but no array can have that shape either (found by tests/fuzz).
    if math.prod(d for d in shape if d) * dtype.itemsize > max_bytes:
        raise DataFileError(f"{name}: header claims {'x'.join(map(str, shape))} values, "
                            f"more than nndraw reads ({max_bytes >> 30} GiB at most)")
    chunks, have = [], 0
    while have < nbytes:
        chunk = stream.read(min(_CHUNK, nbytes - have))
        if not chunk:
            raise DataFileError(f"{name}: truncated: expected {nbytes} bytes of data for shape "
                                f"{'x'.join(map(str, shape))}, found {have}")
        chunks.append(chunk)
        have += len(chunk)
    if stream.read(1):
        raise DataFileError(f"{name}: has data after the {'x'.join(map(str, shape))} values "
                            "its header announces")
    data = np.frombuffer(b"".join(chunks), dtype)
    return data.astype(dtype.newbyteorder("="), copy=False).reshape(shape)


def write_idx(path, array):
    """Write `array` as an IDX file (gzipped if `path` ends in .gz). Used for the person's own
    drawings and for tests; the inverse of read_idx."""
    array = np.asarray(array)
    codes = {np.dtype(t).newbyteorder("="): code for code, t in _TYPES.items()}
    code = codes.get(array.dtype.newbyteorder("="))
    if code is None:
        raise ValueError(f"IDX cannot store {array.dtype}")
    header = bytes([0, 0, code, array.ndim]) + np.array(array.shape, ">u4").tobytes()
    payload = header + array.astype(_TYPES[code], copy=False).tobytes()
    if hasattr(path, "write"):   # an open binary file, e.g. model_io.write_atomically's
        path.write(payload)
        return
    opener = gzip.open if os.fspath(path).endswith(".gz") else open
    with opener(path, "wb") as f:
        f.write(payload)
