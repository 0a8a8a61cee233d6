"""Choosing files: the open and save dialogs for models and runs, starting in the folder last
used (remembered in the settings)."""

import os

from PySide6.QtWidgets import QFileDialog

from nndraw.gui.settings import open_settings

MODEL_FILTER = "nndraw models (*.npz);;All files (*)"
RUN_FILTER = "nndraw runs (*.npz *.json);;All files (*)"


def last_folder():
    return open_settings().value("folder", os.path.expanduser("~"))


def _remember(path):
    if path:
        open_settings().setValue("folder", os.path.dirname(path))
    return path


def ask_open(parent, title, name_filter):
    """A file to open, or '' if the person cancelled."""
    path, _ = QFileDialog.getOpenFileName(parent, title, last_folder(), name_filter)
    return _remember(path)


def ask_save(parent, title, name_filter, current=None, default_name="nndraw-model.npz"):
    """A path to save to (with .npz added when it has no extension), or '' if cancelled."""
    start = os.path.splitext(current)[0] + ".npz" if current else \
        os.path.join(last_folder(), default_name)
    path, _ = QFileDialog.getSaveFileName(parent, title, start, name_filter)
    if path and not os.path.splitext(path)[1]:
        path += ".npz"
    return _remember(path)


class FileMenu:
    """The File menu's dialog commands, for a window with open_model, save_model, open_run,
    save_run and compare_run methods and a `session`."""

    def open_model_dialog(self):
        path = ask_open(self, "Open Model", MODEL_FILTER)
        if path:
            self.open_model(path)

    def save_model_dialog(self):
        model = self.session.model
        path = ask_save(self, "Save Model", MODEL_FILTER,
                                     model.path if model else None)
        if path:
            self.save_model(path)

    def open_run_dialog(self):
        path = ask_open(self, "Open Run", RUN_FILTER)
        if path:
            self.open_run(path)

    def save_run_dialog(self):
        model = self.session.model
        path = ask_save(self, "Save Run", RUN_FILTER,
                                     model.path if model else None, "nndraw-run.npz")
        if path:
            self.save_run(path)

    def compare_run_dialog(self):
        path = ask_open(self, "Compare with Run", RUN_FILTER)
        if path:
            self.compare_run(path)

