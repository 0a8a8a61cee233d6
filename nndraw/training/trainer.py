"""The training loop shared by `nndraw train` and the window's worker thread.

`run` is a generator: it trains, and between mini-batches yields what happened (Progress,
Evaluation) so the caller can print a bar or emit a signal, and can stop it by setting the
`stop` event, which is checked after every mini-batch.
"""

import threading
import time
from dataclasses import dataclass, field

import numpy as np

from nndraw.core import backend
from nndraw.core.network import Network
from nndraw.data.augment import Augmenter, parse_augment


@dataclass
class Progress:
    epoch: int          # counted from 0
    epochs: int
    batch: int          # mini-batches done in this epoch
    batches: int        # mini-batches per epoch
    elapsed: float      # seconds since the run started

    @property
    def fraction(self):
        return (self.epoch + self.batch / self.batches) / self.epochs

    @property
    def remaining(self):
        """Estimated seconds left, from the pace so far (None until there is a pace)."""
        done = self.fraction
        return self.elapsed * (1 - done) / done if done > 0.01 else None


@dataclass
class Evaluation:
    epoch: float        # fractional: 1.5 is half-way through the second epoch
    correct: int
    total: int
    cost: float         # mean test cost
    train_cost: float   # mean training cost over the mini-batches since the last evaluation
    complete: bool      # True at an epoch's end: measured on the whole test set
    probabilities: object = field(default=None, repr=False)  # (total, classes), host

    @property
    def accuracy(self):
        return self.correct / self.total if self.total else 0.0

    def record(self):
        return {"epoch": self.epoch, "correct": self.correct, "n_test": self.total,
                "accuracy": self.accuracy, "cost": self.train_cost, "test_cost": self.cost}


def build_network(config):
    with backend.gpu_errors_as_device_errors():
        return Network(config.sizes, **config.network_options())


def run(network, config, train, test, *, stop=None, evals_per_epoch=1, subset=1000,
        progress_interval=0.1):
    """Train `network` as `config` says on the `train` Split, yielding Progress about every
    `progress_interval` seconds and an Evaluation `evals_per_epoch` times per epoch (on the
    first `subset` test images, except at each epoch's end: the whole test set).

    The caller owns `network`; on return (or DivergedError) it holds the latest weights.
    A GPU fault (out of memory, say) ends the run with a DeviceError that says so.
    """
    with backend.gpu_errors_as_device_errors():
        yield from _run(network, config, train, test, stop, evals_per_epoch, subset,
                        progress_interval)


def _run(network, config, train, test, stop, evals_per_epoch, subset, progress_interval):
    stop = stop or threading.Event()
    x, y = network.training_arrays(train)
    test_x, test_labels = network.test_arrays(test)
    n = x.shape[0]
    batches = -(-n // config.mini_batch_size)
    checkpoints = [round(batches * k / evals_per_epoch) for k in range(1, evals_per_epoch)]
    rng = np.random.default_rng(config.seed)
    augment = parse_augment(config.augment)
    transform = Augmenter(augment, config.seed, network.xp) if augment.active else None
    start = last_report = time.perf_counter()
    for epoch in range(config.epochs):
        cost_sum, pending = 0.0, list(checkpoints)
        for batch, batch_cost in network.sgd_epoch(
                x, y, config.mini_batch_size, config.eta_at(epoch), epoch, rng,
                lmbda=config.lmbda, momentum=config.momentum, dropout=config.dropout or None,
                transform=transform):
            done = batch + 1
            cost_sum += batch_cost
            now = time.perf_counter()
            if now - last_report >= progress_interval:
                last_report = now
                yield Progress(epoch, config.epochs, done, batches, now - start)
            if stop.is_set():
                return
            if pending and done >= pending[0] and done < batches:
                del pending[0]
                seen = min(n, done * config.mini_batch_size)
                yield evaluate(network, test_x[:subset], test_labels[:subset],
                                epoch + done / batches, cost_sum / seen, False)
        yield Progress(epoch, config.epochs, batches, batches, time.perf_counter() - start)
        yield evaluate(network, test_x, test_labels, epoch + 1.0, cost_sum / n, True)


def evaluate(network, x, labels, epoch, train_cost=float("nan"), complete=True):
    """An Evaluation of `network` on rows `x` (device arrays from `test_arrays`)."""
    m = network.measure(x, labels)
    return Evaluation(epoch, m.correct, int(x.shape[0]), m.cost, train_cost, complete,
                      m.probabilities)
