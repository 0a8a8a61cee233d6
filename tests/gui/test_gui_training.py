"""Training from the window: the worker thread, Stop, closing mid-run, errors, the plot."""

import numpy as np
import pytest
from gui_strokes import vertical_line
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPushButton

from nndraw.core.backend import gpu_unavailable_reason
from nndraw.gui import worker
from nndraw.training import trainer


def configure(window, hidden="16", epochs=1, eta=None, activation=None):
    panel = window.panel
    panel.hidden_edit.setText(hidden)
    panel.epochs_spin.setValue(epochs)
    if eta is not None:
        panel.eta_edit.setText(eta)
    if activation is not None:
        panel.activation_combo.setCurrentIndex(panel.activation_combo.findData(activation))


def train_button(window):
    return window.findChild(QPushButton, "trainButton")


def stop_button(window):
    return window.findChild(QPushButton, "stopButton")


def first_weight(network):
    return network.host_parameters()[0][0]


def network(window):
    return window.session.model.network


def whole_test_epochs(window):
    return [r.epoch for r in window.plot.records if r.complete]


def test_train_climbs_and_the_drawing_is_reread(window, qtbot, draw):
    draw(window.canvas, vertical_line(window.canvas))
    shipped = network(window)
    readings = []
    window.prediction.bars.update = lambda: readings.append(
        window.prediction.bars.probabilities.copy())
    configure(window, hidden="16", epochs=2)
    qtbot.mouseClick(train_button(window), Qt.MouseButton.LeftButton)
    assert window.is_training()
    assert not train_button(window).isEnabled() and stop_button(window).isEnabled()
    qtbot.waitUntil(lambda: not window.is_training(), timeout=20_000)

    plot = window.plot
    assert plot.objectName() == "accuracyPlot"
    assert plot.point_count() == 20                     # ten per epoch
    assert whole_test_epochs(window) == [1.0, 2.0]     # the whole test set at each epoch end
    x, y = plot.accuracy_curve.getData()
    assert len(x) == 20 and y[-1] > 70                  # in percent, and it learned
    assert y[-1] > y[0]
    assert len(plot.cost_curve.getData()[0]) == 20
    # The window now reads the drawing with the new network, re-read at every evaluation.
    assert network(window) is not shipped and network(window).sizes == [784, 16, 10]
    assert len(readings) >= 20
    assert len({r.tobytes() for r in readings}) > 5     # each new network reads it anew
    assert window.isWindowModified() and "untitled" in window.windowTitle()
    assert window.session.model.timeline[-1].epoch == 2.0
    assert "finished" in window.panel.progress_bar.format()


def test_stop_ends_the_run_and_keeps_what_was_learned(window, qtbot):
    configure(window, hidden="32", epochs=200)
    train_button(window).click()
    qtbot.waitUntil(lambda: window.plot.point_count() >= 2, timeout=20_000)
    stop_button(window).click()
    qtbot.waitUntil(lambda: not window.is_training(), timeout=20_000)
    assert network(window).sizes == [784, 32, 10]
    assert network(window).parameters_finite()
    assert "Stopped" in window.panel.progress_bar.format()
    assert train_button(window).isEnabled() and not stop_button(window).isEnabled()


def test_keyboard_starts_and_stops_a_run(window, qtbot):
    configure(window, hidden="16", epochs=200)
    QTest.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.is_training()
    qtbot.waitUntil(lambda: window.plot.point_count() >= 1, timeout=20_000)
    QTest.keyClick(window, Qt.Key.Key_Period, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.is_training(), timeout=20_000)
    assert network(window).sizes == [784, 16, 10]


def test_closing_mid_run_stops_the_thread(window, qtbot):
    configure(window, hidden="32", epochs=200)
    train_button(window).click()
    qtbot.waitUntil(lambda: window.plot.point_count() >= 1, timeout=20_000)
    assert worker.running_threads()
    window.close()
    assert worker.running_threads() == []
    assert not window.is_training()


def test_ten_start_stop_cycles_each_stopping_a_run_that_is_learning(window, qtbot):
    configure(window, hidden="16", epochs=100)
    for cycle in range(10):
        train_button(window).click()
        assert window.is_training()
        # Stop only once the run has reported an evaluation: it is really training.
        qtbot.waitUntil(lambda: window.plot.point_count() >= 1, timeout=20_000)
        assert window.is_training()
        stop_button(window).click()
        qtbot.waitUntil(lambda: not window.is_training(), timeout=20_000)
        assert "Stopped" in window.panel.progress_bar.format(), cycle
        assert window.session.model.latest.complete     # measured on the whole test set
    assert worker.running_threads() == []
    assert train_button(window).isEnabled()


