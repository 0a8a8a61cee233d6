"""Run files: one .npz with the model and the JSON settings and curves round-trips; older
.npz + .json pairs still open; bad or mismatched files are refused with a message naming the
file."""

import errno
import json
import os

import numpy as np
import pytest

from nndraw import Network, files
from nndraw.data.datasets import DataSource
from nndraw.errors import ModelFileError, NndrawError
from nndraw.training.config import TrainConfig
from nndraw.training.model_io import save_model
from nndraw.training.records import Evaluation
from nndraw.training.runs import RUN_MEMBER, load_run, paths, read_run_file, save_run

CONFIG = TrainConfig(sizes=(784, 16, 10), epochs=2, seed=7)
EVALS = [Evaluation(0.5, 800, 1000, False, 0.6, 0.5),
         Evaluation(1.0, 9000, 10000, True, 0.4, 0.3, personal=0.5),
         Evaluation(1.0, 9000, 10000, True, 0.4, 0.3, personal=0.5, segment="teach"),
         Evaluation(1.5, 9100, 10000, True, 0.3, 0.2, segment="teach")]
FASHION = DataSource.fashion("/somewhere/fashion-mnist")


@pytest.fixture
def net():
    return Network(CONFIG.sizes, **CONFIG.network_options())


def run_json(config=CONFIG, evaluations=None, **changes):
    evaluations = [e.to_dict() for e in EVALS] if evaluations is None else evaluations
    return json.dumps({"format": "nndraw-run", "version": 1, "config": config.to_dict(),
                       "seed": config.seed, "dataset": "mnist", "evaluations": evaluations,
                       **changes})


def old_pair(folder, stem, net, text):
    """A run as nndraw saved it before runs were one file: the model, a .json beside it."""
    save_model(folder / f"{stem}.npz", net)
    (folder / f"{stem}.json").write_text(text)
    return folder / f"{stem}.npz"


def test_round_trip_in_one_file(tmp_path, net, mnist):
    path = save_run(tmp_path / "run-a", net, CONFIG, EVALS, dataset=FASHION, plan=(0.0, 2.0))
    assert path.endswith("run-a.npz")
    assert [p.name for p in tmp_path.iterdir()] == ["run-a.npz"]
    for name in ("run-a.npz", "run-a.json", "run-a"):
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
    old = [{"epoch": e, "accuracy": 0.9, "cost": 0.3, "complete": True} for e in (1, 2, 1, 2)]
    run = load_run(old_pair(tmp_path, "old", net, run_json(evaluations=old, dataset="fashion")))
    assert [e.epoch for e in run.evaluations] == [1.0, 2.0, 3.0, 4.0]
    assert [e.total for e in run.evaluations] == [10_000] * 4
    assert run.evaluations[0].accuracy == 0.9 and run.dataset.kind == "fashion"


def test_an_older_pair_still_opens(tmp_path, net, mnist):
    old_pair(tmp_path, "old", net, run_json())
    for name in ("old.npz", "old.json"):
        run = load_run(tmp_path / name)
        assert run.config == CONFIG.validated() and run.evaluations == EVALS
        images = mnist[1].images[:5]
        np.testing.assert_array_equal(run.network.predict(images), net.predict(images))


def test_the_json_is_plain_and_readable(tmp_path, net):
    save_run(tmp_path / "r.npz", net, CONFIG, EVALS)
    data = json.loads(str(np.load(tmp_path / "r.npz")[RUN_MEMBER]))
    assert data["format"] == "nndraw-run" and data["seed"] == 7
    assert data["config"]["sizes"] == [784, 16, 10]


def test_a_write_error_while_saving_leaves_the_previous_run_whole(tmp_path, net, monkeypatch):
    """The last file write of a save fails (a full disk): the previous run still opens with
    its own weights and curves, as the message says."""
    first_evals = EVALS[:1]
    save_run(tmp_path / "r", net, CONFIG, first_evals)
    before = load_run(tmp_path / "r")
    changed = Network(CONFIG.sizes, **{**CONFIG.network_options(), "seed": 99})
    writes, real_fsync = [], os.fsync

    def counting(fd):
        writes.append(os.path.isfile(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    monkeypatch.setattr(files.os, "fsync", counting)
    save_run(tmp_path / "probe", changed, CONFIG, EVALS)
    last = sum(writes)                 # the number of files one save writes

    seen = []

    def failing(fd):
        if os.path.isfile(f"/proc/self/fd/{fd}"):
            seen.append(fd)
            if len(seen) == last:
                raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(files.os, "fsync", failing)
    with pytest.raises(NndrawError, match="the previous file, if any, is unchanged"):
        save_run(tmp_path / "r", changed, CONFIG, EVALS)
    after = load_run(tmp_path / "r")
    assert after.evaluations == first_evals
    for a, b in zip(after.network.weights, before.network.weights):
        np.testing.assert_array_equal(a, b)


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
    save_model(tmp_path / "one.npz", net, texts={RUN_MEMBER: text})
    old_pair(tmp_path, "pair", net, text)
    for name, shown in (("one.npz", "one.npz"), ("pair.npz", "pair.json")):
        with pytest.raises(ModelFileError, match=message) as info:
            load_run(tmp_path / name)
        assert shown in str(info.value)


@pytest.mark.parametrize("settings", [{"epochs": 3_000_000_000}, {"mini_batch_size": 1e18},
                                      {"mini_batch_size": 10 ** 30}, {"sizes": [784, 10 ** 12, 10]},
                                      {"eta": 1e308 * 10}])
def test_huge_settings_in_a_run_are_refused_in_one_line(tmp_path, net, settings):
    data = json.loads(run_json())
    data["config"].update(settings)
    save_model(tmp_path / "r.npz", net, texts={RUN_MEMBER: json.dumps(data)})
    with pytest.raises(ModelFileError, match="r.npz: not a valid run file") as info:
        read_run_file(tmp_path / "r.npz")
    assert "\n" not in str(info.value) and len(str(info.value)) < 300


def test_missing_json_and_mismatched_model_are_refused(tmp_path, net):
    save_model(tmp_path / "r.npz", net)          # a model, not a run
    with pytest.raises(ModelFileError, match="r.json: no such run file"):
        load_run(tmp_path / "r.npz")
    with pytest.raises(ModelFileError, match="nothing.json: no such run file"):
        load_run(tmp_path / "nothing.json")
    other = TrainConfig(sizes=(784, 30, 10))
    save_model(tmp_path / "r.npz", net, texts={RUN_MEMBER: run_json(config=other)})
    with pytest.raises(ModelFileError, match=r"describes layers \[784, 30, 10\]"):
        load_run(tmp_path / "r.json")
    assert read_run_file(tmp_path / "r")[0].sizes == (784, 30, 10)


def test_a_fifo_beside_a_model_is_refused_without_hanging(tmp_path, net):
    save_model(tmp_path / "run.npz", net)
    os.mkfifo(tmp_path / "run.json")
    with pytest.raises(ModelFileError, match="run.json: not a regular file"):
        load_run(tmp_path / "run.npz")
    os.mkfifo(tmp_path / "pipe.npz")
    with pytest.raises(ModelFileError, match="pipe.npz: not a regular file"):
        load_run(tmp_path / "pipe.npz")


def test_paths_pair_the_two_files(tmp_path):
    assert paths("a/b.npz") == ("a/b.npz", "a/b.json") == paths("a/b.json")
