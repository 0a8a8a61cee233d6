"""How the app feels: time to a shown window, cost of one drawing update, memory of a run.

    python benchmarks/bench_app.py [--runs 5]

- startup: from launching a fresh Python process to the window painted on screen, the way
  `nndraw` does it (offscreen here), median of --runs;
- drawing update: one real mouse move on the canvas through to_mnist, the prediction, the
  stages and every repaint it causes, median and 95th percentile over 300 moves;
- memory: peak resident memory of `nndraw train --epochs 1` on the full 60,000 images,
  against the size of the training images alone in float32.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "gui"))
import gui_strokes  # noqa: E402  the tests' real mouse events

ENV = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))

# What `nndraw` does (cli.main -> gui.app.main), then quit once the first paint is done.
SHOW_WINDOW = r"""
from nndraw.cli import _build_parser
_build_parser()[0].parse_args([])
from PySide6.QtCore import QTimer
from nndraw.gui.app import application
from nndraw.gui.main_window import MainWindow
app = application()
window = MainWindow()
window.show()
QTimer.singleShot(0, lambda: (print("shown", flush=True), app.quit()))
app.exec()
"""


def startup(runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-c", SHOW_WINDOW], stdout=subprocess.PIPE,
                                 text=True, env=ENV, cwd=tempfile.gettempdir())
        line = child.stdout.readline()
        times.append(time.perf_counter() - start)
        child.wait()
        if line.strip() != "shown":
            raise RuntimeError("the window did not show")
    return times


def drawing_updates(moves=300):
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    import numpy as np
    from PySide6.QtCore import QEvent, QPointF, Qt

    from nndraw.gui.app import application
    from nndraw.gui.main_window import MainWindow

    app = application()
    window = MainWindow()
    window.show()
    app.processEvents()
    canvas = window.canvas

    def send(kind, x, y, buttons):
        gui_strokes.send(canvas, kind, QPointF(x, y), Qt.MouseButton.LeftButton, buttons)

    w, h = canvas.width(), canvas.height()
    angles = np.linspace(0, 4 * np.pi, moves)
    send(QEvent.Type.MouseButtonPress, w / 2, h / 4, Qt.MouseButton.LeftButton)
    times = []
    for angle in angles:
        x, y = w / 2 + 0.3 * w * np.sin(angle), h / 2 - 0.3 * h * np.cos(angle)
        start = time.perf_counter()
        send(QEvent.Type.MouseMove, x, y, Qt.MouseButton.LeftButton)
        app.processEvents()  # every repaint the move caused
        times.append(time.perf_counter() - start)
    send(QEvent.Type.MouseButtonRelease, w / 2, h / 4, Qt.MouseButton.NoButton)
    window.close()
    return times


def training_memory():
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([sys.executable, "-m", "nndraw", "train", "--epochs", "1", "--save",
                        os.path.join(folder, "m.npz")], env=ENV, check=True,
                       capture_output=True)
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # MiB (Linux: KiB)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    shown = startup(args.runs)
    print(f"startup to a shown window: median {statistics.median(shown):.2f} s "
          f"(min {min(shown):.2f}, max {max(shown):.2f}; target < 1.5 s)")
    peak = training_memory()
    dataset = 60_000 * 784 * 4 / 2**20
    print(f"nndraw train --epochs 1: peak RSS {peak:.0f} MiB = {peak / dataset:.1f} x the "
          f"training images in float32 ({dataset:.0f} MiB)")
    updates = sorted(drawing_updates())
    p95 = updates[int(0.95 * len(updates))]
    print(f"one drawing update (mouse move -> to_mnist -> predict -> repaint): median "
          f"{1000 * statistics.median(updates):.2f} ms, p95 {1000 * p95:.2f} ms")


if __name__ == "__main__":
    main()
