"""The one bridge between the window and the trainer: a QObject that runs on its own QThread.

The worker does all the array work (loading MNIST, building the network, every mini-batch,
every evaluation) and reports through signals carrying host copies only, so the GUI thread
never waits on training and nothing here touches a widget. Stopping is cooperative: `stop()`
sets an event that the trainer checks after every mini-batch.

Signals
    data_loaded(object)   the (train, test) Splits, so the window can hand them to the next run
    progress(object)      a trainer.Progress, at most ten times a second
    evaluated(object)     a Snapshot: the Evaluation plus host copies of the weights
    completed(object)     a Snapshot of the final weights when the run ends or is stopped
    failed(str)           a sentence for the person at the keyboard; the run is over
    finished()            always last, whatever happened
"""

import threading
import weakref
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QObject, QThread, Signal, Slot

from nndraw.core import backend
from nndraw.errors import NndrawError
from nndraw.training import trainer

# Every QThread started below, so tests can prove none is left running (napari's fixture idea).
_threads = weakref.WeakSet()


def running_threads():
    """The training threads that are still running."""
    return [t for t in list(_threads) if t.isRunning()]


@dataclass
class Snapshot:
    """What the window needs from one moment of a run, all of it plain host data."""

    weights: list
    biases: list
    evaluation: object = None          # trainer.Evaluation, or None for a final snapshot
    history: list = field(default_factory=list)
    stopped: bool = False
    probabilities: object = None       # (k, classes) for the first k test images evaluated
    confusion: object = None           # (classes, classes) counts: true row, predicted column
    personal: float | None = None      # accuracy on the person's held-out drawings


class TrainingWorker(QObject):
    """Trains a fresh network for `config` on `data` ((train, test) Splits), or on MNIST loaded
    here, in this object's thread, when `data` is None."""

    data_loaded = Signal(object)
    progress = Signal(object)
    evaluated = Signal(object)
    completed = Signal(object)
    failed = Signal(str)
    finished = Signal()

    def __init__(self, config, data=None, *, evals_per_epoch=10, subset=1000, folder=None,
                 start=None, personal=None, teach=None, evaluate_only=False):
        super().__init__()
        self.config = config
        self.data = data
        self.evals_per_epoch = evals_per_epoch
        self.subset = subset
        self.folder = folder                # an IDX folder to load instead of MNIST
        self.start = start                  # (weights, biases) to begin from, else fresh
        self.personal = personal            # held-out Split of the person's drawings
        self.teach = teach                  # their taught Split: fine-tune on it mixed in
        self.evaluate_only = evaluate_only  # measure the `start` weights, train nothing
        self._stop = threading.Event()

    def stop(self):
        """Ask the run to end after the current mini-batch (safe from any thread)."""
        self._stop.set()

    def stopping(self):
        return self._stop.is_set()

    @Slot()
    def run(self):
        try:
            with backend.gpu_errors_as_device_errors():  # a GPU fault reads like any error
                self._train()
        except NndrawError as exc:
            self.failed.emit(str(exc))
        except MemoryError:
            self.failed.emit("training stopped: not enough memory for this network and data")
        except Exception as exc:  # a bug: say so rather than crash the window
            self.failed.emit(f"training stopped by an unexpected error: "
                             f"{type(exc).__name__}: {exc}")
        finally:
            self.finished.emit()

    def _train(self):
        if self.data is None:
            from nndraw.data.datasets import load_idx_folder, load_mnist

            self.data = load_mnist() if self.folder is None else load_idx_folder(self.folder)
            self.data_loaded.emit(self.data)
        if self._stop.is_set():
            return
        train, test = self.data
        network = trainer.build_network(self.config)
        if self.start is not None:
            network.set_parameters(*self.start)
        if self.teach is not None:
            from nndraw.training.teach import mixed_split

            train = mixed_split(self.teach, train, np.random.default_rng(self.config.seed))
        history = []
        try:
            if self.evaluate_only or self.teach is not None:   # where teaching starts from
                self._report(network, test,
                             trainer.evaluate(network, *network.test_arrays(test), 0.0),
                             history)
            if self.evaluate_only:
                return
            for event in trainer.run(network, self.config, train, test, stop=self._stop,
                                     evals_per_epoch=self.evals_per_epoch, subset=self.subset):
                if isinstance(event, trainer.Progress):
                    self.progress.emit(event)
                    continue
                if event.complete:
                    history.append(event.record())
                self._report(network, test, event, history)
            weights, biases = network.host_parameters()
            self.completed.emit(Snapshot(weights, biases, None, history, self._stop.is_set()))
        finally:
            network.release_buffers()

    def _report(self, network, test, evaluation, history):
        """Emit a Snapshot with what the views need, measured here, off the GUI thread: the
        probabilities and confusion matrix on the images just evaluated, and the accuracy on
        the person's held-out drawings."""
        k = evaluation.total
        probabilities = evaluation.probabilities  # measured with the evaluation, not again
        classes = probabilities.shape[1]
        confusion = np.zeros((classes, classes), np.int64)
        np.add.at(confusion, (test.labels[:k], probabilities.argmax(axis=1)), 1)
        personal = None
        if self.personal is not None and len(self.personal.labels):
            guesses = network.predict(self.personal.images).argmax(axis=1)
            personal = float((guesses == self.personal.labels).mean())
        weights, biases = network.host_parameters()
        self.evaluated.emit(Snapshot(weights, biases, evaluation, list(history),
                                     probabilities=probabilities, confusion=confusion,
                                     personal=personal))


def start(worker):
    """Run `worker` on a new QThread wired the superqt way and return the thread. The caller
    keeps both alive until the thread's `finished`, and on teardown calls worker.stop(),
    thread.quit(), thread.wait()."""
    thread = QThread()
    thread.setObjectName("nndraw-training")
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    worker.finished.connect(thread.quit)
    _threads.add(thread)
    thread.start()
    return thread
