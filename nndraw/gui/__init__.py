"""The desktop window. `from nndraw.gui import MainWindow` imports Qt and pyqtgraph on demand,
so `nndraw predict` (which only needs `image_io`) stays quick to start."""

__all__ = ["MainWindow", "main"]


def __getattr__(name):
    if name == "MainWindow":
        from nndraw.gui.main_window import MainWindow

        return MainWindow
    if name == "main":
        from nndraw.gui.app import main

        return main
    raise AttributeError(f"module 'nndraw.gui' has no attribute {name!r}")
