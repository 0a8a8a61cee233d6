"""Real mouse strokes for the canvas, in the board's own fractions of its side."""

import math

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

LEFT, NONE = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
PRESS, MOVE, RELEASE = (QMouseEvent.Type.MouseButtonPress, QMouseEvent.Type.MouseMove,
                        QMouseEvent.Type.MouseButtonRelease)


def send(widget, kind, pos, button, buttons):
    """Deliver a mouse event as Qt would (QTest.mouseMove cannot hold a button down)."""
    point = QPointF(pos)
    event = QMouseEvent(kind, point, widget.mapToGlobal(point), button, buttons,
                        Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def draw(widget, points):
    """Press, drag through `points` (widget coordinates) and release the left button."""
    send(widget, PRESS, points[0], LEFT, LEFT)
    for p in points[1:]:
        send(widget, MOVE, p, NONE, LEFT)
    send(widget, RELEASE, points[-1], LEFT, NONE)


def board_point(canvas, fx, fy):
    """The widget point at fractions (fx, fy) of the square drawing board."""
    side = min(canvas.width(), canvas.height())
    ox, oy = (canvas.width() - side) / 2, (canvas.height() - side) / 2
    return QPoint(round(ox + fx * side), round(oy + fy * side))


def vertical_line(canvas, steps=30):
    return [board_point(canvas, 0.5, 0.2 + 0.6 * i / steps) for i in range(steps + 1)]


def circle(canvas, steps=60):
    return [board_point(canvas, 0.5 + 0.22 * math.sin(2 * math.pi * i / steps),
                        0.5 - 0.3 * math.cos(2 * math.pi * i / steps)) for i in range(steps + 1)]
