"""A long session in the real window (offscreen): does memory stay flat, does every thread end?

    python benchmarks/soak.py [--minutes 5] [--cycles 20]

Phases, with the process's resident memory (RSS) before and after each:
1. train/stop cycles: Train on MNIST, Stop after the first evaluation, --cycles times;
2. drawing: random strokes with real mouse events, each read at once, cleared every few
   strokes, for --minutes;
3. switching: the data set (MNIST, Fashion-MNIST where installed, an IDX folder) and the
   device (the GPU where there is one), training briefly on each;
4. closing at a random moment of a run, in a child process: it must exit 0 and print no
   "QThread: Destroyed".
"""

import argparse
import dataclasses
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "gui"))
from gui_strokes import draw  # noqa: E402  the tests' real mouse strokes


def os_threads():
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("Threads:"))


def rss_mib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def wait(app, condition, timeout):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not get there in time")
        app.processEvents()
        time.sleep(0.005)


def stroke(canvas, rng):
    """A random scribble of real mouse events."""
    from PySide6.QtCore import QPointF

    w, h = canvas.width(), canvas.height()
    x, y = rng.uniform(0.2, 0.8) * w, rng.uniform(0.2, 0.8) * h
    points = [QPointF(x, y)]
    for _ in range(rng.randint(10, 40)):
        x = min(max(x + rng.uniform(-12, 12), 0), w - 1)
        y = min(max(y + rng.uniform(-12, 12), 0), h - 1)
        points.append(QPointF(x, y))
    draw(canvas, points)


def train_briefly(app, window, config):
    window.start_training(config)
    wait(app, lambda: window.plot_points() > 0 or not window.is_training(), 120)
    window.stop_training()
    wait(app, lambda: not window.is_training(), 60)


def report(phase, before, after, extra=""):
    print(f"{phase:<34} RSS {before:7.1f} -> {after:7.1f} MiB ({after - before:+6.1f}){extra}",
          flush=True)


def close_mid_run():
    """A child that starts training and closes the window at a random moment."""
    code = (
        "import os, random\n"
        "from PySide6.QtCore import QTimer\n"
        "from PySide6.QtWidgets import QMessageBox\n"
        "from nndraw.gui.app import application\n"
        "from nndraw.gui.main_window import MainWindow\n"
        "from nndraw.training.config import preset\n"
        "app = application(); w = MainWindow(); w.show()\n"
        "QMessageBox.question = staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard)\n"
        "w.start_training(preset('default', epochs=1).validated())\n"
        "QTimer.singleShot(random.randint(50, 4000), w.close)\n"
        "raise SystemExit(app.exec())\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=300)
    return done.returncode, "QThread: Destroyed" in done.stderr


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--cycles", type=int, default=20)
    parser.add_argument("--closes", type=int, default=5)
    args = parser.parse_args()

    from nndraw.core.backend import gpu_available
    from nndraw.data.datasets import FASHION_DIR, load_mnist
    from nndraw.data.idx import write_idx
    from nndraw.gui import worker
    from nndraw.gui.app import application
    from nndraw.gui.main_window import MainWindow
    from nndraw.training.config import preset

    app = application()
    with tempfile.TemporaryDirectory() as home:
        os.environ["NNDRAW_DATA_DIR"] = home  # the person's own drawings stay untouched
        window = MainWindow()
        # evaluations of the run under way (the model in use is the run's from its first one)
        window.plot_points = lambda: (window.plot.point_count()
                                      if window.session.model.origin == "trained" else 0)
        window.show()
        app.processEvents()
        rng = random.Random(0)
        small = preset("default", sizes=(784, 64, 10), epochs=1)

        before, threads_before = rss_mib(), os_threads()
        train_briefly(app, window, small.validated())  # warm-up: MNIST loaded, caches filled
        warm = rss_mib()
        report("first run (loads MNIST)", before, warm)
        for _ in range(args.cycles):
            train_briefly(app, window, small.validated())
        after = rss_mib()
        report(f"{args.cycles} train/stop cycles", warm, after,
               f"; training threads running: {len(worker.running_threads())}, "
               f"OS threads: {os_threads()} (before: {threads_before})")

        before, strokes = after, 0
        end = time.monotonic() + 60 * args.minutes
        while time.monotonic() < end:
            stroke(window.canvas, rng)
            strokes += 1
            if strokes % 4 == 0:
                window.canvas.clear()
            app.processEvents()
        report(f"{args.minutes:g} min of drawing ({strokes} strokes)", before, rss_mib())

        before = rss_mib()
        folder = Path(home) / "idx-folder"
        folder.mkdir()
        train, test = load_mnist()
        for prefix, split, n in (("train", train, 5000), ("t10k", test, 1000)):
            write_idx(folder / f"{prefix}-images-idx3-ubyte",
                      (split.images[:n] * 255).astype("uint8").reshape(n, 28, 28))
            write_idx(folder / f"{prefix}-labels-idx1-ubyte", split.labels[:n].astype("uint8"))
        choices = [("folder", folder), ("mnist", None)]
        if FASHION_DIR.is_dir():
            choices.insert(0, ("fashion", FASHION_DIR))
        devices = ["cpu", "gpu"] if gpu_available() else ["cpu"]
        for round_ in range(1, 4):
            for kind, where in choices:
                window.panel.set_dataset(kind, where)
                for device in devices:
                    config = dataclasses.replace(small, device=device).validated()
                    train_briefly(app, window, config)
            if round_ == 1:
                report("switching data sets: round 1", before, rss_mib(), " (each loaded once)")
                before = rss_mib()
        report(f"rounds 2-3 ({len(choices)} data sets x {', '.join(devices)})", before,
               rss_mib(), f"; training threads running: {len(worker.running_threads())}")
        window.session.model.saved = True   # a soak, not work to keep: close without asking
        window.close()
        app.processEvents()

    results = [close_mid_run() for _ in range(args.closes)]
    codes = [code for code, _ in results]
    destroyed = sum(flag for _, flag in results)
    print(f"closing mid-run {args.closes} times: exit codes {codes}, "
          f"'QThread: Destroyed' seen {destroyed} times", flush=True)


if __name__ == "__main__":
    main()
