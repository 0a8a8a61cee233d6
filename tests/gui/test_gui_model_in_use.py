"""What the window says about the model in use, driven the way a person drives it: menu
actions, shortcuts and mouse clicks. One model, one forward timeline, one number for it
(saying what it was measured on) in every view, and a banner only while it is true."""

import math
import re
import shutil

import numpy as np
import pytest
from gui_strokes import board_point, circle, vertical_line
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QMessageBox, QToolButton

from nndraw.core.network import Network
from nndraw.data.datasets import FASHION_CLASSES, DataSource
from nndraw.training.model_io import save_model
from nndraw.training.records import Evaluation
from nndraw.training.runs import load_run


@pytest.fixture
def slow_window(qtbot, small_data):
    """A window whose runs take a few seconds (sixteen times the training digits), so a
    person can stop one half-way: the Stop key must land while the run is still going."""
    from nndraw.data.datasets import Split
    from nndraw.gui import MainWindow

    train, test = small_data
    data = (Split(np.tile(train.images, (16, 1)), np.tile(train.labels, 16)), test)
    window = MainWindow(data=data, evals_per_epoch=10, subset=500)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    yield window
    window.close()


def configure(window, hidden="16", epochs=1, eta=None):
    window.panel.hidden_edit.setText(hidden)
    window.panel.epochs_spin.setValue(epochs)
    if eta is not None:
        window.panel.eta_edit.setText(eta)


def train_with_keys(window, qtbot):
    QTest.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.is_training()


def wait_idle(window, qtbot):
    qtbot.waitUntil(lambda: not window.is_training(), timeout=60_000)


def stop_at(window, qtbot, epoch):
    """Ctrl+. once the run has passed `epoch`."""
    qtbot.waitUntil(lambda: window.session.model.origin == "trained" and
                    window.session.model.epoch >= epoch, timeout=60_000)
    assert window.is_training()                  # still going: the Stop below stops it
    QTest.keyClick(window, Qt.Key.Key_Period, Qt.KeyboardModifier.ControlModifier)
    wait_idle(window, qtbot)


