"""A message line floating over the top of the window, so errors stay in view without a modal
dialog that would block the person (and the tests) until dismissed, and nothing beneath it
moves when it appears."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton


class MessageBanner(QFrame):
    """A dismissible line at the top of the window: errors stay visible without blocking."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("messageBanner")
        self.text = QLabel()
        self.text.setObjectName("messageText")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton()
        close.setText("✕")
        close.setAutoRaise(True)
        close.setToolTip("Dismiss")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 8, 8)
        layout.addWidget(self.text, 1)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.error = False
        self.setAutoFillBackground(True)
        self.hide()

    def show_message(self, text, error=True):
        colour = "#d64541" if error else "palette(highlight)"
        self.error = error
        self.setStyleSheet(f"QFrame#messageBanner {{ border: 1px solid {colour}; "
                           f"border-radius: 8px; background: palette(base); }}")
        self.text.setText(text)
        self.show()
        self.raise_()
        self.place()

    def is_error(self):
        """True while an error (not a notice) is shown."""
        return self.isVisible() and self.error

    def place(self):
        """Lie across the top of the parent, over whatever is there."""
        parent = self.parentWidget()
        if parent is None:
            return
        width = parent.width() - 28
        self.setGeometry(14, 6, width, self.heightForWidth(width) if self.hasHeightForWidth()
                         else self.sizeHint().height())
