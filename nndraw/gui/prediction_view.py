"""What the network reads: the digit in large type, a bar per class, and the 28x28 it sees.

The bars and the small image are painted directly (no child widget per bar) so an update on
every mouse move costs a fraction of a millisecond; colours come from the palette, so the view
follows a light or dark desktop.
"""

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nndraw.gui.images import gray_image
from nndraw.gui.stages_view import StagesStrip

BLANK = "–"


class ProbabilityBars(QWidget):
    """Ten horizontal bars, one per digit, the most probable one in the highlight colour."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("probabilityView")
        self.setAccessibleName("Probability of each digit")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.probabilities = np.zeros(10)
        self.names = tuple(str(d) for d in range(10))
        # Paints its own background (the card's colour), so an update on every mouse move
        # does not repaint the styled card behind it.
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def set_class_names(self, names):
        """Label the bars with `names` (digits by default, clothing for Fashion-MNIST)."""
        self.names = tuple(names)
        self.update()

    def set_probabilities(self, probabilities):
        self.probabilities = np.zeros(10) if probabilities is None else np.asarray(probabilities)
        self.update()

    def sizeHint(self):
        return QSize(260, 10 * 24)

    def minimumSizeHint(self):
        return QSize(160, 10 * 11)

    def paintEvent(self, event):
        painter = QPainter(self)
        palette = self.palette()
        painter.fillRect(event.rect(), palette.color(QPalette.ColorRole.Base))
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = palette.color(QPalette.ColorRole.WindowText)
        faint = QColor(text)
        faint.setAlphaF(0.45)
        track = QColor(text)
        track.setAlphaF(0.08)
        accent = palette.color(QPalette.ColorRole.Highlight)
        other = QColor(accent)
        other.setAlphaF(0.45)
        metrics = painter.fontMetrics()
        label_w = max(metrics.horizontalAdvance(name) for name in self.names) + 10
        value_w = metrics.horizontalAdvance("100%") + 8
        count = len(self.probabilities)
        row = self.height() / max(count, 1)
        bar_h = min(row * 0.55, 12.0)
        shown = self.probabilities.any()
        best = int(self.probabilities.argmax()) if shown else -1
        left, right = label_w, self.width() - value_w
        plain = QFont(painter.font())
        bold = QFont(plain)
        bold.setBold(True)
        right_middle = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        for digit in range(count):
            p = float(self.probabilities[digit])
            y = digit * row
            top = y + (row - bar_h) / 2
            chosen = digit == best
            painter.setFont(bold if chosen else plain)
            painter.setPen(text if chosen else faint)
            name = self.names[digit] if digit < len(self.names) else str(digit)
            painter.drawText(QRectF(0, y, label_w - 6, row), right_middle, name)
            if shown:
                painter.drawText(QRectF(right, y, value_w, row), right_middle, f"{100 * p:.0f}%")
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(track)
            painter.drawRoundedRect(QRectF(left, top, max(right - left, 0), bar_h),
                                    bar_h / 2, bar_h / 2)
            if p >= 0.005:
                painter.setBrush(accent if chosen else other)
                painter.drawRoundedRect(QRectF(left, top, max((right - left) * p, bar_h), bar_h),
                                        bar_h / 2, bar_h / 2)
        painter.end()


class InputPreview(QWidget):
    """The 28x28 image the network is given, magnified with square pixels."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("inputPreview")
        self.setAccessibleName("The 28 by 28 image the network sees")
        self.setToolTip("What the network sees: your drawing cropped, scaled to 20x20 and "
                        "centred by its centre of mass in 28x28, like MNIST")
        self._image = QImage(28, 28, QImage.Format.Format_Grayscale8)
        self._image.fill(0)
        self.setFixedSize(112, 112)

    def set_image(self, image):
        self._image = gray_image(image)
        self.update()

    def paintEvent(self, event):
        painter = QPainter(self)
        painter.drawImage(QRectF(self.rect()), self._image)
        painter.setPen(self.palette().mid().color())
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.end()


