"""Reading the drawing: every stroke is read with the model in use, as a number piece by piece
(nndraw.reading, with the judge's "not a digit") or, where that does not apply, as one image of
the model's own classes; the prediction view, the canvas's boxes and the hidden units follow.

A mixin for the window (like file_dialogs.FileMenu): it needs the window's `session`, `canvas`,
`prediction`, `hidden_units`, and keeps the latest ink in `_ink` and its reading in `_reading`.
"""

import numpy as np

from nndraw.data.preprocess import mnist_stages
from nndraw.errors import NndrawError
from nndraw.reading import read_ink


class ReadsDrawing:
    _ink = None
    _reading = None             # the drawing read as a number (nndraw.reading)

    def clear_drawing(self):
        self.canvas.clear()

    def _on_drawing_changed(self, ink):
        self._ink = ink
        self._predict()

    def _predict(self):
        """Read the drawing with the model in use and show the result (and each stage)."""
        if self._read_number():
            return
        self._reading = None
        self.canvas.show_pieces([])
        stages = mnist_stages(self._ink) if self._ink is not None else None
        image = stages.image if stages is not None else np.zeros((28, 28), np.float32)
        ink = self._ink if self._ink is not None else np.zeros((28, 28), np.float32)
        self.hidden_units.set_input(image)
        model = self.session.model
        if model is None or not image.any():
            self.prediction.show_prediction(None, image, stages, ink)
            return
        probabilities = model.network.predict(image.reshape(1, -1))[0]
        hint = None
        if self.session.notice():
            hint = f"This model reads {model.dataset.things}, not {self.session.dataset.things}"
        self.prediction.show_prediction(probabilities, image, stages, ink, hint)

    def _read_number(self):
        """Digits on the canvas: read them as a number, piece by piece, and show it; False
        where that does not apply (blank, no model, or a model of other classes)."""
        model = self.session.model
        if model is None or self._ink is None or model.network.sizes[0] != 784 or \
                not model.dataset.reads_digits or self.session.notice():
            return False
        try:
            self._reading = read_ink(self._ink, model.network)
        except NndrawError:         # the judge's file is missing or damaged: read one digit
            return False
        if self._reading.blank:
            return False
        chosen = self.canvas.show_pieces([(d.box, d.label, not d.is_digit)
                                          for d in self._reading.digits])
        self.prediction.show_reading(self._reading, chosen, self._ink)
        self.hidden_units.set_input(self._reading.digits[chosen].image)
        return True

    def _on_piece_chosen(self, index):
        if self._reading is not None and 0 <= index < len(self._reading.digits):
            self.prediction.choose_piece(index)
            self.hidden_units.set_input(self._reading.digits[index].image)

