"""The atomic writer: what a save leaves behind, and what it does to the file it replaces."""

import os
import stat
import time

import pytest

from nndraw import files
from nndraw.errors import NndrawError
from nndraw.files import write_atomically


def save(path, data):
    write_atomically(path, lambda f: f.write(data))


def test_a_temporary_file_left_by_a_killed_save_is_removed_by_the_next_one(tmp_path):
    target = tmp_path / "m.npz"
    stale = tmp_path / ".m.npz.abc123.tmp"
    stale.write_bytes(b"half a model")
    old = time.time() - files.STALE_SECONDS - 60
    os.utime(stale, (old, old))
    in_flight = tmp_path / ".m.npz.def456.tmp"     # another process's save, still running
    in_flight.write_bytes(b"being written")
    other = tmp_path / ".x.npz.ghi789.tmp"         # not this file's
    other.write_bytes(b"")
    os.utime(other, (old, old))
    save(target, b"new")
    assert target.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["m.npz", in_flight.name, other.name])


def test_the_folder_is_fsynced_after_the_rename(tmp_path, monkeypatch):
    synced, real_fsync = [], os.fsync
    target = tmp_path / "m.npz"

    def recording_fsync(fd):
        synced.append((stat.S_ISDIR(os.fstat(fd).st_mode), target.exists()))
        real_fsync(fd)

    monkeypatch.setattr(files.os, "fsync", recording_fsync)
    save(target, b"data")
    assert synced[-1] == (True, True)   # the folder, once the file had its name


def test_an_overwritten_file_keeps_its_mode_and_a_new_one_follows_the_umask(tmp_path):
    shared = tmp_path / "shared.npz"
    shared.write_bytes(b"old")
    shared.chmod(0o664)
    save(shared, b"new")
    assert stat.S_IMODE(shared.stat().st_mode) == 0o664
    previous = os.umask(0o027)
    try:
        save(tmp_path / "fresh.npz", b"new")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "fresh.npz").stat().st_mode) == 0o640


def test_a_symlink_is_written_through(tmp_path):
    (tmp_path / "models").mkdir()
    real = tmp_path / "models" / "real.npz"
    real.write_bytes(b"old")
    link = tmp_path / "link.npz"
    link.symlink_to(real)
    save(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"
    assert not [p for p in (tmp_path / "models").iterdir() if p.name.endswith(".tmp")]


def test_a_read_only_file_is_refused_in_one_line(tmp_path):
    target = tmp_path / "keep.npz"
    target.write_bytes(b"precious")
    target.chmod(0o444)
    with pytest.raises(NndrawError, match="read-only; not replaced") as info:
        save(target, b"new")
    assert "\n" not in str(info.value)
    assert target.read_bytes() == b"precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.npz"]


@pytest.mark.parametrize("name, message", [
    ("", "empty name"),
    ("folder", "is a folder"),
    ("folder/", "names a folder"),
    ("missing/m.npz", "does not exist"),
])
def test_a_bad_save_path_is_named_before_anything_is_written(tmp_path, name, message):
    from nndraw.files import check_can_save

    (tmp_path / "folder").mkdir()
    path = f"{tmp_path}/{name}" if name else ""
    with pytest.raises(NndrawError, match=message):
        check_can_save(path)
    with pytest.raises(NndrawError):
        save(path, b"data")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder"]
    assert not list((tmp_path / "folder").iterdir())


def test_an_error_inside_the_writer_leaves_the_old_file_and_no_temporary(tmp_path):
    # Not an OSError, so it is not turned into a message, but nothing is left behind.
    target = tmp_path / "m.npz"
    save(target, b"old")

    def broken(f):
        f.write(b"half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_atomically(target, broken)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.npz"]
