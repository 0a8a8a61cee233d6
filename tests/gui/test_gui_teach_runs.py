"""Teaching the network the person's drawings, the personal set dialog, run files and data
sets, driven from the window."""

import json
import shutil

import numpy as np
from gui_strokes import board_point, circle, vertical_line
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton, QToolButton

from nndraw.data.augment import parse_augment
from nndraw.data.datasets import FASHION_CLASSES
from nndraw.data.idx import read_idx
from nndraw.data.personal import IMAGES, PersonalSet
from nndraw.training.model_io import save_model
from nndraw.training.runs import RUN_MEMBER
from nndraw.training.teach import TEACH_AUGMENT


def strokes(canvas):
    """Three synthetic drawings: a vertical line, a circle, a slanted line."""
    slant = [board_point(canvas, 0.35 + 0.3 * i / 20, 0.8 - 0.6 * i / 20) for i in range(21)]
    return [vertical_line(canvas), circle(canvas), slant]


def keep_all(window, draw, qtbot, digit=7):
    combo = window.prediction.teach_combo
    for points in strokes(window.canvas):
        draw(window.canvas, points)
        # No digit is chosen until the person picks one, so a hasty Keep stores nothing.
        assert combo.currentIndex() == -1 and not window.prediction.keep_button.isEnabled()
        combo.setCurrentIndex(digit)
        assert window.prediction.keep_button.isEnabled()
        qtbot.mouseClick(window.findChild(QToolButton, "keepButton"), Qt.MouseButton.LeftButton)


def test_gui_keep_puts_drawings_on_disk_and_teach_adds_the_second_curve(
        window, qtbot, draw, personal_dir):
    assert not window.prediction.teach_button.isEnabled()          # nothing kept yet
    keep_all(window, draw, qtbot)
    kept = PersonalSet(personal_dir)
    images, labels = kept.images, kept.labels
    assert images.shape == (3, 28, 28) and labels.tolist() == [7, 7, 7]
    assert window.canvas.is_empty()                                 # ready for the next one
    assert window.prediction.personal_button.text() == "Drawings (3)"
    assert window.plot.personal == []
    before = window.session.model.network.predict(images[1].reshape(1, -1) / 255)[0, 7]
    shipped_timeline = list(window.session.model.timeline)
    panel_augment = window.panel.augmentation()
    qtbot.mouseClick(window.findChild(QToolButton, "teachButton"), Qt.MouseButton.LeftButton)
    assert window.is_training()
    # "what the network trains on" shows Teach's own distortions while it teaches
    assert window.strip.settings == parse_augment(TEACH_AUGMENT) != panel_augment
    qtbot.waitUntil(lambda: not window.is_training(), timeout=30_000)
    assert window.strip.settings == panel_augment
    # Teaching continues the model's timeline: the shipped model's epochs, then the
    # teaching segment from its last epoch on, with the second curve: accuracy on the held-out
    # drawing (the second one kept), from where teaching started.
    timeline = window.session.model.timeline
    assert timeline[:len(shipped_timeline)] == shipped_timeline
    taught = timeline[len(shipped_timeline):]
    assert taught and all(r.segment == "teach" for r in taught)
    start = shipped_timeline[-1].epoch
    assert taught[0].epoch == start
    epochs = [r.epoch for r in window.plot.records]
    assert epochs == sorted(epochs)                # forward only
    mine = [r for r in window.plot.records if r.personal is not None]
    assert len(mine) == len(taught) >= 3 and mine[0].epoch == start
    assert window.plot.legend.getLabel(window.plot.personal_curve) is not None
    assert [line.value() for line in window.plot._segment_marks] == [start]
    assert window.plot.accuracy[-1] > 85          # MNIST is not forgotten
    after = window.session.model.network.predict(images[1].reshape(1, -1) / 255)[0, 7]
    assert after > before                         # the held-out drawing moved towards a 7
    assert window.panel.progress_bar.format().startswith("Taught")
    score = timeline[-1].describe("MNIST")        # one number, said the same way everywhere
    assert score in window.model_label.text() and score in window.panel.progress_bar.format()