@pytest.mark.skipif(gpu_unavailable_reason() is None, reason="a GPU is available here")
def test_gpu_entry_disabled_with_the_reason(window):
    combo = window.panel.device_combo
    assert combo.objectName() == "deviceCombo"
    gpu = combo.model().item(combo.findData("gpu"))
    assert not gpu.isEnabled()
    reason = gpu_unavailable_reason()
    assert reason in gpu.toolTip() and reason in combo.toolTip()
    assert combo.currentData() == "cpu"


@pytest.mark.parametrize("field, text, words", [
    ("eta_edit", "fast", "must be a number"),
    ("eta_edit", "-1", "must be positive"),
    ("momentum_edit", "1.5", "momentum"),
    ("lmbda_edit", "-2", "cannot be negative"),
    ("hidden_edit", "30, x", "hidden layer sizes"),
])
def test_invalid_settings_are_refused_inline(window, field, text, words):
    getattr(window.panel, field).setText(text)
    train_button(window).click()
    assert not window.is_training()
    assert worker.running_threads() == []
    message = window.panel.error_label
    assert message.isVisible() and words in message.text()
    # Fixing the field clears the message.
    getattr(window.panel, field).textEdited.emit("1")
    assert not message.isVisible()


def test_a_diverging_run_shows_why_and_keeps_the_previous_model(window, qtbot):
    shipped = network(window)
    before = first_weight(shipped).copy()
    configure(window, hidden="64", epochs=3, eta="10000", activation="relu")
    window.panel.momentum_edit.setText("0.9")
    train_button(window).click()
    qtbot.waitUntil(lambda: not window.is_training(), timeout=20_000)
    banner = window.banner
    assert banner.isVisible()
    assert "diverged" in banner.text.text() and "previous model" in banner.text.text()
    assert "diverged" in window.statusBar().currentMessage()
    assert network(window) is shipped
    np.testing.assert_array_equal(first_weight(network(window)), before)
    assert "the shipped model" in window.windowTitle()


def test_an_unexpected_error_in_the_worker_becomes_a_message(window, qtbot, monkeypatch):
    def broken(config):
        raise RuntimeError("cuBLAS went away")

    monkeypatch.setattr(trainer, "build_network", broken)
    shipped = network(window)
    train_button(window).click()
    qtbot.waitUntil(lambda: not window.is_training(), timeout=10_000)
    text = window.banner.text.text()
    assert "unexpected error" in text and "cuBLAS went away" in text
    assert network(window) is shipped


def test_the_gui_thread_stays_responsive_while_training(qtbot, small_data):
    """A 10 ms timer on the GUI thread keeps firing while the default-size network trains
    (how regularly is measured in benchmarks/bench_app.py, not here)."""
    from nndraw.data.datasets import Split
    from nndraw.gui import MainWindow

    train, test = small_data
    data = (Split(np.tile(train.images, (4, 1)), np.tile(train.labels, 4)), test)
    window = MainWindow(data=data, evals_per_epoch=10, subset=1000)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.panel.epochs_spin.setValue(50)            # the default 784-256-10 network
    ticks = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(1))
    train_button(window).click()
    qtbot.waitUntil(lambda: window.plot.point_count() >= 1, timeout=20_000)
    timer.start()
    qtbot.wait(3000)
    timer.stop()
    points = window.plot.point_count()
    window.close()
    assert points >= 3, "the run did not progress while the timer ran"
    assert len(ticks) >= 30, f"the GUI thread ran its timer only {len(ticks)} times in 3 s"


def test_a_gpu_that_runs_out_of_memory_mid_run_says_so(window, qtbot, monkeypatch):
    from nndraw.training.config import preset
    from tests.core.fake_cupy import FakeCupy, as_gpu

    as_gpu(monkeypatch, FakeCupy(fail_after=300))
    shipped = network(window)
    before = first_weight(shipped).copy()
    window.start_training(preset("default", sizes=(784, 32, 10), epochs=2,
                                 device="gpu").validated())
    qtbot.waitUntil(lambda: not window.is_training(), timeout=20_000)
    text = window.banner.text.text()
    assert "GPU ran out of memory" in text and "previous model" in text
    assert network(window) is shipped
    np.testing.assert_array_equal(first_weight(network(window)), before)
