"""The window: builds the views, keeps the model used for prediction, and wires the training
panel to a TrainingWorker on its own thread.

The window owns a CPU `Network` for prediction (the shipped model at launch). While a run
trains, each evaluation brings host copies of the new weights, which are set on a second CPU
network that then predicts, so the drawing is re-read as the network learns. If the run fails,
the model from before the run is put back.

The same worker also fine-tunes the model in use on the person's own drawings ("Teach"),
resumes a run from its weights, or only measures the model (to fill the confusion matrix).
The person's drawings live in the platform's app data folder (or `personal_dir`, or the
NNDRAW_DATA_DIR environment variable, which tests set).
"""

import dataclasses
import json
import os

import numpy as np
from PySide6.QtCore import QByteArray, QRectF, QStandardPaths, Qt, QTimer
from PySide6.QtGui import QAction, QFont, QKeySequence, QPainter, QPalette
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from nndraw.core.network import Network
from nndraw.data.datasets import DIGIT_CLASSES, FASHION_CLASSES, FASHION_DIR, class_names
from nndraw.data.personal import PersonalSet
from nndraw.data.preprocess import mnist_stages
from nndraw.errors import NndrawError
from nndraw.gui import worker as worker_module
from nndraw.gui.augment_strip import AugmentStrip
from nndraw.gui.canvas import Canvas
from nndraw.gui.confusion_view import ConfusionPanel
from nndraw.gui.hidden_units import HiddenUnitsView
from nndraw.gui.icon import app_icon
from nndraw.gui.message_banner import MessageBanner
from nndraw.gui.personal_dialog import PersonalSetDialog
from nndraw.gui.plots import AccuracyPlot
from nndraw.gui.prediction_view import PredictionView
from nndraw.gui.settings import open_settings
from nndraw.gui.training_panel import TrainingPanel
from nndraw.training.config import TrainConfig
from nndraw.training.model_io import load_model, pretrained, save_model
from nndraw.training.runs import load_run, read_run_file, save_run
from nndraw.training.teach import teach_config

MODEL_FILTER = "nndraw models (*.npz);;All files (*)"
RUN_FILTER = "nndraw runs (*.json *.npz);;All files (*)"
def _classes_of(dataset):
    """Class names for a data set tag: "mnist", "fashion", or an IDX folder's path."""
    if dataset == "mnist":
        return DIGIT_CLASSES
    return FASHION_CLASSES if dataset == "fashion" else class_names(dataset)


def _kind(names):
    return "digits" if names == DIGIT_CLASSES else "clothing"


class Card(QFrame):
    """A rounded panel in the palette's base colour, painted here rather than by a style
    sheet: a sheet on the window makes every widget inside paint through Qt's slower
    style-sheet style, which doubled the cost of a drawing update."""

    def paintEvent(self, event):
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.setPen(palette.color(QPalette.ColorRole.Midlight))
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 10, 10)
        painter.end()


def _card(title, *widgets, stretch_index=None):
    """A rounded panel with a title line, holding `widgets` one under the other."""
    frame = Card()
    frame.setObjectName("card")
    frame.setBackgroundRole(QPalette.ColorRole.Base)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(14, 10, 14, 12)
    layout.setSpacing(8)
    heading = QLabel(title)
    heading.setObjectName("cardTitle")
    font = heading.font()
    font.setWeight(QFont.Weight.DemiBold)
    heading.setFont(font)
    layout.addWidget(heading)
    for i, widget in enumerate(widgets):
        if isinstance(widget, QWidget):
            layout.addWidget(widget, 1 if i == stretch_index else 0)
        else:
            layout.addLayout(widget, 1 if i == stretch_index else 0)
    return frame


