"""The window: builds the views, keeps the model used for prediction, and wires the training
panel to a TrainingWorker on its own thread.

The window owns a CPU `Network` for prediction (the shipped model at launch). While a run
trains, each evaluation brings host copies of the new weights, which are set on a second CPU
network that then predicts, so the drawing is re-read as the network learns. If the run fails,
the model from before the run is put back.
"""

import dataclasses
import json
import os

import numpy as np
from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QPalette
from PySide6.QtWidgets import (QFileDialog, QFrame, QGridLayout, QHBoxLayout, QLabel,
                               QMainWindow, QMessageBox, QPushButton, QSizePolicy, QVBoxLayout,
                               QWidget)

from nndraw.core.network import Network
from nndraw.data.preprocess import to_mnist
from nndraw.errors import NndrawError
from nndraw.gui import worker as worker_module
from nndraw.gui.canvas import Canvas
from nndraw.gui.icon import app_icon
from nndraw.gui.message_banner import MessageBanner
from nndraw.gui.plots import AccuracyPlot
from nndraw.gui.prediction_view import PredictionView
from nndraw.gui.settings import open_settings
from nndraw.gui.training_panel import TrainingPanel
from nndraw.training.config import TrainConfig
from nndraw.training.model_io import load_model, pretrained, save_model

MODEL_FILTER = "nndraw models (*.npz);;All files (*)"
STYLE = """
QFrame#card { background: palette(base); border: 1px solid palette(midlight);
              border-radius: 10px; }
QFrame#card QLabel#cardTitle { font-weight: 600; }
QFrame#messageBanner { border-radius: 8px; }
"""