def test_gui_personal_dialog_reviews_relabels_deletes_and_exports(
        window, qtbot, draw, personal_dir, tmp_path, questions):
    keep_all(window, draw, qtbot, digit=4)
    qtbot.mouseClick(window.findChild(QToolButton, "personalButton"), Qt.MouseButton.LeftButton)
    dialog = window._dialog
    qtbot.waitExposed(dialog)
    assert dialog.grid.count() == 3
    assert [dialog.grid.item(i).text() for i in range(3)] == ["4", "4 · test", "4"]
    dialog.grid.item(0).setSelected(True)
    dialog.label_combo.setCurrentIndex(9)
    qtbot.mouseClick(dialog.findChild(QPushButton, "relabelButton"), Qt.MouseButton.LeftButton)
    assert PersonalSet(personal_dir).labels.tolist() == [9, 4, 4]
    dialog.grid.item(2).setSelected(True)
    delete = dialog.findChild(QPushButton, "deleteButton")
    questions.answer = QMessageBox.StandardButton.Cancel      # Delete asks first
    qtbot.mouseClick(delete, Qt.MouseButton.LeftButton)
    assert questions[-1][0] == "Delete drawings?"
    assert PersonalSet(personal_dir).labels.tolist() == [9, 4, 4]
    questions.answer = QMessageBox.StandardButton.Yes
    qtbot.mouseClick(delete, Qt.MouseButton.LeftButton)
    assert PersonalSet(personal_dir).labels.tolist() == [9, 4]
    assert window.prediction.personal_button.text() == "Drawings (2)"
    undo = dialog.findChild(QPushButton, "undoButton")         # and can be undone
    assert undo.isVisibleTo(dialog)
    qtbot.mouseClick(undo, Qt.MouseButton.LeftButton)
    assert PersonalSet(personal_dir).labels.tolist() == [9, 4, 4]
    assert window.prediction.personal_button.text() == "Drawings (3)"
    assert not undo.isVisibleTo(dialog)
    dialog.grid.item(2).setSelected(True)
    qtbot.mouseClick(delete, Qt.MouseButton.LeftButton)
    assert dialog.export(tmp_path / "export")
    assert read_idx(tmp_path / "export" / "train-labels-idx1-ubyte").tolist() == [9]
    assert read_idx(tmp_path / "export" / "t10k-labels-idx1-ubyte").tolist() == [4]


def test_gui_a_damaged_personal_set_is_reported_not_overwritten(qtbot, small_data, personal_dir):
    from nndraw.gui import MainWindow

    personal_dir.mkdir()
    (personal_dir / IMAGES).write_bytes(b"garbage")
    window = MainWindow(data=small_data)
    qtbot.addWidget(window)
    assert "personal-images" in window.banner.text.text()
    assert not window.prediction.keep_button.isVisibleTo(window)
    assert (personal_dir / IMAGES).read_bytes() == b"garbage"
    window.close()


def train(window, qtbot, epochs=1, hidden="16"):
    window.panel.hidden_edit.setText(hidden)
    window.panel.epochs_spin.setValue(epochs)
    window.findChild(QPushButton, "trainButton").click()
    qtbot.waitUntil(lambda: not window.is_training(), timeout=30_000)


def test_gui_run_files_restore_the_curves_resume_and_compare(window, qtbot, tmp_path, small_data):
    from nndraw.gui import MainWindow

    train(window, qtbot)
    curve = list(window.plot.accuracy)
    assert window.save_run(tmp_path / "first.npz")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("first")] == ["first.npz"]
    saved = json.loads(str(np.load(tmp_path / "first.npz")[RUN_MEMBER]))
    assert saved["config"]["sizes"] == [784, 16, 10] and saved["seed"] == 0
    assert len(saved["evaluations"]) == 10
    assert saved["dataset"]["kind"] == "mnist"

    other = MainWindow(data=small_data, evals_per_epoch=10, subset=500)
    qtbot.addWidget(other)
    assert other.open_run(tmp_path / "first.json")
    assert other.plot.accuracy == curve
    assert [r.epoch for r in other.plot.records if r.complete] == [1.0]
    assert other.panel.hidden_edit.text() == "16"
    images = small_data[1].images[:10]
    np.testing.assert_allclose(other.session.model.network.predict(images),
                               window.session.model.network.predict(images), atol=1e-6)
    # Resume on a finished run: the curve goes on from epoch 1 to 2, from the saved weights.
    other.resume_training()
    qtbot.waitUntil(lambda: not other.is_training(), timeout=30_000)
    epochs = [r.epoch for r in other.plot.records]
    assert epochs[:10] == [r.epoch for r in window.plot.records] and epochs[-1] == 2.0
    assert [r.epoch for r in other.plot.records if r.complete] == [1.0, 2.0]
    assert [r.segment for r in other.session.model.timeline][-1] == "resume"
    # Compare: a second run's accuracy as a dashed curve.
    assert other.compare_run(tmp_path / "first.npz")
    xs, ys = other.plot.compare_curve.getData()
    np.testing.assert_allclose(ys, curve)
    assert other.plot.legend.getLabel(other.plot.compare_curve).text == "first (accuracy)"
    other.close()