class MainWindow(QMainWindow):
    """The whole app. `network`: the model to predict with (default: the shipped one).
    `data`: (train, test) Splits to train on instead of loading MNIST (tests, screenshots).
    `evals_per_epoch`, `subset`: how often, and on how many test images, runs are evaluated.
    `personal_dir`: where the person's drawings are kept; `fashion_dir`: Fashion-MNIST."""

    def __init__(self, network=None, *, data=None, evals_per_epoch=10, subset=1000,
                 personal_dir=None, fashion_dir=FASHION_DIR):
        super().__init__()
        self.setWindowIcon(app_icon())
        self._data = self._mnist_data = data
        self._dataset = ("mnist", None)
        self._mode = None                # "train", "resume", "teach" or "measure"
        self.class_names = self.model_classes = DIGIT_CLASSES
        self.evaluations = []            # every evaluation of the model in use (run files)
        self.dataset_name = self.model_dataset = "mnist"
        self._evals_per_epoch = evals_per_epoch
        self._subset = subset
        self._worker = self._thread = None
        self._run_config = None
        self._previous = None            # the model to put back if a run fails
        self._live = None                # the CPU network that shows a run's weights
        self._ink = None
        self._last_evaluation = None
        self.predictor = None
        self.history, self.model_config, self.model_path = [], {}, None

        self.canvas = Canvas()
        self.prediction = PredictionView()
        self.panel = TrainingPanel(fashion_dir=fashion_dir)
        self.plot = AccuracyPlot()
        self.hidden_units = HiddenUnitsView()
        self.confusion = ConfusionPanel()
        self.banner = MessageBanner()
        self._dialog = None
        self._build_layout()
        self._build_actions()
        self.statusBar().setSizeGripEnabled(True)

        self.canvas.drawing_changed.connect(self._on_drawing_changed)
        self.panel.train_requested.connect(self.start_training)
        self.panel.stop_requested.connect(self.stop_training)
        self.panel.dataset_chosen.connect(self._on_dataset_chosen)
        self.prediction.keep_requested.connect(self.keep_drawing)
        self.prediction.teach_requested.connect(self.teach)
        self.prediction.personal_requested.connect(self.show_personal_set)
        self.confusion.evaluate_requested.connect(self.measure_model)
        self._open_personal_set(personal_dir)

        if data is not None:
            self.panel.data_label.setText(f"{len(data[0][1]):,} training and "
                                          f"{len(data[1][1]):,} test digits")
        self._restore_settings()
        if network is None:
            try:
                network = pretrained()
            except NndrawError as exc:
                self.show_message(f"The shipped model could not be loaded ({exc}). "
                                  "Train a network or open a model file to read digits.")
        if network is not None:
            self._use_model(network, network.metadata.get("path"),
                            network.metadata.get("history", []),
                            network.metadata.get("config", {}), modified=False)
        else:
            self._update_title()
        self.statusBar().showMessage("Draw a digit on the black square", 5000)

    # ------------------------------------------------------------------ building
    def _build_layout(self):
        self.clear_button = QPushButton("Clear")
        self.clear_button.setObjectName("clearButton")
        self.clear_button.setToolTip("Clear the drawing (Esc, Ctrl+L, or right-click)")
        self.clear_button.clicked.connect(self.canvas.clear)
        hint = QLabel("Right-click or Esc to clear")
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        row = QHBoxLayout()
        row.addWidget(hint, 1)
        row.addWidget(self.clear_button)

        draw = _card("Draw", self.canvas, self.prediction.teach_bar, row, stretch_index=0)
        read = _card("Prediction", self.prediction, stretch_index=0)
        self.model_label = QLabel()
        self.model_label.setObjectName("modelLabel")
        self.model_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.model_label.setWordWrap(True)
        train = _card("Train a network", self.panel, stretch_index=0)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("learningTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.plot, "Accuracy")
        self.tabs.addTab(self.hidden_units, "Hidden units")
        self.tabs.addTab(self.confusion, "Confusion")
        footer = QHBoxLayout()  # the model in use, and what a run trains on
        footer.addWidget(self.model_label, 1)
        footer.addWidget(AugmentStrip(self.panel))
        curves = _card("Learning", self.tabs, footer, stretch_index=0)
        for card in (draw, read, train, curves):
            card.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

        grid = QGridLayout()
        grid.setSpacing(14)
        grid.addWidget(draw, 0, 0)
        grid.addWidget(read, 0, 1)
        grid.addWidget(train, 1, 0)
        grid.addWidget(curves, 1, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 2)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(14, 14, 14, 8)
        layout.setSpacing(10)
        layout.addWidget(self.banner)
        layout.addLayout(grid, 1)
        self.setCentralWidget(central)
        self.resize(1040, 860)

    def _action(self, menu, text, slot, shortcuts=(), tip=None):
        action = QAction(text, self)
        if shortcuts:
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_actions(self):
        menus = self.menuBar()
        file = menus.addMenu("&File")
        self.open_action = self._action(file, "&Open Model…", self.open_model_dialog,
                                        [QKeySequence.StandardKey.Open], "Load a saved model")
        self._action(file, "&Save Model…", self.save_model_dialog,
                     [QKeySequence.StandardKey.Save], "Save the model in use")
        self._action(file, "Use the &Shipped Model", self.use_shipped_model,
                     tip="Go back to the model that comes with nndraw")
        file.addSeparator()
        self.open_run_action = self._action(
            file, "Open &Run…", self.open_run_dialog, ["Ctrl+Shift+O"],
            "Open a saved run: its model, settings and curves")
        self._action(file, "Save R&un…", self.save_run_dialog, ["Ctrl+Shift+S"],
                     "Save the model with its settings, seed and curves (JSON beside it)")
        self._action(file, "&Compare with Run…", self.compare_run_dialog,
                     tip="Overlay another run's accuracy on the plot")
        self._action(file, "C&lear Comparison", lambda: self.plot.set_comparison(None, None))
        file.addSeparator()
        self._action(file, "&Quit", self.close, [QKeySequence.StandardKey.Quit])
        draw = menus.addMenu("&Drawing")
        self.clear_action = self._action(draw, "&Clear", self.canvas.clear, ["Esc", "Ctrl+L"],
                                         "Clear the drawing")
        train = menus.addMenu("&Training")
        self.train_action = self._action(train, "&Train", self.panel.train_button.click,
                                         ["Ctrl+Return", "Ctrl+Enter"], "Train a fresh network")
        self.stop_action = self._action(train, "S&top", self.stop_training, ["Ctrl+."],
                                        "Stop training, keeping what was learned")
        self.stop_action.setEnabled(False)
        self.resume_action = self._action(train, "&Resume Training", self.resume_training,
                                          tip="Continue training the model in use with the "
                                              "panel's settings")
        self.teach_action = self._action(train, "T&each", self.teach,
                                         tip="Fine-tune on your drawings mixed with MNIST")
        self._action(train, "Your &Drawings…", self.show_personal_set)
        help_menu = menus.addMenu("&Help")
        self._action(help_menu, "&About nndraw", self._show_about)

    # ------------------------------------------------------------------ messages
    def show_message(self, text, error=True):
        """Show `text` in the banner and the status bar, without blocking."""
        self.banner.show_message(text, error)
        self.statusBar().showMessage(text, 15000)

    def _show_about(self):
        box = QMessageBox(QMessageBox.Icon.Information, "About nndraw",
                          "<b>nndraw</b><br>Draw a digit and watch a neural network read it; "
                          "train one on MNIST from scratch.<br><br>After Michael Nielsen's "
                          "<i>Neural Networks and Deep Learning</i>.",
                          QMessageBox.StandardButton.Ok, self)
        box.setIconPixmap(app_icon().pixmap(64, 64))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # ------------------------------------------------------------------ the model in use
    def _use_model(self, network, path, history, config, modified, evaluations=None,
                   dataset="mnist"):
        self.predictor = network.copy(device="cpu") if network.device != "cpu" else network
        self.model_path = os.fspath(path) if path else None
        self.history = list(history or [])
        self.model_config = dict(config or {})
        self.evaluations = list(evaluations if evaluations is not None else (
            {**h, "complete": True} for h in self.history if "accuracy" in h))
        self.model_dataset = dataset
        self.model_classes = _classes_of(dataset)
        self._show_weights(*self.predictor.host_parameters())
        self.confusion.clear()
        self._update_title(modified)
        self._predict()

    def _show_weights(self, weights, biases):
        self.hidden_units.set_network_weights(weights[0], biases[0], self.predictor.activation
                                              if len(self.predictor.sizes) > 2 else None)

    def model_name(self):
        if self.model_path:
            return os.path.basename(self.model_path)
        return "untitled network" if self.predictor is not None else "no model"

    def _update_title(self, modified=None):
        if modified is not None:
            self.setWindowModified(modified)
        self.setWindowTitle(f"{self.model_name()}[*] — nndraw")
        if self.predictor is None:
            self.model_label.setText("No model: train one or open a file (Ctrl+O)")
            return
        sizes = " · ".join(str(s) for s in self.predictor.sizes)
        accuracy = ""
        if self.history and "accuracy" in self.history[-1]:
            data = "MNIST" if self.model_dataset == "mnist" else (
                "Fashion-MNIST" if self.model_dataset == "fashion" else "its")
            accuracy = f", {100 * self.history[-1]['accuracy']:.2f}% on the {data} test set"
        self.model_label.setText(f"In use: {self.model_name()} (layers {sizes}{accuracy})")

    def open_model(self, path):
        """Predict with the model at `path`; a clear message (and False) if it cannot be read."""
        if self.is_training():
            self.show_message("Stop the training before opening a model.")
            return False
        try:
            network = load_model(path)
            if network.sizes[0] != 784 or network.sizes[-1] != 10:
                raise NndrawError(f"{path}: this model takes {network.sizes[0]} inputs and "
                                  f"gives {network.sizes[-1]} outputs, not 28x28 digits")
        except NndrawError as exc:
            self.show_message(f"Could not open the model: {exc}")
            return False
        self._use_model(network, path, network.metadata.get("history"),
                        network.metadata.get("config"), modified=False)
        self.banner.hide()
        self.statusBar().showMessage(f"Opened {path}", 5000)
        return True

    def save_model(self, path):
        """Save the model in use to `path`; a clear message (and False) on failure."""
        if self.predictor is None:
            self.show_message("There is no model to save yet.")
            return False
        try:
            save_model(path, self.predictor, history=self.history, config=self.model_config)
        except NndrawError as exc:
            self.show_message(f"Could not save the model: {exc}")
            return False
        self.model_path = os.fspath(path)
        self._update_title(modified=False)
        self.statusBar().showMessage(f"Saved {path}", 5000)
        return True

    def use_shipped_model(self):
        if not self.is_training():
            try:
                network = pretrained()
            except NndrawError as exc:
                self.show_message(str(exc))
                return
            self._use_model(network, network.metadata.get("path"),
                            network.metadata.get("history"), network.metadata.get("config"),
                            modified=False)

    def _folder(self):
        return open_settings().value("folder", os.path.expanduser("~"))

    def open_model_dialog(self):
        path, _ = QFileDialog.getOpenFileName(self, "Open Model", self._folder(), MODEL_FILTER)
        if path:
            open_settings().setValue("folder", os.path.dirname(path))
            self.open_model(path)

    def save_model_dialog(self):
        start = self.model_path or os.path.join(self._folder(), "nndraw-model.npz")
        path, _ = QFileDialog.getSaveFileName(self, "Save Model", start, MODEL_FILTER)
        if path:
            if not os.path.splitext(path)[1]:
                path += ".npz"
            open_settings().setValue("folder", os.path.dirname(path))
            self.save_model(path)

    # ------------------------------------------------------------------ prediction
    def _on_drawing_changed(self, ink):
        self._ink = ink
        self._predict()

    def _predict(self):
        """Read the drawing with the model in use and show the result (and each stage)."""
        stages = mnist_stages(self._ink) if self._ink is not None else None
        image = stages.image if stages is not None else np.zeros((28, 28), np.float32)
        ink = self._ink if self._ink is not None else np.zeros((28, 28), np.float32)
        self.hidden_units.set_input(image)
        if self.predictor is None or not image.any():
            self.prediction.show_prediction(None, image, stages, ink)
            return
        probabilities = self.predictor.predict(image.reshape(1, -1))[0]
        hint = None
        if self.model_classes != self.class_names:
            hint = (f"This model reads {_kind(self.model_classes)}: train it on these "
                    f"{_kind(self.class_names)} first")
        self.prediction.show_prediction(probabilities, image, stages, ink, hint)

    # ------------------------------------------------------------------ training
    def is_training(self):
        return self._thread is not None

    def start_training(self, config, resume=False):
        """Train a fresh network for `config` (a validated TrainConfig) on the worker thread,
        or with `resume`, go on training the model in use from its weights."""
        if self.is_training():
            return
        start, offset = None, 0.0
        if resume:
            if self.predictor is None or tuple(self.predictor.sizes) != tuple(config.sizes) or \
                    any(self.predictor.options[k] != getattr(config, k)
                        for k in ("activation", "output", "cost")):
                self.show_message("To resume, the panel's layers, activation, output and cost "
                                  "must be those of the model in use (open its run to load "
                                  "them).")
                return
            if self.model_classes != self.class_names:
                self.show_message("To resume, choose the data set the model was trained on.")
                return
            start = self.predictor.host_parameters()
            offset = self.evaluations[-1]["epoch"] if self.evaluations else 0.0
        self.plot.clear_run(config.epochs, offset)
        if not resume:
            self.evaluations = []
        self._start_worker("resume" if resume else "train", config, start=start,
                           personal=self._held_out())
        self.statusBar().showMessage(f"Training a {'-'.join(map(str, config.sizes))} network "
                                     f"on the {config.device.upper()}: keep drawing and watch "
                                     "it learn to read your digit")

    def resume_training(self):
        try:
            config = self.panel.config()
        except NndrawError as exc:
            self.panel.show_error(str(exc))
            return
        self.start_training(config, resume=True)

    def teach(self):
        """Fine-tune the model in use on the kept drawings mixed with MNIST, in the worker."""
        if self.is_training():
            return
        if self.personal is None or len(self.personal) == 0:
            self.show_message("Keep a few drawings first: draw, pick the right digit, Keep.")
            return
        if self.predictor is None or self.model_classes != DIGIT_CLASSES or \
                self.predictor.sizes[0] != 784 or self.predictor.sizes[-1] != 10:
            self.show_message("Teaching needs a digits model: use the shipped model or train "
                              "one on MNIST first.")
            return
        taught, held = self.personal.splits()
        config = teach_config(self.predictor, seed=len(self.personal))
        self.plot.clear_run(config.epochs)
        self.evaluations = []
        self._start_worker("teach", config, start=self.predictor.host_parameters(),
                           teach=taught, personal=held if len(held.labels) else None,
                           data=self._mnist_data, folder=None)
        self.statusBar().showMessage(f"Teaching the network your {len(self.personal)} "
                                     "drawings, mixed with MNIST so it keeps what it knew")

    def measure_model(self):
        """Measure the model in use on the whole test set, in the worker, for the confusion
        matrix."""
        if self.is_training() or self.predictor is None:
            return
        self._start_worker("measure", teach_config(self.predictor),
                           start=self.predictor.host_parameters(), evaluate_only=True)

    def _held_out(self):
        """The person's held-out drawings, measured during runs on digits."""
        if self.personal is None or self.class_names != DIGIT_CLASSES:
            return None
        held = self.personal.splits()[1]
        return held if len(held.labels) else None

    def _start_worker(self, mode, config, *, data=..., folder=..., **options):
        self._mode = mode
        self._run_config = config
        self._previous = (self.predictor, self.model_path, self.history, self.model_config,
                          self.isWindowModified(), self.evaluations, self.model_dataset)
        cpu = dataclasses.replace(config, device="cpu")
        self._live = Network(cpu.sizes, **cpu.network_options())
        self._last_evaluation = None
        self.banner.hide()
        self.panel.set_running(True)
        for action, running in ((self.stop_action, True), (self.train_action, False),
                                (self.open_action, False), (self.open_run_action, False),
                                (self.resume_action, False), (self.teach_action, False)):
            action.setEnabled(running)
        self.prediction.teach_button.setEnabled(False)
        self.confusion.evaluate_button.setEnabled(False)
        data = self._data if data is ... else data
        folder = self._dataset[1] if folder is ... else folder
        if data is None:
            self.panel.show_busy("Loading the data…")
        elif mode == "measure":
            self.panel.show_busy("Measuring the model on the test set…")
        self._worker = worker_module.TrainingWorker(config, data, folder=folder,
                                                    evals_per_epoch=self._evals_per_epoch,
                                                    subset=self._subset, **options)
        self._worker.data_loaded.connect(self._on_data_loaded)
        self._worker.progress.connect(self._on_progress)
        self._worker.evaluated.connect(self._on_evaluated)
        self._worker.completed.connect(self._on_completed)
        self._worker.failed.connect(self._on_failed)
        self._thread = worker_module.start(self._worker)
        self._thread.finished.connect(self._on_thread_finished)

    def stop_training(self):
        if self._worker is not None:
            self._worker.stop()
            self.panel.stop_button.setEnabled(False)
            self.panel.show_busy("Stopping…")

    def _on_data_loaded(self, data):
        if self._worker is None:
            return
        if self._worker.folder is None:
            self._mnist_data = data
        if self._worker.folder == self._dataset[1]:
            self._data = data

    def _on_progress(self, progress):
        if self._worker is not None and not self._worker.stopping():
            self.panel.show_progress(progress)

    def _on_evaluated(self, snapshot):
        if self._worker is None:      # a late report from a run already torn down
            return
        evaluation = snapshot.evaluation
        test = self._worker.data[1]
        self.confusion.set_evaluation(test, snapshot.probabilities, snapshot.confusion,
                                      evaluation.epoch + self.plot.offset)
        if self._mode == "measure":
            self.statusBar().showMessage(f"The model in use reads {100 * evaluation.accuracy:.2f}"
                                         f"% of the {evaluation.total:,} test images", 10000)
            return
        self._last_evaluation = evaluation
        self.plot.add(evaluation, snapshot.personal)
        record = {"epoch": self.plot.offset + evaluation.epoch, "accuracy": evaluation.accuracy,
                  "cost": evaluation.cost, "complete": evaluation.complete}
        if snapshot.personal is not None:
            record["personal"] = snapshot.personal
        self.evaluations.append(record)
        self._take_snapshot(snapshot)
        self._show_weights(snapshot.weights, snapshot.biases)
        self._predict()
        mine = (f", {100 * snapshot.personal:.0f}% of your held-out drawings"
                if snapshot.personal is not None else "")
        self.statusBar().showMessage(f"Test accuracy {100 * evaluation.accuracy:.1f}%{mine} "
                                     f"after {evaluation.epoch:.1f} epochs")

    def _take_snapshot(self, snapshot):
        """Predict with the run's latest weights."""
        self._live.set_parameters(snapshot.weights, snapshot.biases)
        self.predictor, self.model_path = self._live, None
        if self._mode in ("resume", "teach"):  # the model line shows the latest accuracy
            self.history = list(self._previous[2]) + list(snapshot.history)
        elif self._mode == "train":
            self.history = snapshot.history
        self.model_config = self._run_config.to_dict()
        if self._mode == "teach":
            self.model_config = self._previous[3] or self.model_config
        else:
            self.model_dataset = self.dataset_name
            self.model_classes = self.class_names
        self._update_title(modified=True)

    def _on_completed(self, snapshot):
        if self._worker is None:
            return
        self._take_snapshot(snapshot)
        self._show_weights(snapshot.weights, snapshot.biases)
        self._predict()
        last = self._last_evaluation
        score = f": {100 * last.accuracy:.2f}% on the test set" if last else ""
        if self._mode == "teach":
            text = f"Taught{score}"
            mine = self.evaluations[-1].get("personal") if self.evaluations else None
            if mine is not None:
                text += f", {100 * mine:.0f}% of your held-out drawings"
        elif snapshot.stopped:
            where = f" at epoch {last.epoch:.1f}" if last else ""
            text = f"Stopped{where}; the network keeps what it learned{score}"
        else:
            text = f"Training finished{score}"
        self.panel.show_done(text, None if snapshot.stopped else 1.0)
        self.statusBar().showMessage(text + " (Ctrl+S saves it)", 15000)

    def _on_failed(self, message):
        if self._worker is None:
            return
        (predictor, path, history, config, modified, evaluations,
         dataset) = self._previous
        self.predictor, self.model_path, self.history, self.model_config = (
            predictor, path, history, config)
        self.evaluations, self.model_dataset = evaluations, dataset
        self.model_classes = _classes_of(dataset)
        self._update_title(modified)
        self._predict()
        self.panel.show_done("Failed")
        self.show_message(f"{message[0].upper()}{message[1:]}. "
                          f"The previous model ({self.model_name()}) is still in use.")

    def _on_thread_finished(self):
        mode = self._mode
        self._thread = self._worker = None
        self._mode = None
        self._live = None if self.predictor is not self._live else self._live
        self.panel.set_running(False)
        if mode == "measure":
            self.panel.show_done("Ready")
        elif self.panel.progress_bar.maximum() == 0:     # stopped before any progress
            self.panel.show_done("Stopped")
        for action, enabled in ((self.stop_action, False), (self.train_action, True),
                                (self.open_action, True), (self.open_run_action, True),
                                (self.resume_action, True), (self.teach_action, True)):
            action.setEnabled(enabled)
        self.prediction.set_personal_count(len(self.personal) if self.personal else 0)
        self.confusion.evaluate_button.setEnabled(True)

    def shutdown_training(self):
        """Stop a run and wait for its thread to end (the worker stops within a mini-batch)."""
        worker, thread = self._worker, self._thread
        if thread is None:
            return
        worker.stop()
        thread.quit()
        thread.wait()
        self._on_thread_finished()

    # ------------------------------------------------------------------ the person's drawings
    def _open_personal_set(self, folder):
        folder = folder or os.environ.get("NNDRAW_DATA_DIR") or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.AppDataLocation)
        try:
            self.personal = PersonalSet(folder)
        except NndrawError as exc:
            self.personal = None
            self.show_message(f"Your kept drawings could not be read ({exc}); keeping new "
                              "drawings is off until the file is fixed or removed.")
        self.prediction.set_personal_count(len(self.personal) if self.personal else 0)
        self.prediction.keep_button.setVisible(self.personal is not None)

    def keep_drawing(self, label):
        """Keep the drawing (as the 28x28 the network sees) as the digit `label`."""
        if self.personal is None or self._ink is None:
            return False
        image = mnist_stages(self._ink).image
        if not image.any():
            return False
        try:
            self.personal.add(image, label)
        except NndrawError as exc:
            self.show_message(f"Could not keep the drawing: {exc}")
            return False
        count = len(self.personal)
        self.prediction.set_personal_count(count)
        if self.is_training():
            self.prediction.teach_button.setEnabled(False)
        self.statusBar().showMessage(f"Kept as a {label}: {count} drawing"
                                     f"{'s' if count != 1 else ''} of yours. Press Teach to "
                                     "teach the network.", 8000)
        self.canvas.clear()
        return True

    def show_personal_set(self):
        if self.personal is None:
            return
        if self._dialog is None:
            self._dialog = PersonalSetDialog(self.personal, self)
            self._dialog.changed.connect(
                lambda: self.prediction.set_personal_count(len(self.personal)))
        self._dialog.refresh()
        self._dialog.show()

    # ------------------------------------------------------------------ data sets
    def _on_dataset_chosen(self, kind, folder):
        self._dataset = (kind, folder)
        self.dataset_name = "mnist" if kind == "mnist" else os.fspath(folder)
        if kind == "fashion":
            self.dataset_name = "fashion"
        self._data = self._mnist_data if kind == "mnist" else None
        self.class_names = _classes_of(self.dataset_name)
        self.prediction.set_class_names(self.class_names)
        self.confusion.clear()
        self.confusion.set_class_names(self.class_names)
        if self.model_classes != self.class_names:
            self.show_message(f"The model in use reads {_kind(self.model_classes)}; its "
                              f"readings of {_kind(self.class_names)} would mean nothing. "
                              "Click Train to teach a network this data set.", error=False)
        else:
            self.banner.hide()
        self._predict()

    # ------------------------------------------------------------------ run files
    def _run_config_of_model(self):
        try:
            return TrainConfig.from_dict(self.model_config).validated()
        except (NndrawError, TypeError, ValueError):
            return teach_config(self.predictor)

    def save_run(self, path):
        """Save the model in use with its settings, seed and curves; False with a message on
        failure."""
        if self.predictor is None:
            self.show_message("There is no model to save yet.")
            return False
        try:
            path = save_run(path, self.predictor, self._run_config_of_model(), self.evaluations,
                            self.model_dataset)
        except NndrawError as exc:
            self.show_message(f"Could not save the run: {exc}")
            return False
        self.model_path = path
        self._update_title(modified=False)
        self.statusBar().showMessage(f"Saved {path} and its settings and curves", 5000)
        return True

    def open_run(self, path):
        """Use the run's model, show its curves and settings, ready to resume."""
        if self.is_training():
            self.show_message("Stop the training before opening a run.")
            return False
        try:
            run = load_run(path)
        except NndrawError as exc:
            self.show_message(f"Could not open the run: {exc}")
            return False
        self._use_model(run.network, run.path, run.network.metadata.get("history"),
                        run.config.to_dict(), modified=False, evaluations=run.evaluations,
                        dataset=run.dataset)
        self.plot.set_curves(run.evaluations)
        self.panel.set_config(run.config)
        self.banner.hide()
        self.statusBar().showMessage(f"Opened {run.path}: Training ▸ Resume continues it", 8000)
        return True

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

    def _run_path(self, title, save=False):
        if save:
            start = os.path.splitext(self.model_path)[0] + ".npz" if self.model_path else \
                os.path.join(self._folder(), "nndraw-run.npz")
            path, _ = QFileDialog.getSaveFileName(self, title, start, RUN_FILTER)
        else:
            path, _ = QFileDialog.getOpenFileName(self, title, self._folder(), RUN_FILTER)
        if path:
            open_settings().setValue("folder", os.path.dirname(path))
        return path

    def open_run_dialog(self):
        path = self._run_path("Open Run")
        if path:
            self.open_run(path)

    def save_run_dialog(self):
        path = self._run_path("Save Run", save=True)
        if path:
            self.save_run(path)

    def compare_run_dialog(self):
        path = self._run_path("Compare with Run")
        if path:
            self.compare_run(path)

    # ------------------------------------------------------------------ settings, closing
    def _restore_settings(self):
        settings = open_settings()
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        values = settings.value("training/config")
        if isinstance(values, str):
            try:
                config = TrainConfig.from_dict(json.loads(values))
                self.panel.set_config(config, settings.value("training/preset"))
            except (NndrawError, ValueError, TypeError):
                pass    # settings from another version: keep the defaults

    def _save_settings(self):
        settings = open_settings()
        settings.setValue("window/geometry", self.saveGeometry())
        try:
            config = self.panel.config()
        except NndrawError:
            config = None   # invalid fields are not remembered
        if config is not None:
            settings.setValue("training/config", json.dumps(config.to_dict()))
            settings.setValue("training/preset", self.panel.preset_name())
        settings.sync()

    def closeEvent(self, event):
        self.shutdown_training()
        if self._dialog is not None:
            self._dialog.close()
        self._save_settings()
        super().closeEvent(event)

    def changeEvent(self, event):
        super().changeEvent(event)
        if event.type() in (event.Type.PaletteChange, event.Type.ApplicationPaletteChange):
            QTimer.singleShot(0, self.plot.apply_palette)
            QTimer.singleShot(0, self.hidden_units.apply_palette)
