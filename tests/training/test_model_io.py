"""Model files round-trip exactly; bad ones are refused by name; saving never loses the old file."""

import json
import zipfile

import numpy as np
import pytest

import nndraw
from nndraw import Network
from nndraw.data.datasets import DataSource
from nndraw.errors import ModelFileError, NndrawError
from nndraw.training import model_io
from nndraw.training.model_io import load_model, save_model
from nndraw.training.records import Evaluation


@pytest.fixture
def net():
    return Network([784, 16, 10], activation="tanh", output="softmax", cost="cross-entropy",
                   init="scaled", seed=1)


def test_round_trip_keeps_weights_options_history_and_data(tmp_path, net, mnist):
    path = tmp_path / "model.npz"
    history = [Evaluation(1.0, 9000, 10000, True, 0.3, 0.25)]
    fashion = DataSource.fashion("/data/fashion")
    save_model(path, net, history=history, config={"eta": 0.1}, dataset=fashion,
               plan=(0.0, 3.0))
    back = load_model(path)
    assert back.sizes == net.sizes and back.options == net.options
    assert back.metadata["history"] == history and back.metadata["config"] == {"eta": 0.1}
    assert back.metadata["dataset"] == fashion and back.metadata["plan"] == (0.0, 3.0)
    images = mnist[1].images[:20]
    np.testing.assert_array_equal(back.predict(images), net.predict(images))


def test_models_saved_before_they_named_their_data_read_mnist(tmp_path, net):
    """An older file: no data set, its history in the old record form."""
    path = tmp_path / "old.npz"
    save_model(path, net)
    with zipfile.ZipFile(path) as archive:
        arrays = {name[:-4]: np.load(archive.open(name)) for name in archive.namelist()}
    meta = json.loads(str(arrays["meta"][()]))
    del meta["dataset"]
    meta["history"] = [{"epoch": 1.0, "correct": 9600, "n_test": 10000, "accuracy": 0.96,
                        "cost": 0.3, "test_cost": 0.2}]
    arrays["meta"] = np.array(json.dumps(meta))
    np.savez(path, **arrays)
    back = load_model(path)
    assert back.metadata["dataset"] == DataSource.mnist()
    assert back.metadata["history"] == [Evaluation(1.0, 9600, 10000, True, 0.3, 0.2)]


def test_files_hold_no_pickles(tmp_path, net):
    path = tmp_path / "model.npz"
    save_model(path, net)
    with np.load(path, allow_pickle=False) as archive:
        assert sorted(archive.files) == ["b0", "b1", "meta", "w0", "w1"]


def test_the_shipped_model_reads_98_percent(mnist):
    model = nndraw.pretrained()
    assert model.evaluate(mnist[1]) >= 9800
    assert model.metadata["config"]["seed"] == 0  # made reproducibly, see the README


def rewrite(path, **changes):
    """Copy of a saved model with some arrays (or the metadata) replaced."""
    with np.load(path, allow_pickle=False) as archive:
        arrays = {k: archive[k] for k in archive.files}
    arrays.update(changes)
    np.savez(path, **arrays)


def metadata(**changes):
    meta = {"format": "nndraw-model", "version": 1, "sizes": [784, 16, 10],
            "options": {"activation": "tanh", "output": "softmax", "cost": "cross-entropy",
                        "init": "scaled", "dtype": "float32"}}
    meta.update(changes)
    return np.array(json.dumps(meta))


@pytest.mark.parametrize("corrupt,message", [
    (lambda p: p.write_bytes(b"\x00" * 100), "not a valid nndraw model"),
    (lambda p: p.write_bytes(p.read_bytes()[:300]), "not a valid nndraw model"),
    (lambda p: rewrite(p, meta=np.array("not json")), "not a valid nndraw model"),
    (lambda p: rewrite(p, meta=metadata(format="other")), "no nndraw metadata"),
    (lambda p: rewrite(p, meta=metadata(version=99)), "format version 99"),
    (lambda p: rewrite(p, meta=metadata(sizes=[784, 17, 10])),
     r"w0 has shape \(16, 784\), expected \(17, 784\)"),
    (lambda p: rewrite(p, w0=np.full((16, 784), np.nan, np.float32)), "not all finite"),
    (lambda p: rewrite(p, meta=metadata(options={"activation": "magic"})), "unknown activation"),
])
def test_bad_files_are_refused_by_name(tmp_path, net, corrupt, message):
    path = tmp_path / "broken.npz"
    save_model(path, net)
    corrupt(path)
    with pytest.raises(ModelFileError, match=message) as info:
        load_model(path)
    assert "broken.npz" in str(info.value)


def test_pickled_arrays_are_refused(tmp_path):
    path = tmp_path / "evil.npz"
    np.savez(path, meta=np.array([{"format": "nndraw-model"}], dtype=object))
    with pytest.raises(ModelFileError, match="evil.npz"):
        load_model(path)


def test_missing_file(tmp_path):
    with pytest.raises(ModelFileError, match="no such model file"):
        load_model(tmp_path / "absent.npz")


def test_a_failed_save_leaves_the_old_file_intact(tmp_path, net, monkeypatch):
    path = tmp_path / "model.npz"
    save_model(path, net)
    before = path.read_bytes()

    def disk_full(f, **arrays):
        f.write(b"partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(model_io.np, "savez", disk_full)
    with pytest.raises(NndrawError, match="could not save .*No space left.*unchanged"):
        save_model(path, Network([784, 16, 10], seed=2))
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["model.npz"]  # no temporary left behind


def test_a_diverged_network_is_never_saved(tmp_path, net):
    net.weights[0][0, 0] = np.inf
    with pytest.raises(NndrawError, match="not finite"):
        save_model(tmp_path / "m.npz", net)
    assert not (tmp_path / "m.npz").exists()


def test_saving_into_a_missing_folder_says_so(tmp_path, net):
    with pytest.raises(NndrawError, match="could not save"):
        save_model(tmp_path / "no" / "such" / "m.npz", net)


def test_the_archive_is_a_plain_zip(tmp_path, net):
    save_model(tmp_path / "m.npz", net)
    assert zipfile.is_zipfile(tmp_path / "m.npz")
