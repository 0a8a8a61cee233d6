"""Help ▸ About: what nndraw is and where it comes from."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from nndraw.gui.icon import app_icon


def show_about(parent):
    box = QMessageBox(QMessageBox.Icon.Information, "About nndraw",
                      "<b>nndraw</b><br>Draw a digit and watch a neural network read it; "
                      "train one on MNIST from scratch.<br><br>After Michael Nielsen's "
                      "<i>Neural Networks and Deep Learning</i>.", QMessageBox.StandardButton.Ok,
                      parent)
    box.setIconPixmap(app_icon().pixmap(64, 64))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
