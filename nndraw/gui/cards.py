"""Rounded panels ("cards") that group the window's parts, each with a title line."""

from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont, QPainter, QPalette
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget


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


def card(title, *widgets, stretch_index=None):
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


def muted_label(name, text=""):
    """A quiet, wrapping line of text (hints, the model line)."""
    label = QLabel(text)
    label.setObjectName(name)
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    label.setWordWrap(True)
    return label


def two_by_two(top_left, top_right, bottom_left, bottom_right):
    """The window's page: four cards in a grid, the top row taller."""
    grid = QGridLayout()
    grid.setSpacing(14)
    for i, widget in enumerate((top_left, top_right, bottom_left, bottom_right)):
        grid.addWidget(widget, i // 2, i % 2)
    for column in (0, 1):
        grid.setColumnStretch(column, 1)
    grid.setRowStretch(0, 3)
    grid.setRowStretch(1, 2)
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.setContentsMargins(14, 14, 14, 8)
    layout.addLayout(grid, 1)
    return page
