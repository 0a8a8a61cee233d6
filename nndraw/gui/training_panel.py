"""The hyperparameters of a run, the device, Train / Stop and the progress of the run.

The panel only *asks* for a run: it turns its fields into a validated TrainConfig and emits
it, or shows the reason (TrainConfig.validated's ConfigError) inline and starts nothing.

Signals
    train_requested(object)  a validated TrainConfig
    stop_requested()
    dataset_chosen(object)   a DataSource the person picked (the window checks it, then calls
                             show_dataset with what is in use)
    augmentation_changed(object)  the Augment the fields now describe
    running_changed(bool)    a run started (True) or ended (False)
"""

import dataclasses
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from nndraw.core.backend import gpu_unavailable_reason
from nndraw.core.functions import ACTIVATIONS, COSTS, OUTPUTS
from nndraw.data.augment import parse_augment
from nndraw.data.datasets import FASHION_DIR, DataSource
from nndraw.errors import ConfigError
from nndraw.training.config import PRESETS
from nndraw.training.estimate import seconds_per_epoch

PRESET_TITLES = {"default": "Default (ReLU, best in minutes)", "nielsen": "Nielsen, chapter 1",
                 "robust": "Robust (99 %, minutes)"}


def augment_text(augment):
    """The Augment field's text for strengths (affine, elastic, pen)."""
    settings = parse_augment(augment)
    if not settings.active:
        return "off"
    return ", ".join(f"{k}={v:g}" for k, v in zip(("affine", "elastic", "pen"),
                                                    settings.as_tuple()) if v)
CUSTOM = "custom"   # the preset box's entry once a field no longer matches a preset
INPUTS, CLASSES = 784, 10


def _duration(seconds):
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes} min {seconds:02d} s"


