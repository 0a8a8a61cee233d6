"""The window: wires the views to the Session (the state, Qt-free) and the RunController (the
worker thread). Views send intents here; each intent goes to the session, and `_refresh` shows
what the session then says, so every view tells the same story about the model in use.

The person's drawings live in the platform's app data folder (or `personal_dir`, or the
NNDRAW_DATA_DIR environment variable, which tests set).
"""

import os

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QTabWidget,
)

from nndraw.data.datasets import FASHION_DIR, DataSource
from nndraw.errors import NndrawError
from nndraw.gui import menus
from nndraw.gui.about import show_about
from nndraw.gui.augment_strip import AugmentStrip
from nndraw.gui.canvas import Canvas
from nndraw.gui.cards import card, muted_label, two_by_two
from nndraw.gui.confusion_view import ConfusionPanel
from nndraw.gui.drawing_reader import ReadsDrawing
from nndraw.gui.file_dialogs import FileMenu
from nndraw.gui.hidden_units import HiddenUnitsView
from nndraw.gui.icon import app_icon
from nndraw.gui.kept_drawings import KeptDrawings
from nndraw.gui.message_banner import MessageBanner
from nndraw.gui.plots import AccuracyPlot
from nndraw.gui.prediction_view import PredictionView
from nndraw.gui.run_controller import RunController
from nndraw.gui.settings import restore_window, save_window
from nndraw.gui.training_panel import TrainingPanel
from nndraw.training.runs import read_run_file
from nndraw.training.session import Session

Button = QMessageBox.StandardButton


