"""What the network reads: the digit in large type, a bar per class, and the 28x28 it sees.

The bars and the small image are painted directly (no child widget per bar) so an update on
every mouse move costs a fraction of a millisecond; colours come from the palette, so the view
follows a light or dark desktop.
"""

import numpy as np
from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

BLANK = "–"


class ProbabilityBars(QWidget):
    """Ten horizontal bars, one per digit, the most probable one in the highlight colour."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("probabilityView")
        self.setAccessibleName("Probability of each digit")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.probabilities = np.zeros(10)

    def set_probabilities(self, probabilities):
        self.probabilities = np.zeros(10) if probabilities is None else np.asarray(probabilities)
        self.update()

    def sizeHint(self):
        return QSize(260, 10 * 24)

    def minimumSizeHint(self):
        return QSize(160, 10 * 14)

    def paintEvent(self, event):
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        faint = QColor(text)
        faint.setAlphaF(0.45)
        track = QColor(text)
        track.setAlphaF(0.08)
        accent = palette.color(QPalette.ColorRole.Highlight)
        other = QColor(accent)
        other.setAlphaF(0.45)
        metrics = painter.fontMetrics()
        label_w = metrics.horizontalAdvance("0") + 10
        value_w = metrics.horizontalAdvance("100%") + 8
        count = len(self.probabilities)
        row = self.height() / max(count, 1)
        bar_h = min(row * 0.55, 12.0)
        best = int(self.probabilities.argmax()) if self.probabilities.any() else -1
        left, right = label_w, self.width() - value_w
        for digit in range(count):
            p = float(self.probabilities[digit])
            y = digit * row
            centre = y + row / 2
            bold = QFont(painter.font())
            bold.setBold(digit == best)
            painter.setFont(bold)
            painter.setPen(text if digit == best else faint)
            right_middle = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            painter.drawText(QRectF(0, y, label_w - 6, row), right_middle, str(digit))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(track)
            bar = QRectF(left, centre - bar_h / 2, max(right - left, 0), bar_h)
            painter.drawRoundedRect(bar, bar_h / 2, bar_h / 2)
            if p >= 0.005:
                painter.setBrush(accent if digit == best else other)
                filled = QRectF(bar.x(), bar.y(), max(bar.width() * p, bar_h), bar_h)
                painter.drawRoundedRect(filled, bar_h / 2, bar_h / 2)
            painter.setPen(text if digit == best else faint)
            painter.drawText(QRectF(right, y, value_w, row), right_middle,
                             f"{100 * p:.0f}%" if self.probabilities.any() else "")
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
        level = np.ascontiguousarray(np.clip(np.asarray(image) * 255, 0, 255).astype(np.uint8))
        h, w = level.shape
        self._image = QImage(level.tobytes(), w, h, w, QImage.Format.Format_Grayscale8).copy()
        self.update()

    def paintEvent(self, event):
        painter = QPainter(self)
        painter.drawImage(QRectF(self.rect()), self._image)
        painter.setPen(self.palette().mid().color())
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.end()


class PredictionView(QWidget):
    """The right-hand panel. `show_prediction(probabilities, image)`; None means blank."""

    def __init__(self, parent=None):
        super().__init__(parent)
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
        layout.addWidget(self.bars, 1)

    def show_prediction(self, probabilities, image):
        self.preview.set_image(image)
        self.bars.set_probabilities(probabilities)
        if probabilities is None:
            self.label.setText(BLANK)
            self.confidence.setText("Draw a digit")
            return
        digit = int(np.argmax(probabilities))
        self.label.setText(str(digit))
        self.confidence.setText(f"{100 * float(probabilities[digit]):.0f}% sure")
