"""Saving without ever damaging what was there: write beside, fsync, rename over, fsync the
folder.

The temporary file is `.NAME.<random>.tmp` in the target's folder (a rename is only atomic
within one file system). Whatever goes wrong, it is removed; one left behind by a process that
was killed mid-save is removed by a later save of the same name once it is STALE_SECONDS old
(younger ones may belong to a save still in flight in another process).
"""

import glob
import os
import stat
import tempfile
import time

from nndraw.errors import NndrawError

STALE_SECONDS = 10 * 60


def write_atomically(path, write, error=NndrawError):
    """Call write(file) on a temporary file in `path`'s folder, fsync it and rename it over
    `path`. On any failure (a read-only folder, a full disk, an error inside `write`) the
    temporary file is removed and the old file is untouched; `error` says so for OS errors,
    naming the file. A symlink is written through (its target is replaced, the link stays);
    the target's permission bits are kept (a new file follows the umask); a read-only target
    is refused rather than silently replaced."""
    path = os.fspath(path)
    target = _target(path, error)
    folder, name = os.path.split(target)
    mode = _mode_for(target, path, error)
    _remove_stale_temporaries(folder, name)
    tmp = None
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=f".{name}.", suffix=".tmp",
                                         delete=False) as f:
            tmp = f.name
            write(f)
            f.flush()
            os.fchmod(f.fileno(), mode)
            os.fsync(f.fileno())
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise error(f"{path}: could not save ({exc.strerror or exc}); "
                    "the previous file, if any, is unchanged") from None
    finally:
        if tmp is not None:  # any failure, OSError or not (a bug, KeyboardInterrupt)
            try:
                os.unlink(tmp)
            except OSError:
                pass
    _fsync_folder(folder)


def check_readable(path, error=NndrawError, what="file"):
    """`error` in one line unless `path` is a regular file: a folder is named as one, and a
    FIFO or device is refused without opening it (a reader would block on it forever)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise error(f"{path}: no such {what}") from None
    except OSError as exc:
        raise error(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if stat.S_ISDIR(mode):
        raise error(f"{path}: is a folder, not {'an' if what[0] in 'aeiou' else 'a'} {what}")
    if not stat.S_ISREG(mode):
        raise error(f"{path}: not a regular file (a pipe or device); not read")


def check_can_save(path, error=NndrawError):
    """Raise `error`, in one line, unless a file could be saved at `path` now: it names a file
    (not a folder, not empty), in a folder that exists and takes new files, and any file there
    is a regular, writable one. For checking a save path before hours of training."""
    path = os.fspath(path)
    target = _target(path, error)
    folder = os.path.dirname(target)
    if not os.path.isdir(folder):
        raise error(f"{path}: cannot save there: the folder {folder} does not exist")
    _mode_for(target, path, error)
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=f".{os.path.basename(target)}.",
                                         suffix=".tmp"):
            pass
    except OSError as exc:
        raise error(f"{path}: cannot save there ({exc.strerror or exc})") from None


def _target(path, error):
    """The file a save to `path` replaces: through symlinks, to the file they name."""
    if not path.strip():
        raise error("an empty name: give a file name to save to")
    if path.endswith(("/", os.sep)) or os.path.basename(path) in (".", ".."):
        raise error(f"{path}: names a folder; give a file name to save to")
    return os.path.realpath(path)


def _mode_for(target, path, error):
    """The permission bits the saved file gets: the old file's, or 0666 less the umask."""
    try:
        old = os.stat(target)
    except FileNotFoundError:
        return 0o666 & ~_umask()
    except OSError as exc:
        raise error(f"{path}: could not save ({exc.strerror or exc}); "
                    "the previous file, if any, is unchanged") from None
    if stat.S_ISDIR(old.st_mode):
        raise error(f"{path}: is a folder; give a file name to save to")
    if not stat.S_ISREG(old.st_mode):
        raise error(f"{path}: not a regular file (a pipe or device); not replaced")
    if not old.st_mode & 0o222:
        raise error(f"{path}: the file is read-only; not replaced (make it writable or save "
                    "under another name)")
    return stat.S_IMODE(old.st_mode)


def _umask():
    """The process umask, read without changing it where Linux allows (os.umask both sets
    and returns it, which would race with other threads creating files)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _remove_stale_temporaries(folder, name):
    """Remove `.NAME.*.tmp` files left by a save that was killed, once they are old enough
    that no save still in flight can own them."""
    pattern = os.path.join(glob.escape(folder), f".{glob.escape(name)}.*.tmp")
    now = time.time()
    for leftover in glob.glob(pattern):
        try:
            if now - os.lstat(leftover).st_mtime > STALE_SECONDS:
                os.unlink(leftover)
        except OSError:
            pass


def _fsync_folder(folder):
    """Make the rename itself durable. Some file systems cannot fsync a folder; the file is
    saved all the same, so that is not an error."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
