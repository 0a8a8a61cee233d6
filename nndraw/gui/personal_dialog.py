"""Review the person's own drawings: see each with its label, relabel, delete, export.

Works on a data.personal.PersonalSet, which saves each change at once; errors (a full disk,
a read-only folder) show in the dialog, never as a traceback. Each item carries its drawing's
stable id, so a relabel or delete acts on the drawing shown even if another window kept or
deleted drawings since.

Signals
    changed()   the set was edited (the window updates its count)
"""

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from nndraw.data.personal import held_out
from nndraw.errors import NndrawError
from nndraw.gui.images import digit_icon, image_grid


class PersonalSetDialog(QDialog):
    changed = Signal()

    def __init__(self, personal, parent=None):
        super().__init__(parent)
        self.setObjectName("personalDialog")
        self.setWindowTitle("Your drawings")
        self.personal = personal
        self.grid = image_grid(56, 80)
        self.grid.setObjectName("personalGrid")
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.grid.itemSelectionChanged.connect(self._on_selection_changed)
        self.summary = QLabel()
        self.summary.setObjectName("personalSummary")
        self.summary.setWordWrap(True)
        self.summary.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.error = QLabel()
        self.error.setObjectName("personalError")
        self.error.setStyleSheet("color: #d64541;")
        self.error.setWordWrap(True)
        self.error.hide()

        self.label_combo = QComboBox()
        self.label_combo.setObjectName("relabelCombo")
        self.label_combo.addItems([str(d) for d in range(10)])
        self.relabel_button = QPushButton("Relabel")
        self.relabel_button.setObjectName("relabelButton")
        self.relabel_button.clicked.connect(self._on_relabel)
        self.delete_button = QPushButton("Delete")
        self.delete_button.setObjectName("deleteButton")
        self.delete_button.clicked.connect(self._on_delete)
        self.undo_button = QPushButton("Undo Delete")
        self.undo_button.setObjectName("undoButton")
        self.undo_button.setToolTip("Keep the drawings just deleted again")
        self.undo_button.clicked.connect(self._on_undo)
        self.undo_button.hide()
        self._deleted = []      # (image, label) of the last delete, for Undo
        self.export_button = QPushButton("Export…")
        self.export_button.setObjectName("exportButton")
        self.export_button.setToolTip("Write the set as MNIST-style IDX files into a folder")
        self.export_button.clicked.connect(self._on_export_clicked)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)

        tools = QHBoxLayout()
        tools.addWidget(QLabel("Selected:"))
        tools.addWidget(self.label_combo)
        tools.addWidget(self.relabel_button)
        tools.addWidget(self.delete_button)
        tools.addWidget(self.undo_button)
        tools.addStretch(1)
        tools.addWidget(self.export_button)
        tools.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.error)
        layout.addLayout(tools)
        self.resize(560, 420)
        self.refresh()

    def refresh(self, reread=True):
        """Show the set as it is in the database now (other windows may have kept drawings)."""
        if reread:
            try:
                self.personal.reload()
            except NndrawError as exc:
                self.error.setText(str(exc))
                self.error.show()
        self.grid.clear()
        test = held_out(self.personal.ids)
        for i, (image, label) in enumerate(zip(self.personal.images, self.personal.labels)):
            caption = f"{label} · test" if test[i] else str(label)
            item = QListWidgetItem(digit_icon(image, 56), caption)
            item.setData(Qt.ItemDataRole.UserRole, int(self.personal.ids[i]))
            item.setToolTip("Held out: the network is never taught on it; the plot's “your "
                            "drawings” curve is measured on these" if test[i] else
                            "Taught when you press Teach")
            self.grid.addItem(item)
        n, k = len(self.personal), int(test.sum())
        self.summary.setText(f"{n} drawing{'s' if n != 1 else ''} in {self.personal.folder}. "
                             f"{k} held out to measure how well teaching works.")
        self._on_selection_changed()

    def selected(self):
        """The ids of the selected drawings."""
        return sorted(item.data(Qt.ItemDataRole.UserRole) for item in self.grid.selectedItems())

    def _on_selection_changed(self):
        some = bool(self.grid.selectedItems())
        self.relabel_button.setEnabled(some)
        self.delete_button.setEnabled(some)
        self.export_button.setEnabled(len(self.personal) > 0)

    def _edit(self, action):
        try:
            action()
        except (NndrawError, OSError) as exc:
            self.error.setText(f"Not saved: {exc}")
            self.error.show()
            return
        self.error.hide()
        self.refresh(reread=False)     # the change re-read the set already
        self.changed.emit()

    def _on_relabel(self):
        label = self.label_combo.currentIndex()
        chosen = self.selected()
        self._edit(lambda: self.personal.relabel_drawings(chosen, label))

    def _on_delete(self):
        """Delete the selected drawings once the person confirms; Undo keeps them again."""
        chosen = self.selected()
        count = len(chosen)
        answer = QMessageBox.question(
            self, "Delete drawings?", f"Delete {count} drawing{'s' if count != 1 else ''} "
            "from your set? Undo Delete brings them back while this window is open.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return
        rows = np.flatnonzero(np.isin(self.personal.ids, chosen))
        deleted = [(self.personal.images[i].copy(), int(self.personal.labels[i])) for i in rows]
        self._edit(lambda: self.personal.delete_drawings(chosen))
        if self.error.isHidden():
            self._deleted = deleted
            self.undo_button.setText(f"Undo Delete ({count})")
            self.undo_button.show()

    def _on_undo(self):
        """Keep the drawings of the last delete again (as new drawings, at the end)."""
        deleted, self._deleted = self._deleted, []
        self.undo_button.hide()
        self._edit(lambda: [self.personal.add(image / 255.0, label)
                            for image, label in deleted])

    def export(self, folder):
        try:
            self.personal.export(folder)
        except NndrawError as exc:
            self.error.setText(f"Not exported: {exc}")
            self.error.show()
            return False
        self.error.hide()
        self.summary.setText(f"Exported {len(self.personal)} drawings to {folder}")
        return True

    def _on_export_clicked(self):
        folder = QFileDialog.getExistingDirectory(self, "Export your drawings to")
        if folder:
            self.export(folder)