def pick_file(monkeypatch, path):
    """The next file dialog answers `path`, as a person picking it would."""
    answer = staticmethod(lambda *args, **kwargs: (str(path), ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", answer)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)


def bar_texts(window):
    """Every text the progress bar shows from now on."""
    seen = []
    window.runs.progress.connect(lambda _p: seen.append(window.panel.progress_bar.format()))
    return seen


def keep_three(window, draw, qtbot):
    canvas = window.canvas
    slant = [board_point(canvas, 0.35 + 0.3 * i / 20, 0.8 - 0.6 * i / 20) for i in range(21)]
    for digit, points in ((1, vertical_line(canvas)), (0, circle(canvas)), (7, slant)):
        draw(canvas, points)
        window.prediction.teach_combo.setCurrentIndex(digit)
        qtbot.mouseClick(window.findChild(QToolButton, "keepButton"), Qt.MouseButton.LeftButton)


def one_number_everywhere(window):
    """The model's latest record, said the same way by the model line, the status bar and
    the plot's last point; returns it."""
    model = window.session.model
    latest = model.latest
    text = latest.describe(model.dataset.name)
    assert text in window.model_label.text()
    assert text in window.statusBar().currentMessage()
    assert window.plot.records[-1] == latest
    assert math.isclose(window.plot.accuracy[-1], 100 * latest.accuracy)
    return latest


def forward(records):
    epochs = [r.epoch for r in records]
    return epochs == sorted(epochs)


def test_train_stop_teach_save_open_resume_compare_is_one_forward_timeline(
        slow_window, qtbot, draw, monkeypatch, tmp_path, small_data):
    from nndraw.gui import MainWindow

    window = slow_window
    configure(window, hidden="128", epochs=3)   # about 2 s: time to stop it part-way
    train_with_keys(window, qtbot)
    stop_at(window, qtbot, 1.3)
    stopped = one_number_everywhere(window)
    assert stopped.complete and stopped.total == 2000        # Stop measures the whole set
    assert "Stopped" in window.panel.progress_bar.format()
    assert stopped.describe("MNIST") in window.panel.progress_bar.format()

    keep_three(window, draw, qtbot)
    window.actions.teach.trigger()                            # Training ▸ Teach
    wait_idle(window, qtbot)
    timeline = window.session.model.timeline
    assert forward(timeline) and timeline[-1].segment == "teach"
    assert timeline[-1].epoch > stopped.epoch

    pick_file(monkeypatch, tmp_path / "run.npz")
    QTest.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier |
                   Qt.KeyboardModifier.ShiftModifier)        # File ▸ Save Run
    saved = load_run(tmp_path / "run.npz")
    assert saved.evaluations == timeline and forward(saved.evaluations)
    assert not window.isWindowModified()

    other = MainWindow(data=small_data, evals_per_epoch=4, subset=500)
    qtbot.addWidget(other)
    other.show()
    other.actions.open_run.trigger()                          # File ▸ Open Run
    assert other.session.model.timeline == timeline
    assert other.plot.records == timeline
    assert timeline[-1].describe("MNIST") in other.model_label.text()

    # The last segment was teaching, so Resume trains the panel's epochs more, from there.
    other.panel.epochs_spin.setValue(1)
    texts = bar_texts(other)
    other.actions.resume.trigger()
    wait_idle(other, qtbot)
    resumed = other.session.model.timeline
    end = timeline[-1].epoch + 1
    assert forward(resumed) and resumed[-1].epoch == end and resumed[-1].segment == "resume"
    # "Epoch k of N": N the timeline's last epoch, k the one it is in (from the first
    # epoch the resumed part touches), never going back
    shown = [re.match(r"Epoch (\d+) of (\d+)", t) for t in texts]
    assert texts and all(m and int(m[2]) == math.ceil(end) for m in shown), texts
    numbers = [int(m[1]) for m in shown]
    assert numbers == sorted(numbers) and numbers[-1] == math.ceil(end), texts
    assert numbers[0] >= math.ceil(timeline[-1].epoch + 1e-9), texts
    assert other.plot.getPlotItem().viewRange()[0][1] >= end
    one_number_everywhere(other)

    pick_file(monkeypatch, tmp_path / "run.npz")
    other.actions.compare.trigger()                           # File ▸ Compare with Run
    xs, _ = other.plot.compare_curve.getData()
    assert list(xs) == sorted(xs) and len(xs) == len(timeline)
    other.close()


def test_resume_finishes_the_planned_epochs_and_every_view_agrees(slow_window, qtbot):
    window = slow_window
    configure(window, hidden="128", epochs=3)   # about 2 s: time to stop it part-way
    train_with_keys(window, qtbot)
    stop_at(window, qtbot, 1.4)
    stopped = window.session.model.epoch
    assert stopped < 3
    window.panel.epochs_spin.setValue(10)        # the panel changed since: the plan still holds
    texts = bar_texts(window)
    window.actions.resume.trigger()
    assert str(round(stopped, 2)) in window.statusBar().currentMessage() or \
        f"{stopped:g}" in window.statusBar().currentMessage()
    wait_idle(window, qtbot)
    timeline = window.session.model.timeline
    assert timeline[-1].epoch == 3.0 and forward(timeline)
    assert texts and all(t.startswith(("Epoch 2 of 3", "Epoch 3 of 3")) for t in texts), texts
    assert window.plot.getPlotItem().viewRange()[0][1] < 3.5   # the axis ends at the plan
    assert "Training finished" in window.panel.progress_bar.format()
    one_number_everywhere(window)


def test_measure_the_model_in_use_updates_the_in_use_line(window, qtbot, monkeypatch, tmp_path):
    """A model whose last figure was measured on 1,000 images: measuring it (the Confusion
    tab's button) gives the whole test set's figure, and the In use line says that one."""
    net = window.session.model.network
    partial = Evaluation(2.0, 979, 1000, False, 0.1, 0.08)
    save_model(tmp_path / "partial.npz", net, history=[partial])
    pick_file(monkeypatch, tmp_path / "partial.npz")
    QTest.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert "97.90 % of the first 1,000 MNIST test images" in window.model_label.text()
    window.tabs.setCurrentWidget(window.confusion)
    qtbot.mouseClick(window.confusion.evaluate_button, Qt.MouseButton.LeftButton)
    wait_idle(window, qtbot)
    latest = one_number_everywhere(window)
    assert latest.complete and latest.total == 2000 and latest.epoch == 2.0
    assert len(window.session.model.timeline) == 1          # the same moment, measured fully
    assert int(window.confusion.matrix.counts.sum()) == 2000


def test_a_fashion_model_opened_under_mnist_switches_to_its_data(
        window, qtbot, monkeypatch, tmp_path, small_mnist_dir, draw):
    folder = tmp_path / "fashion-mnist"
    shutil.copytree(small_mnist_dir, folder)
    net = Network([784, 12, 10], activation="relu", output="softmax", cost="cross-entropy",
                  init="he", seed=3)
    save_model(tmp_path / "fashion.npz", net, dataset=DataSource.fashion(folder),
               history=[Evaluation(1.0, 842, 1000, True)])
    pick_file(monkeypatch, tmp_path / "fashion.npz")
    QTest.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert window.session.dataset.kind == "fashion"           # the window follows the model
    assert window.panel.dataset_combo.currentData() == "fashion"
    assert "reads Fashion-MNIST" in window.model_label.text()
    assert "of the 1,000 Fashion-MNIST test images" in window.model_label.text()
    assert window.prediction.bars.names == FASHION_CLASSES
    assert window.canvas.hint == "Draw clothing here"
    draw(window.canvas, circle(window.canvas))
    assert window.prediction.label.text() in FASHION_CLASSES

    # Where its data is not on this machine, it says so plainly before anyone draws.
    gone = tmp_path / "elsewhere"
    save_model(tmp_path / "gone.npz", net, dataset=DataSource("fashion", str(gone),
                                                              FASHION_CLASSES))
    window.use_shipped_model()
    pick_file(monkeypatch, tmp_path / "gone.npz")
    window.actions.open.trigger()
    assert window.session.dataset.kind == "mnist"
    assert window.banner.isVisible()
    assert "reads clothing (Fashion-MNIST)" in window.banner.text.text()


def test_the_banner_says_only_what_is_true(window, qtbot, small_mnist_dir, tmp_path):
    fashion = tmp_path / "fashion-mnist"
    shutil.copytree(small_mnist_dir, fashion)
    window.panel.fashion_dir = fashion
    combo = window.panel.dataset_combo
    combo.model().item(1).setEnabled(True)
    combo.activated.emit(1)                                   # Data ▸ Fashion-MNIST
    assert window.banner.isVisible() and "reads digits" in window.banner.text.text()
    combo.activated.emit(0)                                   # back to MNIST
    assert not window.banner.isVisible()
    combo.activated.emit(1)
    window.actions.shipped.trigger()                          # File ▸ Use the Shipped Model
    assert window.session.dataset.kind == "mnist" and not window.banner.isVisible()


def test_use_the_shipped_model_shows_its_own_curves_not_the_last_run(window, qtbot):
    shipped = list(window.session.model.timeline)
    configure(window, epochs=1)
    train_with_keys(window, qtbot)
    wait_idle(window, qtbot)
    assert window.plot.records != shipped
    window.actions.shipped.trigger()
    assert window.plot.records == shipped
    assert window.panel.progress_bar.format().startswith("Ready")
    assert "the shipped model" in window.windowTitle() and not window.isWindowModified()
    assert shipped[-1].describe("MNIST") in window.model_label.text()


def test_a_run_that_learns_nothing_keeps_the_previous_model_and_says_why(window, qtbot):
    before = window.session.model
    curves = list(window.plot.records)
    configure(window, epochs=1, eta="1000")
    train_with_keys(window, qtbot)
    wait_idle(window, qtbot)
    text = window.banner.text.text()
    assert "failed to learn" in text and "no better than chance" in text
    assert "previous model (the shipped model) is still in use" in text
    assert window.session.model is before and window.plot.records == curves
    assert not window.isWindowModified()


def test_a_start_that_fails_keeps_the_plot(window, qtbot):
    curves = list(window.plot.records)
    configure(window, hidden="900000, 900000")                # terabytes: refused in one line
    train_with_keys(window, qtbot)
    wait_idle(window, qtbot)
    assert "memory" in window.banner.text.text() and "\n" not in window.banner.text.text()
    assert window.plot.records == curves


def test_an_empty_idx_folder_is_refused_when_chosen(window, monkeypatch, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        staticmethod(lambda *args, **kwargs: str(empty)))
    curves = list(window.plot.records)
    combo = window.panel.dataset_combo
    combo.setCurrentIndex(2)
    combo.activated.emit(2)                                   # Data ▸ IDX folder…
    assert "no train images file" in window.banner.text.text()
    assert combo.currentData() == "mnist" and window.session.dataset.kind == "mnist"
    assert window.plot.records == curves


def test_quitting_with_an_unsaved_trained_model_asks_first(window, qtbot, questions):
    configure(window, epochs=1)
    train_with_keys(window, qtbot)
    wait_idle(window, qtbot)
    questions.answer = QMessageBox.StandardButton.Cancel
    QTest.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)   # File ▸ Quit
    assert questions and questions[-1][0] == "Save the trained model?"
    assert window.isVisible()                                  # Cancel keeps it open
    questions.answer = QMessageBox.StandardButton.Discard
    QTest.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()


