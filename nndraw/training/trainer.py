"""The training loop shared by `nndraw train` and the window's worker thread.

`run` is a generator: it trains, and between mini-batches yields what happened (Progress,
Evaluation) so the caller can print a bar or emit a signal, and can stop it by setting the
`stop` event, which is checked after every mini-batch.
"""

import math
import threading
import time
from dataclasses import dataclass

import numpy as np

from nndraw.core import backend
from nndraw.core.network import Network
from nndraw.data.augment import Augmenter, parse_augment
from nndraw.errors import FailedToLearnError
from nndraw.training import memory
from nndraw.training.records import Evaluation


@dataclass
class Progress:
    """Where a run is, in epochs on the model's timeline: it began at `begin`, is at
    `position` and will end at `end` (a run resumed at 2.5 of 3 has begin 2.5, end 3)."""

    position: float
    begin: float
    end: float
    elapsed: float      # seconds since the run started

    @property
    def fraction(self):
        """How far along the timeline's plan: position / end."""
        return self.position / self.end if self.end else 1.0

    @property
    def epoch(self):
        """The epoch under way, counted from 1, as the progress bar says it."""
        return min(int(self.position) + 1, math.ceil(self.end))

    @property
    def epochs(self):
        return math.ceil(self.end)

    @property
    def remaining(self):
        """Estimated seconds left, from the pace so far (None until there is a pace)."""
        done = (self.position - self.begin) / max(self.end - self.begin, 1e-9)
        return self.elapsed * (1 - done) / done if done > 0.01 else None


def build_network(config):
    memory.check_fits(config)   # one line, not a MemoryError, for a network too big to train
    with backend.gpu_errors_as_device_errors():
        return Network(config.sizes, **config.network_options())


def run(network, config, train, test, *, stop=None, evals_per_epoch=1, subset=1000,
        progress_interval=0.1, begin=0.0, offset=0.0, segment="train"):
    """Train `network` as `config` says on the `train` Split from epoch `begin` (0, or where a
    stopped run stopped) to `config.epochs`, yielding Progress about every `progress_interval`
    seconds and an Evaluation `evals_per_epoch` times per epoch (on the first `subset` test
    images, except at each epoch's end and when stopped: the whole test set). Epochs are
    reported `offset` later, where this run continues a model's timeline.

    The caller owns `network`; on return (or DivergedError) it holds the latest weights.
    A run that ends no better than chance raises FailedToLearnError (see `check_learned`).
    A GPU fault (out of memory, say) ends the run with a DeviceError that says so.
    """
    with backend.gpu_errors_as_device_errors():
        yield from _run(network, config, train, test, stop or threading.Event(),
                        evals_per_epoch, subset, progress_interval, begin, offset, segment)


def _run(network, config, train, test, stop, evals_per_epoch, subset, progress_interval,
         begin, offset, segment):
    x, y = network.training_arrays(train)
    test_x, test_labels = network.test_arrays(test)
    n = x.shape[0]
    batches = -(-n // config.mini_batch_size)
    checkpoints = [round(batches * k / evals_per_epoch) for k in range(1, evals_per_epoch)]
    rng = np.random.default_rng(config.seed)
    first_epoch, skip = int(begin), round((begin - int(begin)) * batches)
    augment = parse_augment(config.augment)
    transform = Augmenter(augment, config.seed, network.xp) if augment.active else None
    start = last_report = time.perf_counter()
    last = None

    def measure(position, cost, complete):
        rows = slice(None) if complete else slice(subset)
        return evaluate(network, test_x[rows], test_labels[rows], offset + position, cost,
                        complete, segment)

    def progress(position):
        return Progress(offset + position, offset + begin, offset + config.epochs,
                        time.perf_counter() - start)

    for epoch in range(first_epoch, config.epochs):
        batch_skip = skip if epoch == first_epoch else 0
        cost_sum, seen, pending = 0.0, 0, [c for c in checkpoints if c > batch_skip]
        for batch, batch_cost in network.sgd_epoch(
                x, y, config.mini_batch_size, config.eta_at(epoch), epoch, rng,
                lmbda=config.lmbda, momentum=config.momentum, dropout=config.dropout or None,
                transform=transform, batches=range(batch_skip, batches)):
            done = batch + 1
            cost_sum += batch_cost
            seen = min(n, done * config.mini_batch_size) - batch_skip * config.mini_batch_size
            now = time.perf_counter()
            if now - last_report >= progress_interval:
                last_report = now
                yield progress(epoch + done / batches)
            if stop.is_set():   # what the person keeps is measured on the whole test set
                last = measure(epoch + done / batches, cost_sum / max(seen, 1), True)
                yield last
                check_learned(last, test_labels)
                return
            if pending and done >= pending[0] and done < batches:
                del pending[0]
                yield measure(epoch + done / batches, cost_sum / max(seen, 1), False)
        yield progress(epoch + 1.0)
        last = measure(epoch + 1.0, cost_sum / max(seen, 1), True)
        yield last
    if last is not None:
        check_learned(last, test_labels)


def evaluate(network, x, labels, epoch, train_cost=float("nan"), complete=True,
             segment="train"):
    """An Evaluation of `network` on rows `x` (device arrays from `test_arrays`)."""
    m = network.measure(x, labels)
    return Evaluation(epoch, m.correct, int(x.shape[0]), complete, train_cost, m.cost,
                      segment=segment, probabilities=m.probabilities)


def check_learned(evaluation, labels):
    """FailedToLearnError when `evaluation` is no better than always answering the test set's
    most common class, allowing three standard deviations of luck: such a network answers
    every input the same way, and is not worth keeping."""
    counts = np.bincount(backend.to_host(labels).astype(np.int64))
    total = evaluation.total
    p = counts.max() / max(counts.sum(), 1)
    if evaluation.correct <= total * p + 3 * math.sqrt(total * p * (1 - p)):
        raise FailedToLearnError(evaluation)
