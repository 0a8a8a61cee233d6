"""Live training curves: test accuracy (left axis, %) and test cost (right axis) against epochs.

Each curve is created once and fed with setData as evaluations arrive (pyqtgraph's way for
live data). Colours come from the palette, so the plot sits in a light or dark window alike.
"""

import math

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette


class AccuracyPlot(pg.PlotWidget):
    """Accuracy and cost of the current run; `add(evaluation)`, `clear_run()`."""

    ACCURACY = QColor(46, 134, 222)
    COST = QColor(230, 126, 34)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("accuracyPlot")
        self.setAccessibleName("Accuracy and cost during training")
        self.setMinimumSize(300, 180)
        self.epochs, self.accuracy, self.cost = [], [], []
        self.end_epochs, self.end_accuracy = [], []

        item = self.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        item.showGrid(x=True, y=True, alpha=0.15)
        item.setLabel("bottom", "epoch")
        item.setLabel("left", "test accuracy", units="%")
        item.showAxis("right")
        item.setLabel("right", "test cost")
        item.getAxis("left").enableAutoSIPrefix(False)
        item.getAxis("right").enableAutoSIPrefix(False)
        item.setYRange(0, 100, padding=0.02)
        item.setXRange(0, 1, padding=0.02)
        item.getViewBox().setMouseEnabled(x=False, y=False)

        # The cost lives in a second view box on the right axis, moving with the main x range.
        self._cost_box = pg.ViewBox(enableMouse=False)
        item.scene().addItem(self._cost_box)
        item.getAxis("right").linkToView(self._cost_box)
        self._cost_box.setXLink(item)
        item.getViewBox().sigResized.connect(self._sync_boxes)

        # The legend sits in the title row above the plot, where it never hides a curve.
        self.legend = pg.LegendItem(colCount=3, labelTextSize="9pt", horSpacing=12)
        item.layout.removeItem(item.titleLabel)
        item.titleLabel.setVisible(False)
        item.layout.addItem(self.legend, 0, 1, Qt.AlignmentFlag.AlignCenter)
        item.layout.setRowFixedHeight(0, 26)
        self.accuracy_curve = item.plot([], [], pen=pg.mkPen(self.ACCURACY, width=2.5))
        self.epoch_points = item.plot([], [], pen=None, symbol="o", symbolSize=8,
                                      symbolBrush=self.ACCURACY, symbolPen=None)
        self.cost_curve = pg.PlotDataItem([], [], pen=pg.mkPen(self.COST, width=2,
                                                               style=Qt.PenStyle.DashLine))
        self._cost_box.addItem(self.cost_curve)
        self.legend.addItem(self.accuracy_curve, "accuracy")
        self.legend.addItem(self.epoch_points, "all 10,000")
        self.legend.addItem(self.cost_curve, "cost")
        self.apply_palette()

    def _sync_boxes(self):
        self._cost_box.setGeometry(self.getPlotItem().getViewBox().sceneBoundingRect())
        self._cost_box.linkedViewChanged(self.getPlotItem().getViewBox(), self._cost_box.XAxis)

    def apply_palette(self):
        palette = self.palette()
        self.setBackground(palette.color(QPalette.ColorRole.Base))
        text = palette.color(QPalette.ColorRole.Text)
        item = self.getPlotItem()
        for name in ("left", "bottom", "right"):
            axis = item.getAxis(name)
            axis.setPen(pg.mkPen(text))
            axis.setTextPen(pg.mkPen(text))
        self.legend.setLabelTextColor(text)

    def changeEvent(self, event):
        super().changeEvent(event)
        if event.type() == event.Type.PaletteChange and hasattr(self, "legend"):
            self.apply_palette()

    def point_count(self):
        return len(self.epochs)

    def clear_run(self, epochs=1):
        self.epochs.clear(), self.accuracy.clear(), self.cost.clear()
        self.end_epochs.clear(), self.end_accuracy.clear()
        self._refresh()
        self.getPlotItem().setXRange(0, max(epochs, 1), padding=0.02)

    def add(self, evaluation):
        self.epochs.append(evaluation.epoch)
        self.accuracy.append(100 * evaluation.accuracy)
        self.cost.append(evaluation.cost)
        if evaluation.complete:
            self.end_epochs.append(evaluation.epoch)
            self.end_accuracy.append(100 * evaluation.accuracy)
        self._refresh()

    def _refresh(self):
        self.accuracy_curve.setData(self.epochs, self.accuracy)
        self.epoch_points.setData(self.end_epochs, self.end_accuracy)
        self.cost_curve.setData(self.epochs, self.cost)
        # Zoom the accuracy axis onto the climb (the first evaluation is often already 85%+).
        low = max(0.0, min(self.accuracy) - 5) if self.accuracy else 0.0
        self.getPlotItem().setYRange(5 * math.floor(low / 5), 100, padding=0.02)
        finite = [c for c in self.cost if math.isfinite(c)]
        if finite and max(finite) > 0:
            self._cost_box.setYRange(0, max(finite) * 1.05, padding=0)
