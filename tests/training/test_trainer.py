"""The shared training loop: evaluations, progress, stopping, schedules, validation."""

import threading

import numpy as np
import pytest

from nndraw.core import backend
from nndraw.errors import ConfigError, DivergedError, FailedToLearnError
from nndraw.training import trainer
from nndraw.training.config import PRESETS, TrainConfig, preset


def small(**changes):
    return preset("default", **{"sizes": (784, 16, 10), "epochs": 2, **changes}).validated()


def test_evaluates_several_times_per_epoch_and_fully_at_each_end(mnist):
    config = small()
    train, test = mnist[0].subset(4000), mnist[1].subset(800)
    events = list(trainer.run(trainer.build_network(config), config, train, test,
                              evals_per_epoch=4, subset=200))
    evaluations = [e for e in events if isinstance(e, trainer.Evaluation)]
    # measured at the first report from the loop at or after each quarter, and labelled with
    # where the run really was; the loop reports every few batches (every 256 images)
    late = backend.batches_between_syncs(np, config.mini_batch_size) / (4000 / 64)
    epochs = [e.epoch for e in evaluations]
    nominal = [0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0]
    assert all(n - 0.01 <= e <= n + late + 0.01 for e, n in zip(epochs, nominal))
    assert epochs[3::4] == [1.0, 2.0]                    # each epoch's end exactly
    assert [e.total for e in evaluations] == [200, 200, 200, 800] * 2
    assert [e.complete for e in evaluations] == [False, False, False, True] * 2
    assert evaluations[-1].accuracy > 0.8
    progress = [e for e in events if isinstance(e, trainer.Progress)]
    assert progress[-1].fraction == 1.0


def test_stop_ends_the_run_within_a_batch_keeping_what_was_learned(mnist):
    config = small(epochs=50)
    net = trainer.build_network(config)
    before = net.weights[0].copy()
    stop = threading.Event()
    seen = []
    for event in trainer.run(net, config, mnist[0], mnist[1], stop=stop, progress_interval=0):
        seen.append(event)
        if len(seen) == 20:
            stop.set()
    # After the stop, one thing only: what was learned, measured on the whole test set.
    assert len(seen) == 21
    last = seen[-1]
    assert isinstance(last, trainer.Evaluation) and last.complete and last.total == 10_000
    assert 0 < last.epoch < 1 and last.epoch == seen[-2].position
    assert (net.weights[0] != before).any()


def test_a_stopped_run_resumes_for_exactly_the_rest_of_its_plan(mnist):
    """Stopped at 1.5 of 2 epochs: resuming trains the second half of epoch 2 only, with the
    schedule's rate for epoch 2, and reports its epochs on the model's timeline."""
    config = small(epochs=2)
    train, test = mnist[0].subset(2000), mnist[1].subset(500)
    net = trainer.build_network(config)
    events = list(trainer.run(net, config, train, test, begin=1.5, offset=3.0,
                              evals_per_epoch=4, subset=100, progress_interval=0))
    evaluations = [e for e in events if isinstance(e, trainer.Evaluation)]
    batches = -(-2000 // config.mini_batch_size)
    every = backend.batches_between_syncs(np, config.mini_batch_size)
    assert 4.75 - 0.01 <= evaluations[0].epoch <= 4.75 + every / batches + 0.01
    assert evaluations[-1].epoch == 5.0
    progress = [e for e in events if isinstance(e, trainer.Progress)]
    assert progress[0].position >= 4.5 and progress[-1].position == 5.0
    assert {(p.epoch, p.epochs) for p in progress} == {(5, 5)}   # "Epoch 5 of 5"
    assert progress[-1].fraction == 1.0
    rest = range(round(0.5 * batches), batches)           # the batches it trains
    reports = [b for b in rest if (b + 1) % every == 0 or b == batches - 1]
    assert len(progress) == len(reports) + 1               # a report from each, and the end


def test_a_run_no_better_than_chance_fails_to_learn(mnist):
    config = small(epochs=1, eta=1000.0)
    with pytest.raises(FailedToLearnError, match="failed to learn"):
        list(trainer.run(trainer.build_network(config), config, mnist[0].subset(3000),
                         mnist[1].subset(1000)))


def test_linear_schedule_falls_to_zero():
    config = TrainConfig(epochs=4, eta=0.4, schedule="linear")
    assert [config.eta_at(j) for j in range(4)] == pytest.approx([0.4, 0.3, 0.2, 0.1])
    assert TrainConfig(schedule="constant", eta=0.4).eta_at(3) == 0.4


def test_divergence_is_raised_from_the_run(mnist):
    config = small(eta=1e30)
    with pytest.raises(DivergedError, match="smaller learning rate"):
        list(trainer.run(trainer.build_network(config), config, mnist[0].subset(1000),
                         mnist[1].subset(100)))


@pytest.mark.parametrize("changes,message", [
    ({"eta": -1.0}, "must be positive"),
    ({"sizes": "784,abc,10"}, "whole numbers"),
    ({"momentum": 1.5}, "momentum"),
    ({"lmbda": -1.0}, "cannot be negative"),
    ({"activation": "swish"}, "unknown activation"),
    ({"device": "tpu"}, "unknown device"),
    ({"seed": -4}, "seed"),
])
def test_invalid_settings_are_refused(changes, message):
    with pytest.raises(ConfigError, match=message):
        preset("default", **changes).validated()


def test_presets():
    assert PRESETS["nielsen"].sizes == (784, 30, 10) and PRESETS["nielsen"].eta == 3.0
    with pytest.raises(ConfigError, match="unknown preset"):
        preset("fastest")
    config = PRESETS["default"]
    assert TrainConfig.from_dict(config.to_dict()).validated() == config.validated()


def test_the_robust_preset_is_a_plain_network_trained_on_distorted_digits():
    config = preset("robust").validated()
    assert len(config.sizes) == 3 and config.sizes[0] == 784     # no convolution
    assert all(config.augment) and config.epochs * config.mini_batch_size > 0
    again = TrainConfig.from_dict(config.to_dict()).validated()
    assert again == config and again.augment == config.augment


@pytest.mark.parametrize("changes,message", [
    ({"augment": "rotate=1"}, "unknown augmentation"),
    ({"augment": (1, 1)}, "three strengths"),
    ({"dropout": (1.0,)}, "dropout rate"),
    ({"dropout": (0.1, 0.2, 0.3)}, "dropout takes"),
])
def test_invalid_augmentation_and_dropout_are_refused(changes, message):
    with pytest.raises(ConfigError, match=message):
        preset("robust", **changes).validated()


def test_settings_with_augmentation_and_dropout_survive_json():
    import json

    config = preset("default", augment="affine=1,pen=0.5", dropout="0.2,0.5").validated()
    assert config.augment == (1.0, 0.0, 0.5) and config.dropout == (0.2, 0.5)
    back = TrainConfig.from_dict(json.loads(json.dumps(config.to_dict()))).validated()
    assert back == config


def test_a_short_run_with_augmentation_and_dropout_still_learns(mnist):
    config = small(sizes=(784, 64, 10), epochs=3, augment="on", dropout=0.2)
    events = list(trainer.run(trainer.build_network(config), config, mnist[0].subset(6000),
                              mnist[1].subset(1000)))
    accuracy = [e.accuracy for e in events if isinstance(e, trainer.Evaluation)]
    assert accuracy[-1] > 0.7 and accuracy[-1] > accuracy[0]   # chance is 0.1
