"""The confusion matrix on the test set, and a gallery of the test images behind any cell.

The worker measures the matrix and every test image's probabilities at each evaluation; this
view only paints them. Clicking a cell (true class = row, predicted = column) fills the
gallery with those images, the network's most confident mistake first; clicking an image
shows its probabilities.

Signals (ConfusionMatrix)
    cell_clicked(int, int)   true row, predicted column
"""

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from nndraw.gui.images import digit_icon, image_grid
from nndraw.gui.prediction_view import ProbabilityBars

GALLERY_LIMIT = 200


class ConfusionMatrix(QWidget):
    """A grid of counts, shaded by share of the row; mistakes in orange, hits in blue."""

    cell_clicked = Signal(int, int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("confusionMatrix")
        self.setAccessibleName("Confusion matrix: true class by row, prediction by column")
        self.setToolTip("Rows: the true class. Columns: what the network read. "
                        "Click a cell to see its test images.")
        self.setMinimumSize(180, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.counts = None
        self.names = tuple(str(d) for d in range(10))
        self.selected = None

    def set_counts(self, counts, names=None):
        self.counts = None if counts is None else np.asarray(counts)
        if names is not None:
            self.names = tuple(names)
        self.update()

    def sizeHint(self):
        return QSize(280, 280)

    def _geometry(self):
        """(left, top, cell) of the grid, leaving room for the axis titles and labels."""
        n = len(self.names)
        margin = 2 * self.fontMetrics().height() + 8
        cell = max(4.0, min(self.width() - margin, self.height() - margin) / n)
        return margin, margin, cell

    def count_font(self, cell):
        """The largest font, up to the widget's own, in which every count fits its cell."""
        font = QFont(self.font())
        widest = str(int(self.counts.max())) if self.counts is not None and self.counts.size \
            else "0"
        size = font.pointSizeF()
        while size > 5.0:
            font.setPointSizeF(size)
            if QFontMetricsF(font).horizontalAdvance(widest) <= cell * 0.86:
                break
            size -= 0.5
        return font

    def cell_rect(self, row, col):
        left, top, cell = self._geometry()
        return QRectF(left + col * cell, top + row * cell, cell, cell)

    def mousePressEvent(self, event):
        left, top, cell = self._geometry()
        col = int((event.position().x() - left) // cell)
        row = int((event.position().y() - top) // cell)
        n = len(self.names)
        if self.counts is not None and 0 <= row < n and 0 <= col < n:
            self.selected = (row, col)
            self.update()
            self.cell_clicked.emit(row, col)

    def paintEvent(self, event):
        painter = QPainter(self)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.Text)
        faint = palette.color(QPalette.ColorRole.PlaceholderText)
        left, top, cell = self._geometry()
        n = len(self.names)
        small = self.count_font(cell)
        painter.setFont(small)
        fits = QFontMetricsF(small).height() <= cell
        centre = Qt.AlignmentFlag.AlignCenter
        counts = self.counts
        totals = counts.sum(axis=1, keepdims=True).clip(min=1) if counts is not None else None
        hit, miss = QColor(46, 134, 222), QColor(230, 126, 34)
        for r in range(n):
            for c in range(n):
                rect = self.cell_rect(r, c)
                shade = QColor(text)
                shade.setAlphaF(0.04)
                if counts is not None and counts[r, c]:
                    share = counts[r, c] / totals[r, 0]
                    shade = QColor(hit if r == c else miss)
                    shade.setAlphaF(float(min(1.0, 0.15 + (share if r == c else 6 * share))))
                painter.fillRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), shade)
                if counts is not None and counts[r, c] and fits:
                    painter.setPen(text)
                    painter.drawText(rect, centre, str(int(counts[r, c])))
        if self.selected is not None:
            painter.setPen(palette.color(QPalette.ColorRole.Highlight))
            painter.drawRect(self.cell_rect(*self.selected).adjusted(0, 0, -1, -1))
        painter.setPen(faint)
        painter.setFont(self.font())
        line = self.fontMetrics().height()
        for i, name in enumerate(self.names):
            label = name if len(name) <= 2 else name[:2]
            painter.drawText(QRectF(left + i * cell, line, cell, top - line - 2), centre, label)
            painter.drawText(QRectF(line, top + i * cell, left - line - 4, cell),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
        # Axis titles: what the network read across the top, the true class down the side.
        painter.drawText(QRectF(left, 0, n * cell, line), centre, "predicted")
        painter.save()
        painter.translate(0, top + n * cell)
        painter.rotate(-90)
        painter.drawText(QRectF(0, 0, n * cell, line), centre, "true")
        painter.restore()
        painter.end()


def cell_members(labels, probabilities, row, col):
    """Indices of the test images of true class `row` read as `col`, most confident first
    (for a mistake: the largest mistake first)."""
    predicted = probabilities.argmax(axis=1)
    members = np.flatnonzero((labels[:len(predicted)] == row) & (predicted == col))
    return members[np.argsort(-probabilities[members, col], kind="stable")]


class ConfusionPanel(QWidget):
    """The matrix, the gallery of one cell, and the probabilities of one gallery image."""

    evaluate_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.matrix = ConfusionMatrix()
        self.matrix.cell_clicked.connect(self._on_cell_clicked)
        self.gallery = image_grid(40, 46)
        self.gallery.setObjectName("confusionGallery")
        self.gallery.setUniformItemSizes(True)
        self.gallery.currentRowChanged.connect(self._on_image_chosen)
        self.title = QLabel("Click a cell to see its test images")
        self.title.setObjectName("galleryTitle")
        self.title.setWordWrap(True)
        self.bars = ProbabilityBars()
        self.bars.setObjectName("galleryProbabilities")
        self.bars.setMinimumHeight(100)
        self.note = QLabel()
        self.note.setObjectName("confusionNote")
        self.note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.note.setWordWrap(True)
        self.evaluate_button = QPushButton("Measure the model in use")
        self.evaluate_button.setObjectName("evaluateButton")
        self.evaluate_button.setToolTip("Read the whole test set with the model in use and "
                                        "fill the matrix (in the background)")
        self.evaluate_button.clicked.connect(self.evaluate_requested)

        left = QVBoxLayout()
        left.setSpacing(4)
        left.addWidget(self.matrix, 1)
        left.addWidget(self.note)
        left.addWidget(self.evaluate_button)
        right = QVBoxLayout()
        right.setSpacing(4)
        right.addWidget(self.title)
        right.addWidget(self.gallery, 3)
        right.addWidget(self.bars, 2)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addLayout(left, 1)
        layout.addLayout(right, 1)
        self.test = self.probabilities = None
        self.members = np.zeros(0, np.int64)
        self.names = tuple(str(d) for d in range(10))
        self.clear()

    def clear(self):
        self.test = self.probabilities = None
        self.matrix.set_counts(None)
        self.matrix.selected = None
        self.gallery.clear()
        self.bars.set_probabilities(None)
        self.note.setText("No evaluation yet: train, or measure the model in use.")

    def set_class_names(self, names):
        self.names = tuple(names)
        self.matrix.set_counts(self.matrix.counts, names)
        self.bars.set_class_names(names)

    def set_evaluation(self, test, evaluation, confusion):
        """`test`: the Split measured; `evaluation`: its Evaluation record (probabilities
        for each of its images); `confusion`: the counts."""
        self.test, self.probabilities = test, evaluation.probabilities
        self.matrix.set_counts(confusion, self.names)
        when = f" at epoch {evaluation.epoch:.1f}" if evaluation.epoch else ""
        self.note.setText(f"{evaluation.correct:,} of {evaluation.total:,} test images right "
                          f"({evaluation.percent()}){when}")
        if self.matrix.selected is not None:
            self.show_cell(*self.matrix.selected, keep_selection=True)

    def _on_cell_clicked(self, row, col):
        self.show_cell(row, col)

    def show_cell(self, row, col, keep_selection=False):
        if self.probabilities is None:
            return
        chosen = self.gallery.currentRow() if keep_selection else -1
        self.members = cell_members(self.test.labels, self.probabilities, row, col)
        shown = self.members[:GALLERY_LIMIT]
        self.gallery.setUpdatesEnabled(False)
        self.gallery.blockSignals(True)
        self.gallery.clear()
        for index in shown:
            p = float(self.probabilities[index, col])
            item = QListWidgetItem(digit_icon(self.test.images[index], 56), "")
            item.setToolTip(f"test image {index}: read as {self.names[col]} ({100 * p:.0f}%)")
            item.setData(Qt.ItemDataRole.UserRole, int(index))
            self.gallery.addItem(item)
        self.gallery.blockSignals(False)
        self.gallery.setUpdatesEnabled(True)
        true, read = self.names[row], self.names[col]
        kind = "read correctly" if row == col else f"read as {read}"
        more = f", the first {GALLERY_LIMIT} shown" if len(self.members) > GALLERY_LIMIT else ""
        order = "most confident first" if row == col else "largest mistake first"
        count = len(self.members)
        self.title.setText(f"{count} test image{'s' if count != 1 else ''} of {true} {kind} "
                           f"({order}{more})")
        if 0 <= chosen < self.gallery.count():
            self.gallery.setCurrentRow(chosen)
        else:
            self.bars.set_probabilities(None)

    def _on_image_chosen(self, row):
        if row < 0 or self.probabilities is None:
            self.bars.set_probabilities(None)
            return
        index = self.gallery.item(row).data(Qt.ItemDataRole.UserRole)
        self.bars.set_probabilities(self.probabilities[index])
