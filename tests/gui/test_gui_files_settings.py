"""Saving and opening models through the window, the title, remembered settings, the app."""

import os
import subprocess
import sys
import textwrap

import numpy as np

from nndraw.training.model_io import load_model


def network(window):
    return window.session.model.network


def test_title_names_the_shipped_model(window):
    assert network(window).sizes[0] == 784
    assert "the shipped model" in window.windowTitle()
    assert not window.isWindowModified()


def test_save_and_open_a_model(window, tmp_path):
    path = tmp_path / "mine.npz"
    assert window.save_model(path)
    saved = load_model(path)
    np.testing.assert_array_equal(saved.host_parameters()[0][0],
                                  network(window).host_parameters()[0][0])
    assert "mine.npz" in window.windowTitle()

    other = tmp_path / "other.npz"
    from nndraw.core.network import Network
    from nndraw.training.model_io import save_model

    save_model(other, Network([784, 12, 10], activation="relu", output="softmax",
                              cost="cross-entropy", init="he", seed=3))
    assert not window.open_model(tmp_path / "missing.npz")      # an error is showing...
    assert window.banner.isVisible()
    assert window.open_model(other)                             # ... until a model opens
    assert network(window).sizes == [784, 12, 10]
    assert "other.npz" in window.windowTitle()
    assert not window.banner.isVisible()


def test_a_corrupt_model_file_shows_a_clear_message(window, tmp_path):
    before = network(window)
    bad = tmp_path / "broken.npz"
    bad.write_bytes(b"this is not a zip archive")
    assert not window.open_model(bad)
    assert window.banner.isVisible()
    text = window.banner.text.text()
    assert "broken.npz" in text and "not a valid nndraw model" in text
    assert "broken.npz" in window.statusBar().currentMessage()
    assert network(window) is before and "the shipped model" in window.windowTitle()

    assert not window.open_model(tmp_path / "missing.npz")
    assert "no such model file" in window.banner.text.text()


def test_saving_to_an_unwritable_place_shows_a_message(window, tmp_path):
    assert not window.save_model(tmp_path / "no" / "such" / "folder" / "m.npz")
    assert "could not save" in window.banner.text.text()


def test_settings_and_geometry_are_remembered(qtbot, small_data, private_settings):
    from nndraw.gui import MainWindow

    first = MainWindow(data=small_data)
    qtbot.addWidget(first)
    first.show()
    first.resize(790, 700)
    size = first.size()
    first.panel.epochs_spin.setValue(7)
    first.panel.hidden_edit.setText("40, 20")
    first.panel.eta_edit.setText("0.02")
    first.close()
    assert any(private_settings.rglob("*.ini")), "settings were not written to the test folder"

    second = MainWindow(data=small_data)
    qtbot.addWidget(second)
    assert second.panel.epochs_spin.value() == 7
    assert second.panel.hidden_edit.text() == "40, 20"
    assert second.panel.config().eta == 0.02
    assert size.width() == 790        # not the 1040-wide default
    assert second.size() == size
    second.close()


def test_closing_while_training_exits_cleanly(tmp_path):
    """The real app through nndraw.gui.app.main: Train (MNIST loads in the worker), close the
    window mid-run; it asks about the unsaved network, then exits with status 0 and no QThread
    complaint on stderr."""
    script = textwrap.dedent(f"""
        import sys
        from PySide6.QtCore import QSettings, QTimer
        from PySide6.QtWidgets import QApplication, QMessageBox
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, {str(tmp_path)!r})
        from nndraw.gui.app import application, main
        from nndraw.gui.main_window import MainWindow

        def window():
            return next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))

        def close():
            print("training:", window().is_training(), "points:", window().plot.point_count())
            QTimer.singleShot(300, answer)   # the question about the unsaved model
            window().close()

        def answer():
            box = QApplication.activeModalWidget()
            print("asked:", box.windowTitle() if box else None)
            box.button(QMessageBox.StandardButton.Discard).click()

        def close_once_learning():     # MNIST loads in the worker first
            if window().session.model.origin == "trained":   # its first evaluation is in
                poll.stop()
                close()

        application()
        QTimer.singleShot(200, lambda: window().panel.train_button.click())
        poll = QTimer()
        poll.timeout.connect(close_once_learning)
        poll.start(100)
        status = main()
        print("status:", status)
        sys.exit(status)
    """)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=os.getcwd())
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert "training: True" in done.stdout and "status: 0" in done.stdout
    assert "asked: Save the trained model?" in done.stdout
    assert "QThread" not in done.stderr and "Traceback" not in done.stderr, done.stderr
