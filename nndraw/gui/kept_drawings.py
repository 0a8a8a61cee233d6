"""Keeping the person's drawings: where they live, Keep, and the dialog that reviews them.

A mixin for the window (like file_dialogs.FileMenu): it needs the window's `session`, `canvas`,
`prediction`, `runs`, `show_message` and the latest ink in `_ink`.
"""

import os

from PySide6.QtCore import QStandardPaths

from nndraw.data.personal import PersonalSet
from nndraw.data.preprocess import mnist_stages
from nndraw.errors import NndrawError
from nndraw.gui.personal_dialog import PersonalSetDialog


class KeptDrawings:
    _dialog = None

    def _open_personal_set(self, folder):
        folder = folder or os.environ.get("NNDRAW_DATA_DIR") or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.AppDataLocation)
        try:
            self.session.personal = PersonalSet(folder)
        except NndrawError as exc:
            self.show_message(f"Your kept drawings could not be read ({exc}); keeping new "
                              "drawings is off, and nothing was deleted.")
        personal = self.session.personal
        self.prediction.set_personal_count(len(personal) if personal else 0)
        self.prediction.set_keeping(personal is not None)

    def keep_drawing(self, label):
        """Keep the drawing (as the 28x28 the network sees) as the digit `label`; in a number,
        the digit chosen on the canvas."""
        personal = self.session.personal
        if personal is None or self._ink is None:
            return False
        reading = self._reading
        if reading is not None and len(reading.digits) > 1:
            image = reading.digits[self.prediction.chosen].image
        else:
            image = mnist_stages(self._ink).image
        if not image.any():
            return False
        try:
            personal.add(image, label)
        except NndrawError as exc:
            self.show_message(f"Could not keep the drawing: {exc}")
            return False
        count = len(personal)
        self.prediction.set_personal_count(count)
        self.prediction.teach_button.setEnabled(not self.runs.is_running())
        self.statusBar().showMessage(f"Kept as a {label}: {count} drawing"
                                     f"{'s' if count != 1 else ''} of yours. Press Teach to "
                                     "teach the network.", 8000)
        self.canvas.clear()
        return True

    def show_personal_set(self):
        personal = self.session.personal
        if personal is None:
            return
        if self._dialog is None:
            self._dialog = PersonalSetDialog(personal, self)
            self._dialog.changed.connect(lambda: self.prediction.set_personal_count(
                len(self.session.personal)))
        self._dialog.refresh()
        self._dialog.show()

