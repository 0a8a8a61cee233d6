"""The one bridge between the window and the trainer: a QObject that runs on its own QThread.

The worker does all the array work (loading MNIST, building the network, every mini-batch,
every evaluation) and reports through signals carrying host copies only, so the GUI thread
never waits on training and nothing here touches a widget. Stopping is cooperative: `stop()`
sets an event that the trainer checks after every mini-batch.

Signals
    data_loaded(object, object)  the DataSource and its (train, test) Splits, kept for the next run
    progress(object)      a trainer.Progress, at most ten times a second
    evaluated(object)     a Snapshot: the Evaluation record plus host copies of the weights
    completed(object)     a Snapshot of the final weights when the run ends or is stopped
    failed(str)           a sentence for the person at the keyboard; the run is over
    finished()            always last, whatever happened
"""

import dataclasses
import threading
import weakref
from dataclasses import dataclass

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
    evaluation: object = None          # a records.Evaluation, None for a final snapshot
    stopped: bool = False
    test: object = None                # the test Split the evaluation measured
    confusion: object = None           # (classes, classes) counts: true row, predicted column


class TrainingWorker(QObject):
    """Runs a session.Job in this object's thread: trains (or only measures) on `data`
    ((train, test) Splits), or on the job's data set loaded here when `data` is None."""

    data_loaded = Signal(object, object)   # the DataSource and its (train, test) Splits
    progress = Signal(object)
    evaluated = Signal(object)
    completed = Signal(object)
    failed = Signal(str)
    finished = Signal()

    def __init__(self, job, data=None, *, evals_per_epoch=10, subset=1000):
        super().__init__()
        self.job = job
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
        job = self.job
        if self.data is None:
            self.data = job.source.load()
            self.data_loaded.emit(job.source, self.data)
        if self._stop.is_set():
            return
        train, test = self.data
        network = trainer.build_network(job.config)
        if job.start is not None:
            network.set_parameters(*job.start)
        if job.teach is not None:
            from nndraw.training.teach import mixed_split

            train = mixed_split(job.teach, train, np.random.default_rng(job.config.seed))
        try:
            if job.kind in ("measure", "teach"):   # where teaching starts from
                self._report(network, test, trainer.evaluate(
                    network, *network.test_arrays(test), job.offset,
                    segment="measure" if job.kind == "measure" else "teach"))
            events = () if job.kind == "measure" else trainer.run(network, job.config, train, test, stop=self._stop,
                                     evals_per_epoch=self.evals_per_epoch, subset=self.subset,
                                     begin=job.begin, offset=job.offset, segment=job.kind)
            for event in events:
                if isinstance(event, trainer.Progress):
                    self.progress.emit(event)
                else:
                    self._report(network, test, event)
            weights, biases = network.host_parameters()
            self.completed.emit(Snapshot(weights, biases, None, self._stop.is_set()))
        finally:
            network.release_buffers()

    def _report(self, network, test, evaluation):
        """Emit a Snapshot with what the views need, measured here, off the GUI thread: the
        confusion matrix on the images just evaluated, and the accuracy on the person's
        held-out drawings (written into the evaluation)."""
        k = evaluation.total
        probabilities = evaluation.probabilities  # measured with the evaluation, not again
        classes = probabilities.shape[1]
        confusion = np.zeros((classes, classes), np.int64)
        np.add.at(confusion, (test.labels[:k], probabilities.argmax(axis=1)), 1)
        held = self.job.personal
        if held is not None and len(held.labels):
            guesses = network.predict(held.images).argmax(axis=1)
            evaluation = dataclasses.replace(
                evaluation, personal=float((guesses == held.labels).mean()))
        weights, biases = network.host_parameters()
        self.evaluated.emit(Snapshot(weights, biases, evaluation, test=test.subset(k),
                                     confusion=confusion))


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