def _card(title, *widgets, stretch_index=None):
    """A rounded panel with a title line, holding `widgets` one under the other."""
    frame = QFrame()
    frame.setObjectName("card")
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(14, 10, 14, 12)
    layout.setSpacing(8)
    heading = QLabel(title)
    heading.setObjectName("cardTitle")
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
    `evals_per_epoch`, `subset`: how often, and on how many test images, runs are evaluated."""

    def __init__(self, network=None, *, data=None, evals_per_epoch=10, subset=1000):
        super().__init__()
        self.setWindowIcon(app_icon())
        self.setStyleSheet(STYLE)
        self._data = data
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
        self.panel = TrainingPanel()
        self.plot = AccuracyPlot()
        self.banner = MessageBanner()
        self._build_layout()
        self._build_actions()
        self.statusBar().setSizeGripEnabled(True)

        self.canvas.drawing_changed.connect(self._on_drawing_changed)
        self.panel.train_requested.connect(self.start_training)
        self.panel.stop_requested.connect(self.stop_training)

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

        draw = _card("Draw", self.canvas, row, stretch_index=0)
        read = _card("Prediction", self.prediction, stretch_index=0)
        self.model_label = QLabel()
        self.model_label.setObjectName("modelLabel")
        self.model_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.model_label.setWordWrap(True)
        train = _card("Train a network", self.panel, stretch_index=0)
        curves = _card("Learning", self.plot, self.model_label, stretch_index=0)
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
    def _use_model(self, network, path, history, config, modified):
        self.predictor = network.copy(device="cpu") if network.device != "cpu" else network
        self.model_path = os.fspath(path) if path else None
        self.history = list(history or [])
        self.model_config = dict(config or {})
        self._update_title(modified)
        self._predict()

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
            accuracy = f", {100 * self.history[-1]['accuracy']:.2f}% on the MNIST test set"
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
        """Read the drawing with the model in use and show the result."""
        image = to_mnist(self._ink) if self._ink is not None else np.zeros((28, 28), np.float32)
        if self.predictor is None or not image.any():
            self.prediction.show_prediction(None, image)
            return
        probabilities = self.predictor.predict(image.reshape(1, -1))[0]
        self.prediction.show_prediction(probabilities, image)

    # ------------------------------------------------------------------ training
    def is_training(self):
        return self._thread is not None

    def start_training(self, config):
        """Train a fresh network for `config` (a validated TrainConfig) on the worker thread."""
        if self.is_training():
            return
        self._run_config = config
        self._previous = (self.predictor, self.model_path, self.history, self.model_config,
                          self.isWindowModified())
        cpu = dataclasses.replace(config, device="cpu")
        self._live = Network(cpu.sizes, **cpu.network_options())
        self._last_evaluation = None
        self.banner.hide()
        self.plot.clear_run(config.epochs)
        self.panel.set_running(True)
        self.stop_action.setEnabled(True)
        self.train_action.setEnabled(False)
        self.open_action.setEnabled(False)
        if self._data is None:
            self.panel.show_busy("Loading MNIST…")
        self.statusBar().showMessage(f"Training a {'-'.join(map(str, config.sizes))} network "
                                     f"on the {config.device.upper()}: keep drawing and watch "
                                     "it learn to read your digit")
        self._worker = worker_module.TrainingWorker(config, self._data,
                                                    evals_per_epoch=self._evals_per_epoch,
                                                    subset=self._subset)
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
        self._data = data

    def _on_progress(self, progress):
        if self._worker is not None and not self._worker.stopping():
            self.panel.show_progress(progress)

    def _on_evaluated(self, snapshot):
        if self._worker is None:      # a late report from a run already torn down
            return
        evaluation = snapshot.evaluation
        self._last_evaluation = evaluation
        self.plot.add(evaluation)
        self._live.set_parameters(snapshot.weights, snapshot.biases)
        self.predictor, self.model_path = self._live, None
        self.history = snapshot.history
        self.model_config = self._run_config.to_dict()
        self._update_title(modified=True)
        self._predict()
        self.statusBar().showMessage(f"Test accuracy {100 * evaluation.accuracy:.1f}% after "
                                     f"{evaluation.epoch:.1f} epochs")

    def _on_completed(self, snapshot):
        if self._worker is None:
            return
        self._live.set_parameters(snapshot.weights, snapshot.biases)
        self.predictor, self.model_path = self._live, None
        self.history = snapshot.history
        self.model_config = self._run_config.to_dict()
        self._update_title(modified=True)
        self._predict()
        last = self._last_evaluation
        score = f": {100 * last.accuracy:.2f}% on the test set" if last else ""
        if snapshot.stopped:
            where = f" at epoch {last.epoch:.1f}" if last else ""
            text = f"Stopped{where}; the network keeps what it learned{score}"
        else:
            text = f"Training finished{score}"
        self.panel.show_done(text, None if snapshot.stopped else 1.0)
        self.statusBar().showMessage(text + " (Ctrl+S saves it)", 15000)

    def _on_failed(self, message):
        if self._worker is None:
            return
        predictor, path, history, config, modified = self._previous
        self.predictor, self.model_path, self.history, self.model_config = (
            predictor, path, history, config)
        self._update_title(modified)
        self._predict()
        self.panel.show_done("Failed")
        self.show_message(f"{message[0].upper()}{message[1:]}. "
                          f"The previous model ({self.model_name()}) is still in use.")

    def _on_thread_finished(self):
        self._thread = self._worker = None
        self._live = None if self.predictor is not self._live else self._live
        self.panel.set_running(False)
        if self.panel.progress_bar.maximum() == 0:     # stopped before any progress
            self.panel.show_done("Stopped")
        self.stop_action.setEnabled(False)
        self.train_action.setEnabled(True)
        self.open_action.setEnabled(True)

    def shutdown_training(self):
        """Stop a run and wait for its thread to end (the worker stops within a mini-batch)."""
        worker, thread = self._worker, self._thread
        if thread is None:
            return
        worker.stop()
        thread.quit()
        thread.wait()
        self._on_thread_finished()

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
        self._save_settings()
        super().closeEvent(event)

    def changeEvent(self, event):
        super().changeEvent(event)
        if event.type() in (event.Type.PaletteChange, event.Type.ApplicationPaletteChange):
            QTimer.singleShot(0, self.plot.apply_palette)
