"""Saving without ever damaging what was there: write beside, fsync, rename over."""

import os
import tempfile

from nndraw.errors import NndrawError


def write_atomically(path, write, error=NndrawError):
    """Call write(file) on a temporary file in `path`'s folder, fsync it and rename it over
    `path`. On any failure (a read-only folder, a full disk) the temporary file is removed,
    the old file is untouched, and `error` says so, naming the file."""
    path = os.fspath(path)
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
        raise error(f"{path}: could not save ({exc.strerror or exc}); "
                    "the previous file, if any, is unchanged") from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