class PredictionView(QWidget):
    """The right-hand panel. `show_prediction(probabilities, image, stages, ink)`; None means
    blank. `show_reading(reading, chosen, ink)` shows a number read piece by piece, the chosen
    piece's bars and stages; `choose_piece(i)` follows another piece. Below the bars, the teach
    row: when the network misreads a drawing, the person picks the right digit and keeps it.

    Signals
        keep_requested(int)    keep the drawing as this digit
        teach_requested()      fine-tune the network on the kept drawings
        personal_requested()   review the kept drawings
    """

    keep_requested = Signal(int)
    teach_requested = Signal()
    personal_requested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.names = tuple(str(d) for d in range(10))
        self.reading, self._ink = None, None
        self._label_points = 60
        self.stages = StagesStrip()
        self.label = QLabel(BLANK)
        self.label.setObjectName("predictionLabel")
        self.label.setAccessibleName("Predicted digit")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = QFont(self.font())
        font.setPointSize(60)
        font.setWeight(QFont.Weight.DemiBold)
        self.label.setFont(font)
        self.label.setMinimumWidth(120)
        self.confidence = QLabel("Draw a digit")
        self.confidence.setObjectName("confidenceLabel")
        self.confidence.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.confidence.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.bars = ProbabilityBars()
        self.preview = InputPreview()
        # What changes on every mouse move fills its own background, so Qt need not repaint
        # the card behind it each time.
        for widget in (self.label, self.confidence, self.preview):
            widget.setBackgroundRole(QPalette.ColorRole.Base)
            widget.setAutoFillBackground(True)
        sees = QLabel("what the network sees")
        sees.setForegroundRole(QPalette.ColorRole.PlaceholderText)

        reading = QVBoxLayout()
        reading.setSpacing(0)
        reading.addWidget(self.label)
        reading.addWidget(self.confidence)
        seen = QVBoxLayout()
        seen.setSpacing(4)
        seen.addWidget(self.preview, 0, Qt.AlignmentFlag.AlignHCenter)
        seen.addWidget(sees, 0, Qt.AlignmentFlag.AlignHCenter)
        top = QHBoxLayout()
        top.setSpacing(16)
        top.addLayout(reading, 1)
        top.addLayout(seen)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addWidget(self.stages)
        layout.addWidget(self.bars, 1)
        self.keeping = True
        self.teach_bar = self._teach_bar()

    def _teach_bar(self):
        """The teach row, placed by the window under the canvas, where the drawing is."""
        self.wrong_label = QLabel("Wrong? It's a")
        self.teach_combo = QComboBox()
        self.teach_combo.setObjectName("teachCombo")
        self.teach_combo.setToolTip("The digit you meant")
        self.teach_combo.addItems([str(d) for d in range(10)])
        self.teach_combo.setPlaceholderText("?")  # no digit until the person picks one
        self.teach_combo.setCurrentIndex(-1)
        self.teach_combo.currentIndexChanged.connect(self._update_keep)
        self.keep_button = QToolButton(text="Keep")
        self.keep_button.setObjectName("keepButton")
        self.keep_button.setToolTip("Keep this drawing, as the digit chosen, in your own set")
        self.keep_button.clicked.connect(
            lambda: self.keep_requested.emit(self.teach_combo.currentIndex()))
        self.personal_button = QToolButton(text="Drawings")
        self.personal_button.setObjectName("personalButton")
        self.personal_button.setToolTip("Your kept drawings: review, relabel, delete or "
                                        "export them")
        self.personal_button.clicked.connect(self.personal_requested)
        self.teach_button = QToolButton(text="Teach")
        self.teach_button.setObjectName("teachButton")
        self.teach_button.setToolTip("Fine-tune the network on your drawings mixed with MNIST, "
                                     "so it learns your hand without forgetting the rest")
        self.teach_button.clicked.connect(self.teach_requested)
        for button in (self.keep_button, self.personal_button, self.teach_button):
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setMinimumHeight(26)
        bar = QWidget()
        bar.setObjectName("teachBar")
        row = QHBoxLayout(bar)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        row.addWidget(self.wrong_label)
        row.addWidget(self.teach_combo)
        row.addWidget(self.keep_button)
        row.addStretch(1)
        row.addWidget(self.personal_button)
        row.addWidget(self.teach_button)
        self.set_drawing_present(False)
        return bar

    def set_drawing_present(self, present):
        for widget in (self.teach_combo, self.wrong_label):
            widget.setEnabled(present)
        if not present:
            self.teach_combo.setCurrentIndex(-1)
        self._update_keep()

    def _update_keep(self):
        """Keep only once a digit was picked for a drawing: a hasty Keep stores nothing."""
        self.keep_button.setEnabled(self.teach_combo.isEnabled() and
                                    self.teach_combo.currentIndex() >= 0)

    def set_keeping(self, allowed):
        """Offer Keep only while the person's drawings can be stored."""
        self.keeping = allowed
        self.keep_button.setVisible(allowed and all(len(n) == 1 for n in self.names))

    def set_personal_count(self, count):
        self.personal_button.setText(f"Drawings ({count})")
        self.teach_button.setEnabled(count > 0)

    def set_class_names(self, names):
        """Clothing names for Fashion-MNIST; teaching stays a digits-only affair."""
        self.names = tuple(names)
        self.bars.set_class_names(names)
        digits = all(len(n) == 1 for n in names)
        for widget in (self.wrong_label, self.teach_combo, self.personal_button,
                       self.teach_button):
            widget.setVisible(digits)
        self.keep_button.setVisible(digits and self.keeping)
        self._label_points = 60 if digits else 26
        self._set_label_points(self._label_points)

    def _set_label_points(self, points):
        if self.label.font().pointSize() != points:
            font = QFont(self.label.font())
            font.setPointSize(points)
            self.label.setFont(font)

    def show_prediction(self, probabilities, image, stages=None, ink=None, hint=None):
        """Show the reading; `hint` instead of one when the model does not fit the data."""
        self.reading = None
        self._set_label_points(self._label_points)
        self.preview.set_image(image)
        if ink is not None:
            self.stages.set_stages(ink, stages)
        self.set_drawing_present(probabilities is not None)
        if hint is not None:
            self.bars.set_probabilities(None)
            self.label.setText(BLANK)
            self.confidence.setText(hint)
            return
        self.bars.set_probabilities(probabilities)
        if probabilities is None:
            self.label.setText(BLANK)
            self.confidence.setText("Draw a digit" if len(self.names[0]) == 1 else
                                    "Draw a piece of clothing")
            return
        best = int(np.argmax(probabilities))
        self.label.setText(self.names[best])
        self.confidence.setText(f"{100 * float(probabilities[best]):.0f}% sure")

    def show_reading(self, reading, chosen, ink):
        """Show `reading` (nndraw.reading.Reading, at least one piece): the number in large
        type, '?' where a piece is no digit, and the `chosen` piece's bars, 28x28 and stages.
        A piece that is not a digit is said so plainly, with no bars."""
        self.reading, self._ink = reading, ink
        text = reading.text
        self._set_label_points(max(22, min(60, round(120 / max(len(text), 1)))))
        self.label.setText(text)
        self.set_drawing_present(True)
        self.choose_piece(chosen)

    def choose_piece(self, chosen):
        """Show piece `chosen` of the reading on display: its bars, its 28x28, its stages."""
        if self.reading is None or not 0 <= chosen < len(self.reading.digits):
            return
        self.chosen = chosen
        piece = self.reading.digits[chosen]
        count = len(self.reading.digits)
        self.preview.set_image(piece.image)
        self.stages.set_stages(self._ink, piece.stages)
        where = f"digit {chosen + 1} of {count}: " if count > 1 else ""
        if piece.is_digit:
            self.bars.set_probabilities(piece.probabilities)
            sure = f"{100 * piece.probability:.0f}% sure"
            self.confidence.setText(f"{where}{piece.label}, {sure}" if where else sure)
        else:
            self.bars.set_probabilities(None)
            self.confidence.setText(f"{where}not a digit" if where else "Not a digit")