class TrainingPanel(QWidget):
    """Fields for every setting of a run (the `default` preset to begin with)."""

    train_requested = Signal(object)
    stop_requested = Signal()
    dataset_chosen = Signal(object)
    augmentation_changed = Signal(object)
    running_changed = Signal(bool)

    def __init__(self, parent=None, fashion_dir=FASHION_DIR):
        super().__init__(parent)
        self.fashion_dir = Path(fashion_dir)
        self.source = DataSource.mnist()
        self._base = PRESETS["default"]     # the preset's settings the panel has no field for
        self._build_fields()
        self._build_status()
        self._build_layout()
        self.set_config(PRESETS["default"], "default")
        self.preset_combo.activated.connect(self._on_preset_chosen)
        self.train_button.clicked.connect(self._on_train_clicked)
        self.stop_button.clicked.connect(self.stop_requested)

    def _build_fields(self):
        self.dataset_combo = self._combo("datasetCombo", {"mnist": "MNIST digits (bundled)",
                                                          "fashion": "Fashion-MNIST",
                                                          "folder": "IDX folder…"})
        self._set_fashion_state()
        self.dataset_combo.activated.connect(self._on_dataset_activated)
        self.preset_combo = self._combo("presetCombo", {
            **{k: PRESET_TITLES.get(k, k) for k in PRESETS}, CUSTOM: "Custom"})
        self.hidden_edit = self._line("hiddenEdit", "e.g. 256 or 100, 30",
                                      "Widths of the hidden layers, separated by commas; "
                                      "784 inputs and 10 outputs are added")
        self.activation_combo = self._combo("activationCombo", {k: k for k in ACTIVATIONS})
        self.output_combo = self._combo("outputCombo", {k: k for k in OUTPUTS})
        self.cost_combo = self._combo("costCombo", {k: k for k in COSTS})
        self.eta_edit = self._line("etaEdit", "learning rate", "Learning rate η")
        self.batch_spin = self._spin("batchSpin", 1, 60000, "Examples per mini-batch")
        self.epochs_spin = self._spin("epochsSpin", 1, 1000, "Passes over the training set")
        self.lmbda_edit = self._line("lmbdaEdit", "0 for none", "L2 regularisation λ")
        self.momentum_edit = self._line("momentumEdit", "0 to below 1", "Momentum, 0 for none")
        self.device_combo = self._combo("deviceCombo", {"cpu": "CPU", "gpu": "GPU (CUDA)"})
        self._set_gpu_state(gpu_unavailable_reason())
        for combo in (self.activation_combo, self.output_combo, self.cost_combo,
                      self.device_combo):
            combo.activated.connect(lambda _index: self._on_edited())
        for spin in (self.batch_spin, self.epochs_spin):
            spin.valueChanged.connect(lambda _value: self._on_edited())
        self.augment_edit = self._line(
            "augmentEdit", "off, on, or affine=1, elastic=0.5, pen=0.5",
            "Distort every training image afresh in every mini-batch: affine (turn up to 20°, "
            "slant 0.5, scale 0.8–1.2, shift 3 px at 1), elastic (Simard's wobble), pen "
            "(thinner or thicker strokes); 0 is off, 1 full strength")
        self.dropout_edit = self._line("dropoutEdit", "none, 0.5, or 0.2, 0.5",
                                       "Dropout rate for every hidden layer, one per hidden "
                                       "layer, or the input's first")
        self.augment_edit.textEdited.connect(self._on_augment_edited)
        self._estimates = {}
        self.epochs_spin.valueChanged.connect(self.show_ready)
        for edit in (self.hidden_edit, self.augment_edit, self.dropout_edit):
            edit.editingFinished.connect(self.show_ready)
        self.batch_spin.editingFinished.connect(self.show_ready)

    def _build_status(self):
        self.error_label = QLabel()
        self.error_label.setObjectName("configError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #d64541;")
        self.error_label.hide()
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("progressBar")
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setValue(0)
        self.progress_bar.setTextVisible(True)
        self.progress_bar.setFormat("Ready")
        self.train_button = QPushButton("Train")
        self.train_button.setObjectName("trainButton")
        self.train_button.setToolTip("Train a fresh network on the chosen data (Ctrl+Return)")
        self.train_button.setDefault(True)
        self.stop_button = QPushButton("Stop")
        self.stop_button.setObjectName("stopButton")
        self.stop_button.setToolTip("Stop after the current mini-batch, keeping what was "
                                    "learned (Ctrl+.)")
        self.stop_button.setEnabled(False)
        for button in (self.train_button, self.stop_button):
            button.setMinimumHeight(32)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.data_label = QLabel()
        self.data_label.setObjectName("dataLabel")
        self.data_label.setWordWrap(True)
        self.data_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)

    def _build_layout(self):
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setHorizontalSpacing(10)
        form.setVerticalSpacing(6)
        data_row = QWidget()
        data_layout = QHBoxLayout(data_row)
        data_layout.setContentsMargins(0, 0, 0, 0)
        data_layout.setSpacing(8)
        data_layout.addWidget(self.dataset_combo, 1)
        data_layout.addWidget(self.data_label, 1)
        form.addRow("Data", data_row)
        form.addRow("Preset", self.preset_combo)
        form.addRow("Hidden layers", self._pair(self.hidden_edit, "Dropout", self.dropout_edit))
        form.addRow("Activation", self._pair(self.activation_combo, "Output", self.output_combo))
        form.addRow("Cost", self._pair(self.cost_combo, "Augment", self.augment_edit))
        form.addRow("Learning rate η", self._pair(self.eta_edit, "Batch", self.batch_spin))
        form.addRow("Epochs", self._pair(self.epochs_spin, "L2 λ", self.lmbda_edit))
        form.addRow("Momentum", self._pair(self.momentum_edit, "Device", self.device_combo))
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        buttons.addWidget(self.train_button)
        buttons.addWidget(self.stop_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addStretch(1)
        layout.addWidget(self.progress_bar)
        layout.addLayout(buttons)

    # ------------------------------------------------------------------ building
    def _combo(self, name, items):
        combo = QComboBox()
        combo.setObjectName(name)
        for key, title in items.items():
            combo.addItem(title, key)
        return combo

    def _line(self, name, placeholder, tip):
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setPlaceholderText(placeholder)
        edit.setToolTip(tip)
        edit.textEdited.connect(lambda _text: self._on_edited())
        return edit

    def _spin(self, name, low, high, tip):
        spin = QSpinBox()
        spin.setObjectName(name)
        spin.setRange(low, high)
        spin.setToolTip(tip)
        spin.setAccelerated(True)
        return spin

    @staticmethod
    def _pair(first, label, second):
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(first, 1)
        caption = QLabel(label)
        caption.setForegroundRole(QPalette.ColorRole.WindowText)
        layout.addWidget(caption)
        layout.addWidget(second, 1)
        return row

    def _set_fashion_state(self):
        item = self.dataset_combo.model().item(1)
        if self.fashion_dir.is_dir():
            item.setEnabled(True)
            item.setToolTip(f"Zalando's clothing images, from {self.fashion_dir}")
        else:
            item.setEnabled(False)
            item.setToolTip(f"Not installed: {self.fashion_dir} is missing (Debian: apt install "
                            "dataset-fashion-mnist), or pick its folder with “IDX folder…”")
        self.dataset_combo.model().item(2).setToolTip(
            "Any folder holding train-images, train-labels, t10k-images and t10k-labels IDX "
            "files (gzipped or not)")

    def show_dataset(self, source):
        """Show `source` as the data set training uses (emits nothing)."""
        self.source = source
        index = self.dataset_combo.findData(source.kind)
        self.dataset_combo.setCurrentIndex(index)
        if source.kind == "folder":
            self.dataset_combo.setItemText(index, f"Folder: {source.name}")
            self.dataset_combo.setToolTip(str(source.folder))
        else:
            self.dataset_combo.setToolTip("")
        self.data_label.setText({"mnist": "60,000 training and 10,000 test digits",
                                 "fashion": "60,000 training and 10,000 test images"}.get(
                                     source.kind, "checked; loaded when training starts"))
        kind = "a network" if source.reads_digits else f"a network on {source.name}"
        self.train_button.setToolTip(f"Train {kind} from scratch (Ctrl+Return)")

    def set_dataset(self, kind, folder=None):
        """Ask for a data set: "mnist", "fashion" (self.fashion_dir) or "folder"."""
        source = {"mnist": DataSource.mnist, "fashion": lambda: DataSource.fashion(
            self.fashion_dir)}.get(kind, lambda: DataSource("folder", str(folder)))()
        self.dataset_chosen.emit(source)

    def _on_dataset_activated(self, index):
        kind = self.dataset_combo.itemData(index)
        if kind != "folder":
            self.set_dataset(kind)
            return
        folder = QFileDialog.getExistingDirectory(self, "Folder of IDX files",
                                                  str(self.source.folder or Path.home()))
        if folder:
            self.set_dataset("folder", folder)
        else:   # cancelled: show the data set still in use
            self.show_dataset(self.source)

    def _set_gpu_state(self, reason):
        item = self.device_combo.model().item(1)
        if reason is None:
            item.setEnabled(True)
            item.setToolTip("Train on the GPU with cupy")
            self.device_combo.setToolTip("Where the training runs")
        else:
            item.setEnabled(False)
            item.setToolTip(f"GPU unavailable: {reason}")
            self.device_combo.setToolTip(f"GPU unavailable: {reason}")
            self.device_combo.setCurrentIndex(0)

    # ------------------------------------------------------------------ settings
    @staticmethod
    def _select(combo, key):
        index = combo.findData(key)
        if index >= 0 and combo.model().item(index).isEnabled():
            combo.setCurrentIndex(index)

    def set_config(self, config, preset_name=None):
        """Show `config` in the fields (and remember its settings that have no field). The
        preset box names the preset it matches, or says Custom."""
        self._base = config
        self.hidden_edit.setText(", ".join(str(s) for s in tuple(config.sizes)[1:-1]))
        self._select(self.activation_combo, config.activation)
        self._select(self.output_combo, config.output)
        self._select(self.cost_combo, config.cost)
        self.eta_edit.setText(f"{config.eta:g}")
        self.batch_spin.setValue(int(config.mini_batch_size))
        self.epochs_spin.setValue(int(config.epochs))
        self.lmbda_edit.setText(f"{config.lmbda:g}")
        self.momentum_edit.setText(f"{config.momentum:g}")
        self._select(self.device_combo, config.device)
        self.augment_edit.setText(augment_text(config.augment))
        self.dropout_edit.setText(", ".join(f"{r:g}" for r in config.dropout))
        self._on_edited(preset_name)
        self._on_augment_edited()
        self.show_ready()

    def preset_name(self):
        return self.preset_combo.currentData()

    def _matching_preset(self, preferred=None):
        """The preset whose settings the fields show (`preferred` first), or CUSTOM."""
        try:
            config = dataclasses.replace(self.config(), device="cpu")
        except ConfigError:
            return CUSTOM
        for name in ([preferred] if preferred in PRESETS else []) + list(PRESETS):
            if dataclasses.replace(PRESETS[name].validated(), device="cpu",
                                   seed=config.seed) == config:
                return name
        return CUSTOM

    def config(self):
        """The validated TrainConfig the fields describe; ConfigError with the reason if not."""
        text = self.hidden_edit.text().replace(";", ",").strip().strip(",")
        hidden = []
        for part in (p.strip() for p in text.split(",")) if text else ():
            if not part.isdigit() or int(part) < 1:
                raise ConfigError(f"hidden layer sizes must be positive whole numbers "
                                  f"separated by commas, not {self.hidden_edit.text()!r}")
            hidden.append(int(part))
        config = dataclasses.replace(
            self._base, sizes=(INPUTS, *hidden, CLASSES),
            activation=self.activation_combo.currentData(),
            output=self.output_combo.currentData(), cost=self.cost_combo.currentData(),
            eta=self._number(self.eta_edit, "the learning rate η"),
            mini_batch_size=self.batch_spin.value(), epochs=self.epochs_spin.value(),
            lmbda=self._number(self.lmbda_edit, "L2 λ"),
            momentum=self._number(self.momentum_edit, "momentum"),
            device=self.device_combo.currentData(), augment=self.augment_edit.text(),
            dropout=self.dropout_edit.text().replace(";", ",").strip() or ())
        return config.validated()

    def augmentation(self):
        """The Augment the field describes (off while its text is not valid)."""
        try:
            return parse_augment(self.augment_edit.text())
        except ConfigError:
            return parse_augment(None)

    def estimated_seconds(self):
        """The run's estimated time on this machine's CPU, or None (GPU, or bad settings)."""
        try:
            config = self.config()
        except ConfigError:
            return None
        if config.device != "cpu":
            return None
        key = (config.sizes, config.mini_batch_size, config.augment, config.dropout,
               config.activation, config.output, config.cost, config.dtype)
        if key not in self._estimates:
            self._estimates[key] = seconds_per_epoch(config)
        per_epoch = self._estimates[key]
        return None if per_epoch is None else per_epoch * config.epochs

    @staticmethod
    def _number(edit, name):
        text = edit.text().strip()
        try:
            return float(text)
        except ValueError:
            raise ConfigError(f"{name} must be a number, not {text!r}") from None

    # ------------------------------------------------------------------ running
    def set_running(self, running):
        self.train_button.setEnabled(not running)
        self.stop_button.setEnabled(running)
        for widget in (self.dataset_combo, self.preset_combo, self.hidden_edit,
                       self.activation_combo, self.output_combo, self.cost_combo, self.eta_edit,
                       self.batch_spin, self.epochs_spin, self.lmbda_edit, self.momentum_edit,
                       self.device_combo, self.augment_edit, self.dropout_edit):
            widget.setEnabled(not running)
        self.running_changed.emit(running)
        if running:
            self.progress_bar.setRange(0, 0)        # busy until the first progress report
            self.progress_bar.setFormat("Starting…")

    def show_busy(self, text):
        self.progress_bar.setRange(0, 0)
        self.progress_bar.setFormat(text)

    def show_progress(self, progress):
        """A trainer.Progress: the epoch under way of the timeline's plan, and time left."""
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setValue(int(1000 * progress.fraction))
        left = progress.remaining
        eta = f" · about {_duration(left)} left" if left is not None else ""
        self.progress_bar.setFormat(f"Epoch {progress.epoch} of {progress.epochs}{eta}")

    def show_done(self, text, fraction=None):
        self.progress_bar.setRange(0, 1000)
        if fraction is not None:
            self.progress_bar.setValue(int(1000 * fraction))
        self.progress_bar.setFormat(text)

    def show_error(self, message):
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))

    # ------------------------------------------------------------------ slots
    def _on_preset_chosen(self, _index):
        name = self.preset_name()
        if name == CUSTOM:      # nothing to load: Custom is whatever the fields say
            return
        device = self.device_combo.currentData()
        self.set_config(dataclasses.replace(PRESETS[name], device=device), name)

    def _on_edited(self, preferred=None):
        self.show_error("")
        name = self._matching_preset(preferred or self.preset_name())
        self.preset_combo.setCurrentIndex(self.preset_combo.findData(name))

    def _on_augment_edited(self, _text=None):
        self.augmentation_changed.emit(self.augmentation())

    def show_ready(self, _value=None):
        """'Ready' with the run's time on this machine in the idle progress bar."""
        if self.stop_button.isEnabled():    # running: the bar shows the run's progress
            return
        seconds = self.estimated_seconds()
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setValue(0)
        if seconds is None:
            self.progress_bar.setFormat("Ready")
            return
        per_epoch = seconds / self.epochs_spin.value()
        self.progress_bar.setFormat(f"Ready · about {_duration(seconds)} here "
                                    f"({per_epoch:.1f} s per epoch, timed)")

    def _on_train_clicked(self):
        try:
            config = self.config()
        except ConfigError as exc:
            self.show_error(str(exc))
            return
        self.show_error("")
        self.train_requested.emit(config)
