"""Every file nndraw writes (models, run files, the personal set) is written beside, fsynced
and renamed over: a save that fails leaves the old file as it was and says why."""

import errno
import os

import numpy as np
import pytest

from nndraw import Network, files
from nndraw.errors import DataFileError, NndrawError
from nndraw.training.config import TrainConfig
from nndraw.training.model_io import save_model
from nndraw.training.runs import save_run

FAULTS = {
    "read-only folder": OSError(errno.EACCES, "Permission denied"),
    "full disk": OSError(errno.ENOSPC, "No space left on device"),
}


def savers(tmp_path):
    """(name, the file it writes, a save) for each kind of file written whole. (The personal
set is a database: tests/data/test_personal.py fails its keeps.)"""
    net = Network([784, 8, 10], seed=1)
    yield ("model", tmp_path / "m.npz", lambda: save_model(tmp_path / "m.npz", net))
    yield ("run", tmp_path / "r.npz",
           lambda: save_run(tmp_path / "r.npz", net, TrainConfig(sizes=(784, 8, 10)), []))


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_failed_save_keeps_the_old_file_and_says_why(tmp_path, monkeypatch, fault):
    for name, path, save in savers(tmp_path):
        save()
        before = path.read_bytes()
        with monkeypatch.context() as patch:
            def failing_fsync(fd, error=FAULTS[fault]):
                raise error

            patch.setattr(files.os, "fsync", failing_fsync)  # after the bytes were written
            with pytest.raises((NndrawError, DataFileError), match="could not save") as info:
                save()
        assert str(path.parent) in str(info.value), name
        assert os.strerror(FAULTS[fault].errno) in str(info.value), name
        assert path.read_bytes() == before, name
        assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")], name


def test_a_diverged_network_never_replaces_a_good_file(tmp_path):
    good = Network([784, 8, 10], seed=1)
    save_model(tmp_path / "m.npz", good)
    before = (tmp_path / "m.npz").read_bytes()
    bad = Network([784, 8, 10], seed=1)
    bad.weights[1][0, 0] = np.nan
    with pytest.raises(NndrawError, match="not finite"):
        save_model(tmp_path / "m.npz", bad)
    assert (tmp_path / "m.npz").read_bytes() == before
