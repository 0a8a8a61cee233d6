"""Owns the training worker and its thread, so the window never touches either.

`start(job, data)` runs a session.Job on a fresh worker thread; `stop()` asks it to end after
the current mini-batch; `shutdown()` stops it and waits (closing the window). What the worker
reports is passed on as this object's own signals, emitted on the GUI thread, and only while
the job is current: a late report from a run already torn down is dropped here.

Signals
    running_changed(bool)   a job started (True) or its thread ended (False)
    data_loaded(object, object), progress(object), evaluated(object), completed(object),
    failed(str)             as the worker's (see worker.py)
"""

from PySide6.QtCore import QObject, Signal

from nndraw.gui import worker as worker_module


class RunController(QObject):
    running_changed = Signal(bool)
    data_loaded = Signal(object, object)
    progress = Signal(object)
    evaluated = Signal(object)
    completed = Signal(object)
    failed = Signal(str)

    def __init__(self, parent=None, *, evals_per_epoch=10, subset=1000):
        super().__init__(parent)
        self.evals_per_epoch = evals_per_epoch
        self.subset = subset
        self._worker = self._thread = None

    def is_running(self):
        return self._thread is not None

    def start(self, job, data=None):
        """Run `job` on (train, test) `data`, or on its data set loaded by the worker."""
        if self.is_running():
            raise RuntimeError("a job is already running")
        worker = worker_module.TrainingWorker(job, data, evals_per_epoch=self.evals_per_epoch,
                                              subset=self.subset)
        # Bound methods of this GUI-thread object: Qt queues each report to this thread.
        worker.data_loaded.connect(self._on_data_loaded)
        worker.progress.connect(self._on_progress)
        worker.evaluated.connect(self._on_evaluated)
        worker.completed.connect(self._on_completed)
        worker.failed.connect(self._on_failed)
        self._worker = worker
        self._thread = worker_module.start(worker)
        self._thread.finished.connect(self._on_thread_finished)
        self.running_changed.emit(True)

    def _current(self):
        return self._worker is not None and self.sender() is self._worker

    def _on_data_loaded(self, source, data):
        if self._current():
            self.data_loaded.emit(source, data)

    def _on_progress(self, progress):
        if self._current() and not self._worker.stopping():
            self.progress.emit(progress)

    def _on_evaluated(self, snapshot):
        if self._current():
            self.evaluated.emit(snapshot)

    def _on_completed(self, snapshot):
        if self._current():
            self.completed.emit(snapshot)

    def _on_failed(self, message):
        if self._current():
            self.failed.emit(message)

    def stop(self):
        if self._worker is not None:
            self._worker.stop()

    def shutdown(self):
        """Stop the job and wait for its thread to end (within a mini-batch)."""
        thread = self._thread
        if thread is None:
            return
        self._worker.stop()
        thread.quit()
        thread.wait()
        self._on_thread_finished()

    def _on_thread_finished(self):
        if self._thread is None:
            return
        self._thread = self._worker = None
        self.running_changed.emit(False)