class MainWindow(FileMenu, KeptDrawings, ReadsDrawing, QMainWindow):
    """The whole app. `network`: the model to predict with (default: the shipped one).
    `data`: (train, test) Splits to use as MNIST instead of loading it (tests, screenshots).
    `evals_per_epoch`, `subset`: how often, and on how many test images, runs are evaluated.
    `personal_dir`: where the person's drawings are kept; `fashion_dir`: Fashion-MNIST."""

    def __init__(self, network=None, *, data=None, evals_per_epoch=10, subset=1000,
                 personal_dir=None, fashion_dir=FASHION_DIR):
        super().__init__()
        self.setWindowIcon(app_icon())
        self.session = Session()
        if data is not None:
            self.session.data[DataSource.mnist()] = data
        self.runs = RunController(self, evals_per_epoch=evals_per_epoch, subset=subset)
        self._dialog = None
        self.canvas = Canvas()
        self.prediction = PredictionView()
        self.panel = TrainingPanel(fashion_dir=fashion_dir)
        self.plot = AccuracyPlot()
        self.hidden_units = HiddenUnitsView()
        self.confusion = ConfusionPanel()
        self._build_layout()
        self.actions = menus.build_menus(self)
        self.statusBar().setSizeGripEnabled(True)
        self._connect()
        self._open_personal_set(personal_dir)
        if data is not None:
            self.panel.data_label.setText(f"{len(data[0][1]):,} training and "
                                          f"{len(data[1][1]):,} test digits")
        restore_window(self)
        self._start_model(network)
        self.statusBar().showMessage("Draw a digit on the black square", 5000)

    def _build_layout(self):
        clear = QPushButton("Clear")
        clear.setObjectName("clearButton")
        clear.setToolTip("Clear the drawing (Esc, Ctrl+L, or right-click)")
        clear.clicked.connect(self.clear_drawing)
        row = QHBoxLayout()
        row.addWidget(muted_label("clearHint", "Right-click or Esc to clear"), 1)
        row.addWidget(clear)
        self.model_label = muted_label("modelLabel")
        footer = QHBoxLayout()        # the model line, and what the network trains on
        footer.addWidget(self.model_label, 1)
        self.strip = AugmentStrip(self.panel)
        footer.addWidget(self.strip)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("learningTabs")
        self.tabs.setDocumentMode(True)
        for view, title in ((self.plot, "Accuracy"), (self.hidden_units, "Hidden units"),
                            (self.confusion, "Confusion")):
            self.tabs.addTab(view, title)
        central = two_by_two(
            card("Draw", self.canvas, self.prediction.teach_bar, row, stretch_index=0),
            card("Prediction", self.prediction, stretch_index=0),
            card("Train a network", self.panel, stretch_index=0),
            card("Learning", self.tabs, footer, stretch_index=0))
        self.setCentralWidget(central)
        # The banner floats over the top of the window, so nothing moves when it appears.
        self.banner = MessageBanner(central)
        self.resize(1040, 860)

    def _connect(self):
        self.canvas.drawing_changed.connect(self._on_drawing_changed)
        self.canvas.piece_chosen.connect(self._on_piece_chosen)
        self.panel.train_requested.connect(self.start_training)
        self.panel.stop_requested.connect(self.stop_training)
        self.panel.dataset_chosen.connect(self.choose_dataset)
        self.prediction.keep_requested.connect(self.keep_drawing)
        self.prediction.teach_requested.connect(self.teach)
        self.prediction.personal_requested.connect(self.show_personal_set)
        self.confusion.evaluate_requested.connect(self.measure_model)
        self.runs.running_changed.connect(self._on_running_changed)
        self.runs.data_loaded.connect(lambda source, data: self.session.data.update(
            {source: data}))
        self.runs.progress.connect(self.panel.show_progress)
        self.runs.evaluated.connect(self._on_evaluated)
        self.runs.completed.connect(self._on_completed)
        self.runs.failed.connect(self._on_failed)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self.banner.place()

    # ------------------------------------------------------------------ showing the session
    def show_message(self, text, error=True):
        """Show `text` in the banner and the status bar, without blocking."""
        self.banner.show_message(text, error)
        self.statusBar().showMessage(text, 15000)

    def _refresh(self):
        """Show what the session says: the model line, the title, the class names, the banner
        (only while what it says is true) and the reading of the drawing."""
        session, model = self.session, self.session.model
        self.setWindowModified(model is not None and not model.saved)
        name = model.name() if model else "no model"
        self.setWindowTitle(f"{name}[*] — nndraw")
        self.model_label.setText(model.summary() if model else
                                 "No model: train one or open a file (Ctrl+O)")
        reads = model.dataset if model else session.dataset
        self.prediction.set_class_names(reads.class_names)
        self.confusion.set_class_names(reads.class_names)
        self.canvas.set_hint("Draw a digit here,\nor a number, left to right"
                             if session.dataset.reads_digits else
                             f"Draw {session.dataset.things} here")
        notice = session.notice()
        if notice:
            self.banner.show_message(notice, error=False)
        elif not self.banner.is_error():
            self.banner.hide()
        self.panel.show_dataset(session.dataset)
        self._predict()

    def _show_weights(self):
        network = self.session.model.network
        weights, biases = network.host_parameters()
        self.hidden_units.set_network_weights(
            weights[0], biases[0], network.activation if len(network.sizes) > 2 else None)

    def _use(self, adopt):
        """Run `adopt()` (a session call that changes the model in use); on NndrawError say
        why and change nothing. Then switch to the model's data and show it all."""
        if self.runs.is_running():
            self.show_message("Stop the training first.")
            return False
        try:
            adopt()
        except NndrawError as exc:
            self.show_message(f"{exc}")
            return False
        self.banner.hide()
        model = self.session.model
        if model.dataset != self.session.dataset:
            try:
                self.session.choose_dataset(model.dataset)
            except NndrawError:
                pass    # its data is not here: the banner says what it reads
        self._show_weights()
        self.confusion.clear()
        self.plot.show_timeline(model.timeline, model.plan[1])
        self.panel.show_ready()      # "Ready", with how long the panel's run would take here
        self._refresh()
        return True

    def _start_model(self, network):
        if network is not None:
            self._use(lambda: self.session.use(network, "file"))
        elif not self._use(self.session.use_shipped):
            self.show_message("The shipped model could not be loaded. Train a network or open "
                              "a model file (Ctrl+O) to read digits.")
            self._refresh()

    # ------------------------------------------------------------------ files
    def open_model(self, path):
        return self._use(lambda: self.session.open_model(path))

    def use_shipped_model(self):
        return self._use(self.session.use_shipped)

    def open_run(self, path):
        def adopt():
            run = self.session.open_run(path)
            self.panel.set_config(run.config)
        if not self._use(adopt):
            return False
        self.statusBar().showMessage(f"Opened {path}: Training ▸ Resume continues it", 8000)
        return True

    def _save(self, save, path, what):
        try:
            save(path)
        except NndrawError as exc:
            self.show_message(f"Could not save the {what}: {exc}")
            return False
        self._refresh()
        self.statusBar().showMessage(f"Saved {self.session.model.path}", 5000)
        return True

    def save_model(self, path):
        return self._save(self.session.save_model, path, "model")

    def save_run(self, path):
        return self._save(self.session.save_run, path, "run")

    def compare_run(self, path):
        """Overlay the accuracy curve of the run at `path` on the plot."""
        try:
            _, evaluations, _ = read_run_file(path)
        except NndrawError as exc:
            self.show_message(f"Could not read the run: {exc}")
            return False
        self.plot.set_comparison(evaluations, os.path.splitext(os.path.basename(path))[0])
        self.tabs.setCurrentWidget(self.plot)
        return True

    def clear_comparison(self):
        self.plot.set_comparison(None, None)

    # ------------------------------------------------------------------ data sets
    def choose_dataset(self, source):
        try:
            self.session.choose_dataset(source)
        except NndrawError as exc:
            self.show_message(f"Could not use that data set: {exc}")
        else:
            self.banner.hide()
            self.confusion.clear()
        self._refresh()

    # ------------------------------------------------------------------ training
    def is_training(self):
        return self.runs.is_running()

    def train_from_panel(self):
        self.panel.train_button.click()

    def start_training(self, config):
        """Train a fresh network for `config` (a validated TrainConfig) on the chosen data."""
        self._start(lambda: self.session.train_job(config))

    def resume_training(self):
        try:
            config = self.panel.config()
        except NndrawError as exc:
            self.panel.show_error(str(exc))
            return
        self._start(lambda: self.session.resume_job(config))

    def teach(self):
        """Fine-tune the model in use on the kept drawings mixed with MNIST."""
        self._start(self.session.teach_job)

    def measure_model(self):
        """Measure the model in use on its whole test set (fills the confusion matrix)."""
        self._start(self.session.measure_job)

    def _start(self, plan):
        if self.runs.is_running():
            return False
        try:
            job = plan()
        except NndrawError as exc:
            self.show_message(str(exc))
            return False
        self.session.begin(job)
        if job.kind == "train":
            self.plot.show_timeline([], job.end)
        elif job.kind != "measure":
            self.plot.show_timeline(self.session.model.timeline, job.end)
        self.banner.hide()
        self.runs.start(job, self.session.data.get(job.source))
        if job.kind != "measure":  # the strip shows what this run trains on (Teach's own)
            self.strip.set_settings(job.config.augment)
        if job.source not in self.session.data:
            self.panel.show_busy(f"Loading {job.source.name}…")
        elif job.kind == "measure":
            self.panel.show_busy("Measuring the model on the test set…")
        self.statusBar().showMessage(job.describe())
        return True

    def stop_training(self):
        if self.runs.is_running() and self.session.running:   # not once it has ended
            self.runs.stop()
            self.panel.stop_button.setEnabled(False)
            self.panel.show_busy("Stopping: measuring what it learned…")

    def _on_evaluated(self, snapshot):
        evaluation = snapshot.evaluation
        self.session.adopt(snapshot.weights, snapshot.biases, evaluation)
        self.confusion.set_evaluation(snapshot.test, evaluation, snapshot.confusion)
        model = self.session.model
        if self.session.job.kind == "measure":
            self.plot.show_timeline(model.timeline, model.plan[1])
        else:
            self.plot.add(evaluation)
            self._show_weights()
        mine = (f", {100 * evaluation.personal:.0f} % of your held-out drawings"
                if evaluation.personal is not None else "")
        self.statusBar().showMessage(f"{evaluation.describe(model.dataset.name)}{mine} at "
                                     f"epoch {evaluation.epoch:.1f}")
        self._refresh()

    def _on_completed(self, snapshot):
        self.session.adopt(snapshot.weights, snapshot.biases)
        job, model = self.session.job, self.session.model
        score = f": {model.accuracy_text()}" if model.timeline else ""
        if job.kind == "measure":
            text = f"Measured{score}"
        elif job.kind == "teach":
            text = f"Taught{score}"
        elif snapshot.stopped:
            text = f"Stopped at epoch {model.epoch:.1f}; it keeps what it learned{score}"
        else:
            text = f"Training finished{score}"
        self.session.finish()
        self.panel.show_done(text, None if snapshot.stopped else 1.0)
        self.statusBar().showMessage(text + " (Ctrl+S saves it)", 15000)
        self._refresh()

    def _on_failed(self, message):
        model = self.session.fail()
        self.panel.show_done("Failed")
        kept = f" The previous model ({model.name()}) is still in use." if model else ""
        self.show_message(f"{message[0].upper()}{message[1:]}.{kept}")

    def _on_running_changed(self, running):
        self.panel.set_running(running)
        menus.set_running(self.actions, running)
        self.prediction.teach_button.setEnabled(not running and bool(self.session.personal))
        self.confusion.evaluate_button.setEnabled(not running)
        if running:
            return
        self.strip.set_settings(self.panel.augmentation())
        if self.session.running:        # ended before reporting (stopped while loading)
            self.session.fail()
            self.panel.show_done("Stopped")
        model = self.session.model
        if model is not None:
            self.plot.show_timeline(model.timeline, model.plan[1])
        self._refresh()

    def shutdown_training(self):
        """Stop a run and wait for its thread to end (the worker stops within a mini-batch)."""
        self.runs.shutdown()

    # ------------------------------------------------------------------ settings, closing
    def show_about(self):
        show_about(self)

    def confirm_discard(self):
        """True when nothing unsaved would be lost, or the person saved or chose to discard."""
        model = self.session.model
        if model is None or model.saved:
            return True
        answer = QMessageBox.question(
            self, "Save the trained model?",
            f"{model.name()} ({model.accuracy_text() or 'not measured yet'}) is not saved. "
            "Save it before closing?", Button.Save | Button.Discard | Button.Cancel,
            Button.Save)
        if answer == Button.Save:
            self.save_model_dialog()
            return model.saved
        return answer == Button.Discard

    def closeEvent(self, event):
        if not self.confirm_discard():
            event.ignore()
            return
        self.shutdown_training()
        if self._dialog is not None:
            self._dialog.close()
        save_window(self)
        super().closeEvent(event)

    def changeEvent(self, event):
        super().changeEvent(event)
        if event.type() in (event.Type.PaletteChange, event.Type.ApplicationPaletteChange):
            QTimer.singleShot(0, self.plot.apply_palette)
            QTimer.singleShot(0, self.hidden_units.apply_palette)
