"""Fixtures for the window's tests: offscreen Qt, throwaway settings, a small slice of MNIST,
real mouse strokes, and a check that no test leaves a training thread running."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402


@pytest.fixture(autouse=True)
def private_settings(tmp_path):
    """Point QSettings at a temporary folder so no test reads or writes the user's settings."""
    folder = tmp_path / "settings"
    folder.mkdir()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    return folder


@pytest.fixture(autouse=True)
def personal_dir(tmp_path, monkeypatch):
    """Keep the person's drawings in a temporary folder, never the user's app data."""
    folder = tmp_path / "app-data"
    monkeypatch.setenv("NNDRAW_DATA_DIR", str(folder))
    return folder


@pytest.fixture(autouse=True)
def no_thread_left_running():
    """Fail any test that leaves a training QThread running (and end it, so the process does
    not abort when the thread object is destroyed)."""
    from nndraw.gui import worker

    yield
    left = worker.running_threads()
    for thread in left:
        thread.quit()
        thread.wait(30_000)
    assert not left, f"{len(left)} training thread(s) still running after the test"


@pytest.fixture(autouse=True)
def questions(monkeypatch):
    """Answer the window's modal questions (closing with an unsaved model, deleting drawings)
    without a person: each question is recorded with its title, and answered with
    `questions.answer` (Discard unless a test sets it), so no test blocks on a dialog."""
    from PySide6.QtWidgets import QMessageBox

    class Questions(list):
        answer = QMessageBox.StandardButton.Discard

    asked = Questions()

    def question(parent, title, text, *args, **kwargs):
        asked.append((title, text))
        return asked.answer

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return asked


@pytest.fixture(scope="session")
def small_data():
    """(train, test): 3,000 training and 2,000 test digits, enough to learn in a second."""
    from nndraw.data.datasets import load_mnist

    train, test = load_mnist()
    return train.subset(3000), test.subset(2000)


@pytest.fixture
def window(qtbot, small_data):
    from nndraw.gui import MainWindow

    win = MainWindow(data=small_data, evals_per_epoch=10, subset=500)
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()        # shortcuts go to the active window (on a real X server too)
    qtbot.waitActive(win)
    yield win
    win.close()


@pytest.fixture
def draw():
    """draw(widget, points): one stroke of real mouse events."""
    from gui_strokes import draw as draw_stroke

    return draw_stroke
