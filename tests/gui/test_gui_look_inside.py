"""Looking inside the network from the window: the preprocessing stages, the hidden units,
the confusion matrix and its gallery, each driven with real mouse events."""

import numpy as np
from gui_strokes import MOVE, NONE, board_point, circle, send, vertical_line
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QPushButton

from nndraw.data.preprocess import mnist_stages


def test_gui_stages_show_each_step_of_the_drawing(window, draw):
    strip = window.prediction.stages
    assert strip.images == [None] * 5
    # A short stroke high in the left corner: cropping and centring must move it.
    draw(window.canvas, [board_point(window.canvas, 0.15, 0.1 + 0.02 * i) for i in range(12)])
    stages = mnist_stages(window.canvas.ink())
    assert all(image is not None for image in strip.images)
    assert strip.images[1].width() == stages.crop.shape[1]
    assert (strip.images[2].width(), strip.images[2].height()) == (20, 20)
    last = strip.images[4]
    shown = np.array([[last.pixelColor(c, r).value() for c in range(28)] for r in range(28)])
    np.testing.assert_allclose(shown, np.round(stages.image * 255), atol=1)
    assert strip.mass is not None
    window.canvas.clear()
    assert strip.images == [None] * 5


def test_gui_hidden_units_show_the_first_layer_and_hovering_names_a_unit(window, qtbot, draw):
    view = window.hidden_units
    weights, biases = window.session.model.network.host_parameters()
    assert view.weights.shape == (256, 784)
    window.tabs.setCurrentWidget(view)
    draw(window.canvas, circle(window.canvas))
    qtbot.waitUntil(lambda: view.graphics.isVisible())
    # Hover the middle of unit 5's tile with a real mouse move over the view.
    step = 30
    row, col = divmod(5, view.columns)
    scene = view.image.mapToScene(col * step + 14, row * step + 14)
    pos = view.graphics.mapFromScene(scene)
    send(view.graphics.viewport(), MOVE, pos, NONE, NONE)
    qtbot.waitUntil(lambda: view.hovered == 5)
    image = window.prediction.stages.images[4]
    x = np.array([[image.pixelColor(c, r).value() for c in range(28)]
                  for r in range(28)], float).reshape(-1) / 255
    expected = max(0.0, weights[0][5] @ x + biases[0][5, 0])
    text = view.info.text()
    assert text.startswith("Unit 5: fires ")
    assert abs(float(text.split("fires ")[1].split()[0]) - expected) < 0.05
    # Between tiles there is no unit.
    assert view.unit_at(28.5, 3) is None and view.unit_at(31, 3) == 1


def test_gui_hidden_units_follow_training(window, qtbot):
    view = window.hidden_units
    shown = []
    original = view.set_network_weights

    def spy(weights, biases, activation):
        original(weights, biases, activation)
        shown.append(view.image.image.copy())

    view.set_network_weights = spy
    window.panel.hidden_edit.setText("16")
    window.panel.epochs_spin.setValue(1)
    window.findChild(QPushButton, "trainButton").click()
    qtbot.waitUntil(lambda: not window.is_training(), timeout=20_000)
    assert view.weights.shape == (16, 784)
    assert len(shown) == window.plot.point_count() == 10   # at each evaluation
    assert not np.array_equal(shown[0], shown[-1])              # the units change as it learns
    np.testing.assert_allclose(view.weights, window.session.model.network.host_parameters()[0][0],
                               rtol=1e-6)


def measured(window, qtbot):
    window.tabs.setCurrentWidget(window.confusion)
    window.findChild(QPushButton, "evaluateButton").click()
    qtbot.waitUntil(lambda: not window.is_training(), timeout=20_000)
    return window.confusion


def test_gui_confusion_cell_opens_its_images_largest_mistake_first(window, qtbot, small_data):
    panel = measured(window, qtbot)
    counts = panel.matrix.counts
    test = small_data[1]
    assert counts.sum() == len(test.labels) == 2000
    probabilities = window.session.model.network.predict(test.images)
    expected = np.zeros((10, 10), int)
    np.add.at(expected, (test.labels, probabilities.argmax(axis=1)), 1)
    np.testing.assert_array_equal(counts, expected)
    mistakes = counts - np.diag(np.diag(counts))
    row, col = np.unravel_index(mistakes.argmax(), mistakes.shape)
    centre = panel.matrix.cell_rect(row, col).center()
    qtbot.mouseClick(panel.matrix, Qt.MouseButton.LeftButton,
                     pos=QPoint(round(centre.x()), round(centre.y())))
    gallery = panel.gallery
    assert gallery.count() == counts[row, col] > 0
    shown = [gallery.item(i).data(Qt.ItemDataRole.UserRole) for i in range(gallery.count())]
    assert all(test.labels[i] == row and probabilities[i].argmax() == col for i in shown)
    confidence = probabilities[shown, col]
    assert np.all(np.diff(confidence) <= 1e-6), "not sorted largest mistake first"
    n = counts[row, col]
    assert panel.title.text().startswith(
        f"{n} test image{'s' if n != 1 else ''} of {row} read as {col}")
    # Clicking an image shows its probabilities.
    second = gallery.visualItemRect(gallery.item(min(1, gallery.count() - 1))).center()
    qtbot.mouseClick(gallery.viewport(), Qt.MouseButton.LeftButton, pos=second)
    chosen = shown[min(1, gallery.count() - 1)]
    np.testing.assert_allclose(panel.bars.probabilities, probabilities[chosen], atol=1e-5)


def test_gui_confusion_refreshes_at_each_evaluation(window, qtbot):
    seen = []
    window.panel.hidden_edit.setText("16")
    window.panel.epochs_spin.setValue(1)
    original = window.confusion.set_evaluation

    def spy(test, evaluation, confusion):
        seen.append(int(confusion.sum()))
        assert len(test.labels) == evaluation.total == int(confusion.sum())
        original(test, evaluation, confusion)

    window.confusion.set_evaluation = spy
    window.findChild(QPushButton, "trainButton").click()
    qtbot.waitUntil(lambda: not window.is_training(), timeout=20_000)
    assert len(seen) == window.plot.point_count() == 10
    assert seen[:-1] == [500] * 9 and seen[-1] == 2000     # partial subsets, then all


def test_gui_vertical_line_reads_as_one_with_the_stages(window, draw):
    draw(window.canvas, vertical_line(window.canvas))
    assert window.prediction.label.text() == "1"
    assert window.prediction.stages.images[1].width() < window.prediction.stages.images[1] \
        .height()
