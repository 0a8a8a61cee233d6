"""Make docs/screenshots/window.png: the real window, a digit drawn with real mouse events,
and a short run (two epochs) so the curves climb. With --views, one picture per "look inside"
view instead (stages, hidden units, confusion + gallery, teaching and the personal set).
Runs offscreen:

    QT_QPA_PLATFORM=offscreen python docs/screenshots/make_screenshots.py [--dark | --views]
"""

import math
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
from PySide6.QtCore import QCoreApplication, QPoint, QSettings  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "tests" / "gui"))
from gui_strokes import draw  # noqa: E402  the tests' real mouse strokes


def three(canvas):
    """Points of a handwritten 3, in the canvas' own coordinates."""
    side = min(canvas.width(), canvas.height())
    ox, oy = (canvas.width() - side) / 2, (canvas.height() - side) / 2
    points = []
    for lobe, (cy, start, end) in enumerate(((0.34, -150, 90), (0.64, -90, 150))):
        for i in range(40):
            a = math.radians(start + (end - start) * i / 39)
            r = 0.15 if lobe == 0 else 0.17
            points.append(QPoint(int(ox + side * (0.50 + r * math.cos(a))),
                                 int(oy + side * (cy + r * math.sin(a)))))
    return points


def dark_palette():
    """A dark palette like the ones desktops hand to Qt apps, to check the window follows it."""
    from PySide6.QtGui import QColor, QPalette

    palette = QPalette()
    roles = QPalette.ColorRole
    for role, colour in ((roles.Window, "#2b2d31"), (roles.WindowText, "#e6e6e6"),
                         (roles.Base, "#1f2023"), (roles.AlternateBase, "#2b2d31"),
                         (roles.Text, "#e6e6e6"), (roles.Button, "#36383d"),
                         (roles.ButtonText, "#e6e6e6"), (roles.Highlight, "#3d8ee8"),
                         (roles.HighlightedText, "#ffffff"), (roles.Mid, "#4a4c52"),
                         (roles.Midlight, "#3a3c41"), (roles.PlaceholderText, "#9a9ca3")):
        palette.setColor(role, QColor(colour))
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#74767c"))
    return palette


def wait_for(app, window, seconds=180):
    deadline = time.monotonic() + seconds
    while window.is_training() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    window.shutdown_training()
    for _ in range(5):
        app.processEvents()


def close(window):
    """Close without the question about an unsaved network: these runs are only pictures."""
    if window.session.model is not None:
        window.session.model.saved = True
    window.close()


def seven(canvas, slant=0.0, bar=0.0):
    """Points of a handwritten 7 with a crossbar, a little different for each slant."""
    side = min(canvas.width(), canvas.height())
    ox, oy = (canvas.width() - side) / 2, (canvas.height() - side) / 2
    top = [(0.30 + 0.4 * i / 20, 0.25 + bar * i / 20) for i in range(21)]
    down = [(0.70 - (0.28 + slant) * i / 30, 0.25 + bar + 0.55 * i / 30) for i in range(1, 31)]
    return [QPoint(int(ox + side * x), int(oy + side * y)) for x, y in top + down]


def views(app, window):
    """One PNG per view of the network's insides."""
    card = window.prediction.parentWidget()
    draw(window.canvas, three(window.canvas))
    app.processEvents()
    card.grab().save(str(HERE / "stages.png"))

    learning = window.tabs.parentWidget()
    window.tabs.setCurrentWidget(window.hidden_units)
    app.processEvents()
    view = window.hidden_units
    view.hover_unit(37)
    app.processEvents()
    learning.grab().save(str(HERE / "hidden-units.png"))

    window.tabs.setCurrentWidget(window.confusion)
    window.measure_model()
    wait_for(app, window)
    panel = window.confusion
    mistakes = panel.matrix.counts * (1 - np.eye(10, dtype=int))
    row, col = divmod(int(mistakes.argmax()), 10)
    panel.matrix.selected = (row, col)
    panel.show_cell(row, col)
    panel.gallery.setCurrentRow(0)
    app.processEvents()
    learning.grab().save(str(HERE / "confusion.png"))

    # Teach: keep a few sevens the model finds hard, then fine-tune on them.
    window.canvas.clear()
    for slant, bar in ((0.0, 0.0), (0.08, 0.05), (-0.05, 0.1), (0.12, 0.0),
                       (0.02, 0.12), (0.1, 0.08), (-0.08, 0.02)):
        draw(window.canvas, seven(window.canvas, slant, bar))
        draw(window.canvas, [QPoint(p.x(), p.y()) for p in seven(window.canvas)[8:14]])
        window.keep_drawing(7)
    draw(window.canvas, seven(window.canvas, 0.05, 0.04))
    window.tabs.setCurrentWidget(window.plot)
    window.teach()
    wait_for(app, window)
    window.grab().save(str(HERE / "teach.png"))
    window.show_personal_set()
    app.processEvents()
    window._dialog.resize(620, 330)
    app.processEvents()
    window._dialog.grab().save(str(HERE / "personal-set.png"))
    window._dialog.close()


def main():
    settings_dir = tempfile.mkdtemp(prefix="nndraw-screens-")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, settings_dir)
    sys.path.insert(0, str(HERE.parents[1]))
    from nndraw.data.datasets import load_mnist
    from nndraw.gui.app import application
    from nndraw.gui.main_window import MainWindow

    app = application()
    dark = "--dark" in sys.argv
    if dark:
        app.setStyle("Fusion")
        app.setPalette(dark_palette())
    train, test = load_mnist()
    window = MainWindow(data=(train, test),
                        personal_dir=tempfile.mkdtemp(prefix="nndraw-screens-own-"))
    window.resize(1100, 880)
    window.show()
    app.processEvents()
    if "--views" in sys.argv:
        views(app, window)
        close(window)
        return 0
    draw(window.canvas, three(window.canvas))
    window.panel.epochs_spin.setValue(2)
    augment = "affine=1, elastic=0.5, pen=0.5"    # so the "Trains on" strip shows distortions
    window.panel.augment_edit.setText(augment)
    window.panel.augment_edit.textEdited.emit(augment)
    window.panel.train_button.click()
    wait_for(app, window, seconds=120)
    window.grab().save(str(HERE / ("window-dark.png" if dark else "window.png")))
    close(window)
    QCoreApplication.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
