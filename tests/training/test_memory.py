"""The memory check: a network too big to train is refused in one line before anything is
allocated, by the CLI and by trainer.build_network (which the window's worker calls)."""

import pytest

from nndraw.errors import ConfigError
from nndraw.training import memory, trainer
from nndraw.training.config import TrainConfig


def test_the_estimate_covers_parameters_and_the_activations_of_an_evaluation_chunk():
    small = memory.training_bytes([784, 256, 10], 64)
    parameters = (785 * 256 + 257 * 10) * 4
    activations = memory.EVAL_ROWS * 266 * 4          # one chunk measured at once
    assert memory.PARAMETER_COPIES * parameters + activations < small < 50_000_000
    assert memory.training_bytes([784, 100_000, 10], 64) > 100 * small


def test_build_network_refuses_what_cannot_fit_in_one_line(monkeypatch):
    monkeypatch.setattr(memory, "available_bytes", lambda: 200_000_000)
    config = TrainConfig(sizes=(784, 100_000, 10)).validated()     # 10 GB: 4 GB a chunk
    with pytest.raises(ConfigError, match=r"784,100000,10 .* need about \d+\.\d GB of memory "
                                          r"to train, and 200\.0 MB is free") as info:
        trainer.build_network(config)
    assert "\n" not in str(info.value)
    assert trainer.build_network(TrainConfig(sizes=(784, 30, 10)).validated()).sizes == \
        [784, 30, 10]


def test_available_memory_is_measured():
    free = memory.available_bytes()
    assert free is None or free > 0
