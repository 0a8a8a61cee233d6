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
        self.records = []        # the timeline shown: Evaluation records
        self._x_range = 1.0
        self._segment_marks = []  # a line where each teaching segment begins

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

    def _mark_segments(self):
        """A dotted line, labelled, where each teaching segment of the timeline begins."""
        starts = [r.epoch for i, r in enumerate(self.records) if r.segment == "teach" and
                  (i == 0 or self.records[i - 1].segment != "teach")]
        if starts == [line.value() for line in self._segment_marks]:
            return
        item = self.getPlotItem()
        for line in self._segment_marks:
            item.removeItem(line)
        self._segment_marks = []
        for epoch in starts:
            line = pg.InfiniteLine(epoch, angle=90, label="taught",
                                   pen=pg.mkPen(self.PERSONAL, width=1,
                                                style=Qt.PenStyle.DotLine),
                                   labelOpts={"position": 0.08, "color": self.PERSONAL})
            item.addItem(line)
            self._segment_marks.append(line)

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
        return len(self.records)

    def show_timeline(self, records, end=None):
        """Draw a model's timeline (Evaluation records, epochs never decreasing), with the
        x axis reaching at least `end`, where its training plan ends."""
        self.records = list(records)
        self._x_range = max(end or 1, self.records[-1].epoch if self.records else 1)
        self._refresh()
        self._fit_x()

    def add(self, record):
        """Draw one more record of the timeline shown."""
        self.records.append(record)
        self._refresh()
        if record.epoch > self._x_range:
            self._x_range = record.epoch
            self._fit_x()

    def set_comparison(self, evaluations, name):
        """Overlay another run's accuracy (Evaluation records) as a dashed curve (None
        removes it)."""
        if self.compare_name is not None:
            self.legend.removeItem(self.compare_curve)
        self.compare_name = name
        if evaluations is None:
            self.compare_curve.setData([], [])
        else:
            self.compare_curve.setData([e.epoch for e in evaluations],
                                       [100 * e.accuracy for e in evaluations])
            self.legend.addItem(self.compare_curve, f"{name} (accuracy)")
        self._refresh()
        self._fit_x()

    def _fit_x(self):
        compare = self.compare_curve.getData()[0]
        right = max([self._x_range, *(r.epoch for r in self.records[-1:]),
                     *(compare[-1:] if compare is not None and len(compare) else [])])
        self.getPlotItem().setXRange(0, right, padding=0.02)

    def _refresh(self):
        records = self.records
        epochs = [r.epoch for r in records]
        self.accuracy = [100 * r.accuracy for r in records]
        self.cost = [r.test_cost for r in records]
        whole = [r for r in records if r.complete]
        mine = [r for r in records if r.personal is not None]
        self.personal = [100 * r.personal for r in mine]
        self.accuracy_curve.setData(epochs, self.accuracy)
        self.epoch_points.setData([r.epoch for r in whole], [100 * r.accuracy for r in whole])
        self.cost_curve.setData(epochs, self.cost)
        self.personal_curve.setData([r.epoch for r in mine], self.personal)
        self._mark_segments()
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
