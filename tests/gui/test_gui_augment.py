"""The Robust preset in the window: chosen from the panel, its time shown before it starts,
augmentation and dropout settings, and the strip of what the network trains on."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QLineEdit, QPushButton

from nndraw.gui.augment_strip import AugmentStrip


def _duration_of(text):
    return text.split(" here")[0]


def choose_preset(window, qtbot, name):
    combo = window.findChild(QComboBox, "presetCombo")
    combo.setFocus()
    target = combo.findData(name)
    key = Qt.Key.Key_Down if target > combo.currentIndex() else Qt.Key.Key_Up
    while combo.currentIndex() != target:
        QTest.keyClick(combo, key)
    return combo


def test_the_robust_preset_can_be_chosen_and_says_how_long_it_takes(window, qtbot):
    choose_preset(window, qtbot, "robust")
    panel = window.panel
    assert panel.hidden_edit.text() == "800"
    assert window.findChild(QLineEdit, "augmentEdit").text() == "affine=1, elastic=0.5, pen=0.5"
    estimate = panel.progress_bar.format()
    assert estimate.startswith("Ready · about ") and "s per epoch, timed" in estimate
    seconds = panel.estimated_seconds()
    panel.epochs_spin.lineEdit().selectAll()
    qtbot.keyClicks(panel.epochs_spin.lineEdit(), "30")          # a third of the epochs
    assert panel.estimated_seconds() == pytest.approx(seconds / 3)
    assert _duration_of(estimate) != _duration_of(panel.progress_bar.format())
    config = panel.config()
    assert config.augment == (1.0, 0.5, 0.5) and config.sizes == (784, 800, 10)


def test_augmentation_and_dropout_typed_in_the_panel_train(window, qtbot):
    panel = window.panel
    panel.hidden_edit.setText("16")
    panel.epochs_spin.setValue(200)
    augment = window.findChild(QLineEdit, "augmentEdit")
    augment.selectAll()
    qtbot.keyClicks(augment, "affine=0.5, pen=1")
    dropout = window.findChild(QLineEdit, "dropoutEdit")
    qtbot.keyClicks(dropout, "0.2")
    strip = window.findChild(AugmentStrip, "augmentStrip")
    assert strip.settings.as_tuple() == (0.5, 0.0, 1.0)
    before = [image.bits().tobytes() for image in strip.images]
    qtbot.mouseClick(window.findChild(QPushButton, "trainButton"), Qt.MouseButton.LeftButton)
    assert window.is_training() and strip.timer.isActive()
    qtbot.waitUntil(lambda: [image.bits().tobytes() for image in strip.images] != before,
                    timeout=10_000)                 # redrawn while it trains
    qtbot.mouseClick(window.findChild(QPushButton, "stopButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.is_training(), timeout=30_000)
    assert not strip.timer.isActive()
    config = window.panel.config()
    assert config.augment == (0.5, 0.0, 1.0) and config.dropout == (0.0, 0.2)


def test_a_bad_augmentation_is_refused_inline(window, qtbot):
    augment = window.findChild(QLineEdit, "augmentEdit")
    augment.selectAll()
    qtbot.keyClicks(augment, "twist=1")
    qtbot.mouseClick(window.findChild(QPushButton, "trainButton"), Qt.MouseButton.LeftButton)
    assert not window.is_training()
    assert "unknown augmentation 'twist'" in window.panel.error_label.text()


def test_the_strip_shows_plain_digits_when_augmentation_is_off(qtbot):
    strip = AugmentStrip()
    qtbot.addWidget(strip)
    strip.set_settings("off")
    first = [image.bits().tobytes() for image in strip.images]
    strip.refresh()
    assert [image.bits().tobytes() for image in strip.images] == first
    assert "augmentation off" in strip.caption()
    strip.set_settings("on")
    moved = [image.bits().tobytes() for image in strip.images]
    assert moved != first and len(moved) == strip.count
