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

from PySide6.QtCore import QObject, QThread, Signal, Slot

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


class TrainingWorker(QObject):
    """Trains a fresh network for `config` on `data` ((train, test) Splits), or on MNIST loaded
    here, in this object's thread, when `data` is None."""

    data_loaded = Signal(object)
    progress = Signal(object)
    evaluated = Signal(object)
    completed = Signal(object)
    failed = Signal(str)
    finished = Signal()

    def __init__(self, config, data=None, *, evals_per_epoch=10, subset=1000):
        super().__init__()
        self.config = config
        self.data = data
        self.evals_per_epoch = evals_per_epoch
        self.subset = subset
        self._stop = threading.Event()

    def stop(self):
        """Ask the run to end after the current mini-batch (safe from any thread)."""
        self._stop.set()

    def stopping(self):
        return self._stop.is_set()

    @Slot()
    def run(self):
        try:
            self._train()
        except NndrawError as exc:
            self.failed.emit(str(exc))
        except MemoryError:
            self.failed.emit("training stopped: not enough memory for this network and data")
        except Exception as exc:  # a bug, or a GPU library failing in its own way
            self.failed.emit(f"training stopped by an unexpected error: "
                             f"{type(exc).__name__}: {exc}")
        finally:
            self.finished.emit()

    def _train(self):
        if self.data is None:
            from nndraw.data.datasets import load_mnist

            self.data = load_mnist()
            self.data_loaded.emit(self.data)
        if self._stop.is_set():
            return
        train, test = self.data
        network = trainer.build_network(self.config)
        history = []
        try:
            for event in trainer.run(network, self.config, train, test, stop=self._stop,
                                     evals_per_epoch=self.evals_per_epoch, subset=self.subset):
                if isinstance(event, trainer.Progress):
                    self.progress.emit(event)
                    continue
                if event.complete:
                    history.append(event.record())
                weights, biases = network.host_parameters()
                self.evaluated.emit(Snapshot(weights, biases, event, list(history)))
            weights, biases = network.host_parameters()
            self.completed.emit(Snapshot(weights, biases, None, history, self._stop.is_set()))
        finally:
            network.release_buffers()


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
