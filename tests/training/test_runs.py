"""Run files: model + JSON settings and curves round-trip; bad or mismatched files are refused
with a message naming the file."""

import json

import numpy as np
import pytest

from nndraw import Network
from nndraw.data.datasets import DataSource
from nndraw.errors import ModelFileError
from nndraw.training.config import TrainConfig
from nndraw.training.records import Evaluation
from nndraw.training.runs import load_run, paths, read_run_file, save_run

CONFIG = TrainConfig(sizes=(784, 16, 10), epochs=2, seed=7)
EVALS = [Evaluation(0.5, 800, 1000, False, 0.6, 0.5),
         Evaluation(1.0, 9000, 10000, True, 0.4, 0.3, personal=0.5),
         Evaluation(1.0, 9000, 10000, True, 0.4, 0.3, personal=0.5, segment="teach"),
         Evaluation(1.5, 9100, 10000, True, 0.3, 0.2, segment="teach")]
FASHION = DataSource.fashion("/somewhere/fashion-mnist")


@pytest.fixture
def net():
    return Network(CONFIG.sizes, **CONFIG.network_options())


def test_round_trip(tmp_path, net, mnist):
    path = save_run(tmp_path / "run-a", net, CONFIG, EVALS, dataset=FASHION, plan=(0.0, 2.0))
    assert path.endswith("run-a.npz") and (tmp_path / "run-a.json").exists()
    for name in ("run-a.npz", "run-a.json"):
        run = load_run(tmp_path / name)
        assert run.config == CONFIG.validated() and run.seed == 7
        assert run.evaluations == EVALS and run.dataset == FASHION
        images = mnist[1].images[:5]
        np.testing.assert_array_equal(run.network.predict(images), net.predict(images))
    # The model inside knows its data, its timeline and its plan on its own.
    meta = run.network.metadata
    assert meta["history"] == EVALS and meta["dataset"] == FASHION
    assert meta["plan"] == (0.0, 2.0)


def test_version_1_files_still_open_as_one_forward_timeline(tmp_path, net):
    """Files written before this version: curves with only an accuracy, the data set as a
    string, and a teaching run's epochs counted from zero again (1, 2, 1, 2)."""
    save_run(tmp_path / "old", net, CONFIG, EVALS)
    old = [{"epoch": e, "accuracy": 0.9, "cost": 0.3, "complete": True} for e in (1, 2, 1, 2)]
    (tmp_path / "old.json").write_text(json.dumps({
        "format": "nndraw-run", "version": 1, "config": CONFIG.to_dict(), "seed": 7,
        "dataset": "fashion", "evaluations": old}))
    run = load_run(tmp_path / "old.npz")
    assert [e.epoch for e in run.evaluations] == [1.0, 2.0, 3.0, 4.0]
    assert [e.total for e in run.evaluations] == [10_000] * 4
    assert run.evaluations[0].accuracy == 0.9 and run.dataset.kind == "fashion"


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
    ('{"format": "nndraw-run", "version": 2, "config": {}, '
     '"evaluations": [{"epoch": 1, "correct": 11, "total": 10, "complete": true}]}',
     "evaluation 0 is malformed"),
    ('{"format": "nndraw-run", "version": 2, "config": {}, "dataset": {"kind": "moon"}, '
     '"evaluations": []}', "not described the way nndraw"),
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
