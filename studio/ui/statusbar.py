"""The status bar: a message is wrapped onto as many lines as it takes, never cut by the counters
beside it (a line cut short hid the fix at its end)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QSizePolicy, QStatusBar


class MessageBar(QStatusBar):
    """``showMessage`` / ``clearMessage`` / ``currentMessage`` as QStatusBar's, shown in a
    word-wrapped label left of the permanent widgets instead of a single painted line."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.note = QLabel()
        self.note.setObjectName("status-message")
        self.note.setTextFormat(Qt.PlainText)  # a message is text, never markup
        self.note.setWordWrap(True)
        self.note.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.note.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)  # its width: what is left
        self.addWidget(self.note, 1)
        self._expiry = QTimer(self)
        self._expiry.setSingleShot(True)
        self._expiry.timeout.connect(self.clearMessage)

    def showMessage(self, text: str, timeout: int = 0) -> None:  # noqa: N802 (Qt's name)
        self.note.setText(text)
        if timeout > 0:
            self._expiry.start(timeout)
        else:
            self._expiry.stop()
        self.messageChanged.emit(text)

    def clearMessage(self) -> None:  # noqa: N802
        self._expiry.stop()
        if self.note.text():
            self.note.clear()
            self.messageChanged.emit("")

    def currentMessage(self) -> str:  # noqa: N802
        return self.note.text()
