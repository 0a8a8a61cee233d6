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
    PERSONAL = QColor(39, 174, 96)
    COMPARE = QColor(142, 68, 173)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("accuracyPlot")
        self.setAccessibleName("Accuracy and cost during training")
        self.setMinimumSize(300, 180)
        self.epochs, self.accuracy, self.cost = [], [], []
        self.end_epochs, self.end_accuracy = [], []
        self.personal_epochs, self.personal = [], []     # accuracy on the person's drawings
        self.offset = 0.0        # where a resumed run starts on the epoch axis

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
        self.personal_curve = item.plot([], [], pen=pg.mkPen(self.PERSONAL, width=2.5),
                                        symbol="s", symbolSize=6, symbolBrush=self.PERSONAL,
                                        symbolPen=None)
        self.compare_curve = item.plot([], [], pen=pg.mkPen(self.COMPARE, width=2,
                                                            style=Qt.PenStyle.DashLine))
        self.compare_name = None
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

    def clear_run(self, epochs=1, offset=0.0):
        """Start a run's curves afresh, or, with `offset`, continue the ones shown (resume)."""
        if not offset:
            self.epochs.clear(), self.accuracy.clear(), self.cost.clear()
            self.end_epochs.clear(), self.end_accuracy.clear()
            self.personal_epochs.clear(), self.personal.clear()
        self.offset = offset
        self._refresh()
        self._x_range = offset + max(epochs, 1)
        self._fit_x()

    def add(self, evaluation, personal=None):
        """Plot an Evaluation (and the accuracy on the person's drawings, if measured)."""
        epoch = self.offset + evaluation.epoch
        if not (self.epochs and epoch == self.epochs[-1]):   # a resumed run's first point
            self.epochs.append(epoch)
            self.accuracy.append(100 * evaluation.accuracy)
            self.cost.append(evaluation.cost)
            if evaluation.complete:
                self.end_epochs.append(epoch)
                self.end_accuracy.append(100 * evaluation.accuracy)
        if personal is not None:
            self.personal_epochs.append(epoch)
            self.personal.append(100 * personal)
        self._refresh()

    def set_curves(self, evaluations):
        """Show saved evaluations (dicts from a run file) as the current run's curves."""
        self.clear_run(max([e["epoch"] for e in evaluations], default=1))
        for e in evaluations:
            self.epochs.append(e["epoch"])
            self.accuracy.append(100 * e["accuracy"])
            self.cost.append(e["cost"])
            if e["complete"]:
                self.end_epochs.append(e["epoch"])
                self.end_accuracy.append(100 * e["accuracy"])
            if e.get("personal") is not None:
                self.personal_epochs.append(e["epoch"])
                self.personal.append(100 * e["personal"])
        self._refresh()

    def set_comparison(self, evaluations, name):
        """Overlay another run's accuracy as a dashed curve (None removes it)."""
        if self.compare_name is not None:
            self.legend.removeItem(self.compare_curve)
        self.compare_name = name
        if evaluations is None:
            self.compare_curve.setData([], [])
        else:
            self.compare_curve.setData([e["epoch"] for e in evaluations],
                                       [100 * e["accuracy"] for e in evaluations])
            self.legend.addItem(self.compare_curve, f"{name} (accuracy)")
        self._refresh()
        self._fit_x()

    def _fit_x(self):
        compare = self.compare_curve.getData()[0]
        right = max([getattr(self, "_x_range", 1), *(self.epochs[-1:]),
                     *(compare[-1:] if compare is not None and len(compare) else [])])
        self.getPlotItem().setXRange(0, right, padding=0.02)

    def _refresh(self):
        self.accuracy_curve.setData(self.epochs, self.accuracy)
        self.epoch_points.setData(self.end_epochs, self.end_accuracy)
        self.cost_curve.setData(self.epochs, self.cost)
        self.personal_curve.setData(self.personal_epochs, self.personal)
        if self.personal and self.legend.getLabel(self.personal_curve) is None:
            self.legend.addItem(self.personal_curve, "your drawings")
        elif not self.personal and self.legend.getLabel(self.personal_curve) is not None:
            self.legend.removeItem(self.personal_curve)
        # More than three entries wrap onto a second legend row: make room for it.
        rows = -(-len(self.legend.items) // 3)
        self.getPlotItem().layout.setRowFixedHeight(0, 26 if rows <= 1 else 46)
        # Zoom the accuracy axis onto the climb (the first evaluation is often already 85%+).
        compare = self.compare_curve.getData()[1]
        shown = self.accuracy + self.personal + ([] if compare is None else list(compare))
        low = max(0.0, min(shown) - 5) if shown else 0.0
        self.getPlotItem().setYRange(5 * math.floor(low / 5), 100, padding=0.02)
        finite = [c for c in self.cost if math.isfinite(c)]
        if finite and max(finite) > 0:
            self._cost_box.setYRange(0, max(finite) * 1.05, padding=0)
