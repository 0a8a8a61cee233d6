"""Run files: model + JSON settings and curves round-trip; bad or mismatched files are refused
with a message naming the file."""

import json

import numpy as np
import pytest

from nndraw import Network
from nndraw.errors import ModelFileError
from nndraw.training.config import TrainConfig
from nndraw.training.runs import load_run, paths, read_run_file, save_run

CONFIG = TrainConfig(sizes=(784, 16, 10), epochs=2, seed=7)
EVALS = [{"epoch": 0.5, "accuracy": 0.8, "cost": 0.6, "complete": False},
         {"epoch": 1.0, "accuracy": 0.9, "cost": 0.4, "complete": True, "personal": 0.5}]


@pytest.fixture
def net():
    return Network(CONFIG.sizes, **CONFIG.network_options())


def test_round_trip(tmp_path, net, mnist):
    path = save_run(tmp_path / "run-a", net, CONFIG, EVALS, dataset="mnist")
    assert path.endswith("run-a.npz") and (tmp_path / "run-a.json").exists()
    for name in ("run-a.npz", "run-a.json"):
        run = load_run(tmp_path / name)
        assert run.config == CONFIG.validated() and run.seed == 7
        assert run.evaluations == EVALS and run.dataset == "mnist"
        images = mnist[1].images[:5]
        np.testing.assert_array_equal(run.network.predict(images), net.predict(images))
    assert run.network.metadata["history"] == [EVALS[1]]


def test_the_json_is_plain_and_readable(tmp_path, net):
    save_run(tmp_path / "r.npz", net, CONFIG, EVALS)
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["format"] == "nndraw-run" and data["seed"] == 7
    assert data["config"]["sizes"] == [784, 16, 10]


@pytest.mark.parametrize("text, message", [
    ("{not json", "not a readable run file"),
    ('{"format": "something else"}', "not an nndraw run file"),
    ('{"format": "nndraw-run", "version": 99}', "version 99"),
    ('{"format": "nndraw-run", "version": 1, "config": {"bogus": 1}, "evaluations": []}',
     "unknown setting"),
    ('{"format": "nndraw-run", "version": 1, "config": {}, "evaluations": [{"epoch": 1}]}',
     "evaluation 0 is malformed"),
    ('{"format": "nndraw-run", "version": 1, "config": {}, '
     '"evaluations": [{"epoch": 1, "accuracy": 3}]}', "evaluation 0 is malformed"),
])
def test_bad_json_is_refused_by_name(tmp_path, net, text, message):
    save_run(tmp_path / "r", net, CONFIG, EVALS)
    (tmp_path / "r.json").write_text(text)
    with pytest.raises(ModelFileError, match=message) as info:
        load_run(tmp_path / "r.npz")
    assert "r.json" in str(info.value)


def test_missing_json_and_mismatched_model_are_refused(tmp_path, net):
    save_run(tmp_path / "r", net, CONFIG, EVALS)
    (tmp_path / "r.json").unlink()
    with pytest.raises(ModelFileError, match="r.json: no such run file"):
        load_run(tmp_path / "r.npz")
    other = TrainConfig(sizes=(784, 30, 10))
    save_run(tmp_path / "r", net, CONFIG, EVALS)
    data = json.loads((tmp_path / "r.json").read_text())
    data["config"] = other.to_dict()
    (tmp_path / "r.json").write_text(json.dumps(data))
    with pytest.raises(ModelFileError, match=r"describes layers \[784, 30, 10\]"):
        load_run(tmp_path / "r.json")
    assert read_run_file(tmp_path / "r")[0].sizes == (784, 30, 10)


def test_paths_pair_the_two_files(tmp_path):
    assert paths("a/b.npz") == ("a/b.npz", "a/b.json") == paths("a/b.json")