def test_gui_bad_run_files_give_a_clear_message(window, tmp_path):
    save_model(tmp_path / "r.npz", window.session.model.network, texts={RUN_MEMBER: "{broken"})
    assert not window.open_run(tmp_path / "r.npz")
    assert "r.npz: not a readable run file" in window.banner.text.text()
    assert not window.compare_run(tmp_path / "nothing.json")
    assert "nothing.json: no such run file" in window.banner.text.text()


def test_gui_fashion_is_disabled_with_the_reason_when_missing(qtbot, small_data, tmp_path):
    from nndraw.gui import MainWindow

    window = MainWindow(data=small_data, fashion_dir=tmp_path / "nowhere")
    qtbot.addWidget(window)
    item = window.panel.dataset_combo.model().item(1)
    assert not item.isEnabled() and "nowhere is missing" in item.toolTip()
    window.close()


def test_gui_fashion_names_the_classes_and_asks_for_training(
        qtbot, small_data, small_mnist_dir, tmp_path, draw):
    from nndraw.gui import MainWindow

    fashion = tmp_path / "fashion-mnist"          # any IDX files stand in for the clothing
    shutil.copytree(small_mnist_dir, fashion)
    window = MainWindow(data=small_data, fashion_dir=fashion, evals_per_epoch=2, subset=200)
    qtbot.addWidget(window)
    window.show()
    combo = window.panel.dataset_combo
    assert combo.model().item(1).isEnabled()
    combo.setCurrentIndex(1)
    combo.activated.emit(1)
    # The digits model still reads digits, and everything says so plainly.
    assert window.prediction.bars.names[0] == "0"
    assert window.canvas.hint == "Draw clothing here"
    assert "reads digits (MNIST)" in window.banner.text.text() and window.banner.isVisible()
    draw(window.canvas, circle(window.canvas))
    assert "This model reads digits, not clothing" in window.prediction.confidence.text()
    assert window.prediction.label.text() == "–"
    train(window, qtbot)
    assert window.prediction.label.text() in FASHION_CLASSES
    assert window.prediction.bars.names == FASHION_CLASSES
    assert window.confusion.matrix.names == FASHION_CLASSES
    assert window.session.model.dataset.kind == "fashion"
    assert "reads Fashion-MNIST" in window.model_label.text()
    assert "Fashion-MNIST test images" in window.model_label.text()
    assert not window.banner.isVisible()           # it is true no longer
    # Back to MNIST: the clothing model is now the one that does not fit.
    combo.setCurrentIndex(0)
    combo.activated.emit(0)
    assert "This model reads clothing, not digits" in window.prediction.confidence.text()
    assert "reads clothing (Fashion-MNIST)" in window.banner.text.text()
    window.close()


def test_gui_any_idx_folder_trains(qtbot, small_data, small_mnist_dir):
    from nndraw.gui import MainWindow

    window = MainWindow(data=small_data, evals_per_epoch=2, subset=200)
    qtbot.addWidget(window)
    window.panel.set_dataset("folder", small_mnist_dir)
    assert window.panel.dataset_combo.currentText() == f"Folder: {small_mnist_dir.name}"
    train(window, qtbot)
    assert window.confusion.matrix.counts.sum() == 500    # the folder's own test set
    window.close()


def test_gui_a_run_with_huge_settings_or_a_pipe_beside_it_is_refused_in_one_line(window,
                                                                                tmp_path):
    import os

    before = window.session.model.network
    window.save_run(tmp_path / "r.npz")
    data = json.loads(str(np.load(tmp_path / "r.npz")[RUN_MEMBER]))
    data["config"]["epochs"] = 3_000_000_000
    save_model(tmp_path / "huge.npz", before, texts={RUN_MEMBER: json.dumps(data)})
    assert not window.open_run(tmp_path / "huge.npz")
    text = window.banner.text.text()
    assert "huge.npz: not a valid run file" in text and "epochs" in text and "\n" not in text
    assert window.session.model.network is before      # the model was not switched
    save_model(tmp_path / "old.npz", before)           # an older run: model + .json
    os.mkfifo(tmp_path / "old.json")
    assert not window.open_run(tmp_path / "old.npz")    # returns: does not hang on the pipe
    assert "old.json: not a regular file" in window.banner.text.text()
