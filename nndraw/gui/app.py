"""Start the window: one QApplication, the main window, the event loop, an exit status."""

import sys

from PySide6.QtWidgets import QApplication

from nndraw.gui.icon import app_icon
from nndraw.gui.settings import APPLICATION, ORGANIZATION


def application():
    """The running QApplication, created (named, with its icon) if there is none yet."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
        app.setOrganizationName(ORGANIZATION)
        app.setApplicationName(APPLICATION)
        app.setApplicationDisplayName("nndraw")
        app.setDesktopFileName("nndraw")
        app.setWindowIcon(app_icon())
    return app


def main(model=None):
    """Open the window (with the model file `model`, or the shipped one) and return the exit
    status when it closes. Raises NndrawError if `model` cannot be loaded."""
    from nndraw.gui.main_window import MainWindow
    from nndraw.training.model_io import load_model

    app = application()
    network = load_model(model) if model else None  # a bad file: one line on stderr, status 1
    window = MainWindow(network=network)
    window.show()
    return app.exec()