def test_a_saved_or_shipped_model_closes_without_a_question(window, questions):
    window.close()
    assert not questions and not window.isVisible()


def test_the_banner_floats_over_the_panels(window, qtbot):
    from nndraw.gui.cards import Card

    cards = window.findChildren(Card)
    assert len(cards) == 4
    before = [c.geometry() for c in cards]
    window.show_message("A long message that would have pushed everything down.")
    qtbot.wait(10)
    assert window.banner.isVisible()
    assert [c.geometry() for c in cards] == before


def test_the_preset_box_says_custom_once_a_field_changes(window, qtbot):
    panel = window.panel
    assert panel.preset_combo.currentText().startswith("Default")
    panel.eta_edit.clear()
    QTest.keyClicks(panel.eta_edit, "0.07")
    assert panel.preset_combo.currentData() == "custom"
    panel.preset_combo.setCurrentIndex(panel.preset_combo.findData("default"))
    panel.preset_combo.activated.emit(panel.preset_combo.currentIndex())
    assert panel.eta_edit.text() == "0.05" and panel.preset_combo.currentData() == "default"
    panel.preset_combo.setCurrentIndex(panel.preset_combo.findData("nielsen"))
    panel.preset_combo.activated.emit(panel.preset_combo.currentIndex())
    assert panel.hidden_edit.text() == "30" and panel.preset_combo.currentData() == "nielsen"


def test_four_digit_counts_fit_their_cells(window):
    matrix = window.confusion.matrix
    counts = np.full((10, 10), 7, np.int64)
    np.fill_diagonal(counts, 1135)
    matrix.set_counts(counts)
    _, _, cell = matrix._geometry()
    from PySide6.QtGui import QFontMetricsF

    font = matrix.count_font(cell)
    assert QFontMetricsF(font).horizontalAdvance("1135") <= cell
    assert font.pointSizeF() < matrix.font().pointSizeF() or cell > 40
    assert not matrix.grab().isNull()                          # paints, titles and all
