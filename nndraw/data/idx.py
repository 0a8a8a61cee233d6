"""Read IDX files (the MNIST format), gzipped or raw, refusing anything malformed.

An IDX file is a 4-byte magic number (two zero bytes, a type code, the number of dimensions),
one big-endian uint32 per dimension, then the values in row-major order.
"""

import gzip
import math
import os
import stat
import zlib

import numpy as np

from nndraw.errors import DataFileError, brief

_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
MAX_BYTES = 1 << 30  # 1 GiB of values: far above any MNIST-like set, far below a bogus header
_CHUNK = 1 << 20


def read_idx(path, max_bytes=MAX_BYTES, bytes_per_value=None):
    """The array stored in the IDX file at `path` (.gz or raw). DataFileError, naming the file,
    if it is missing, not a regular file, truncated, too long, or has a bad magic number or
    header. `max_bytes` caps the memory the caller will use for it: the header's count of
    values times `bytes_per_value` (the stored size, unless the caller also makes e.g. a
    float32 copy and says so), checked before anything is allocated."""
    path = os.fspath(path)
    name = os.path.basename(path)
    try:
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
            raise DataFileError(f"{path}: not a regular file (a pipe or device); not read")
        with open(path, "rb") as raw:
            gzipped = raw.read(2) == b"\x1f\x8b"
            raw.seek(0)
            stream = gzip.GzipFile(fileobj=raw) if gzipped else raw
            return _read(stream, name, max_bytes, bytes_per_value)
    except FileNotFoundError:
        raise DataFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise DataFileError(f"{path}: is a folder, not an IDX file") from None
    except PermissionError:
        raise DataFileError(f"{path}: permission denied") from None
    except (OSError, EOFError, zlib.error) as exc:  # gzip's own errors for corrupt streams
        raise DataFileError(f"{name}: not a readable IDX file ({brief(exc)})") from None


def _read(stream, name, max_bytes, bytes_per_value):
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
    if math.prod(d for d in shape if d) * (bytes_per_value or dtype.itemsize) > max_bytes:
        raise DataFileError(f"{name}: header claims {'x'.join(map(str, shape))} values, "
                            f"more than nndraw reads ({_size(max_bytes)} of memory at most)")
    data = np.empty(nbytes, np.uint8)      # read in place: no second copy of the bytes
    view, have = memoryview(data), 0
    while have < nbytes:
        got = stream.readinto(view[have:have + _CHUNK])
        if not got:
            raise DataFileError(f"{name}: truncated: expected {nbytes} bytes of data for shape "
                                f"{'x'.join(map(str, shape))}, found {have}")
        have += got
    if stream.read(1):
        raise DataFileError(f"{name}: has data after the {'x'.join(map(str, shape))} values "
                            "its header announces")
    return data.view(dtype).astype(dtype.newbyteorder("="), copy=False).reshape(shape)


def _size(n):
    return f"{n / (1 << 30):g} GiB" if n >= 1 << 30 else f"{n / (1 << 20):g} MiB"


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
