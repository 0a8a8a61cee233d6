"""The app icon, painted at run time: a white hand-drawn 7 on a blue rounded square, with
three probability bars. Painting it avoids shipping image files for one small picture."""

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QLinearGradient, QPainter, QPainterPath, QPen, QPixmap


def _paint(side):
    pixmap = QPixmap(side, side)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = side / 64
    gradient = QLinearGradient(0, 0, 0, side)
    gradient.setColorAt(0, QColor(58, 123, 213))
    gradient.setColorAt(1, QColor(32, 64, 140))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(gradient)
    p.drawRoundedRect(QRectF(2 * s, 2 * s, 60 * s, 60 * s), 14 * s, 14 * s)
    stroke = QPainterPath(QPointF(13 * s, 16 * s))
    stroke.lineTo(35 * s, 15 * s)
    stroke.quadTo(27 * s, 30 * s, 22 * s, 49 * s)
    p.setPen(QPen(QColor(255, 255, 255), 6 * s, Qt.PenStyle.SolidLine,
                  Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPath(stroke)
    p.setPen(Qt.PenStyle.NoPen)
    for i, (length, alpha) in enumerate(((14, 110), (9, 110), (20, 255))):
        p.setBrush(QColor(255, 200, 80, alpha) if i == 2 else QColor(255, 255, 255, alpha))
        p.drawRoundedRect(QRectF(40 * s, (20 + 9 * i) * s, length * s, 5 * s), 2.5 * s, 2.5 * s)
    p.end()
    return pixmap


def app_icon():
    icon = QIcon()
    for side in (16, 32, 64, 128, 256):
        icon.addPixmap(_paint(side))
    return icon
