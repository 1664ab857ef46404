"""Choosing one's own data from the training panel: a CSV file (then its target and feature
columns), a NumPy ``.npz`` file, or a folder of images (one subfolder per class). Each choice
becomes the data spec the engine reads (``csv:…?target=…``), so the window and the command
line take the same data the same way.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from urllib.parse import quote

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QListWidget,
    QListWidgetItem, QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout,
)

PEEK_BYTES = 256 * 1024  # enough for the header and the first rows of any CSV
PREVIEW_ROWS = 5


class CsvPeekError(ValueError):
    pass


def peek_csv(path: str | Path) -> tuple[list[str], list[list[str]]]:
    """The header and the first rows of a CSV file, read as the engine reads it (UTF-8 or the
    Windows code page; comma, semicolon or tab, whichever the first line uses most)."""
    path = Path(path)
    try:
        with open(path, "rb") as f:
            raw = f.read(PEEK_BYTES)
    except OSError as exc:
        raise CsvPeekError(f"{path}: {exc.strerror or exc}") from None
    from ...data.tabular import decode, delimiter_of

    lines = decode(raw).splitlines()
    if len(raw) == PEEK_BYTES and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut
    delimiter = delimiter_of(lines[0] if lines else "")
    rows = [[c.strip() for c in r] for r in csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
            if any(c.strip() for c in r)]
    if not rows:
        raise CsvPeekError(f"{path.name} is empty")
    return rows[0], rows[1:1 + PREVIEW_ROWS]


def csv_spec(path: str | Path, target: str, features: list[str] | None = None, task: str = "") -> str:
    """``csv:PATH?target=…[&features=…][&task=…]``; names are %-escaped so any header works."""
    spec = f"csv:{path}?target={quote(target, safe='')}"
    if features:
        spec += "&features=" + ",".join(quote(f, safe="") for f in features)
    if task:
        spec += f"&task={task}"
    return spec


def images_spec(folder: str | Path, size: int, gray: bool) -> str:
    return f"images:{folder}?size={size}" + ("&gray=1" if gray else "")


class ColumnPicker(QDialog):
    """Which column to predict, and which to learn from, with the first rows to see them by."""

    def __init__(self, path: str | Path, header: list[str], rows: list[list[str]], parent=None) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.header = header
        self.setWindowTitle(self.tr("Columns of {name}").format(name=self.path.name))
        self.setObjectName("column-picker")
        table = QTableWidget(len(rows), len(header))
        table.setObjectName("csv-rows")
        table.setHorizontalHeaderLabels(header)
        table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        for i, row in enumerate(rows):
            for j, cell in enumerate(row[:len(header)]):
                table.setItem(i, j, QTableWidgetItem(cell))
        table.resizeColumnsToContents()
        table.setMaximumHeight(table.verticalHeader().defaultSectionSize() * (len(rows) + 2) + 8)
        self.target = QComboBox()
        self.target.setObjectName("target")
        self.target.addItems(header)
        self.target.setCurrentIndex(len(header) - 1)  # the engine's default: the last column
        self.features = QListWidget()
        self.features.setObjectName("features")
        for name in header:
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Checked)
            self.features.addItem(item)
        self.task = QComboBox()
        self.task.setObjectName("task")
        self.task.addItem(self.tr("decided from the target column"), "")
        self.task.addItem(self.tr("classification (the target holds classes)"), "classification")
        self.task.addItem(self.tr("regression (the target is a number to predict)"), "regression")
        self.target.currentIndexChanged.connect(self._target_changed)
        self._target_changed()
        form = QFormLayout()
        form.addRow(self.tr("Predict"), self.target)
        form.addRow(self.tr("Learn from"), self.features)
        form.addRow(self.tr("Task"), self.task)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok = buttons.button(QDialogButtonBox.Ok)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #c03535;")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("The first rows:")))
        layout.addWidget(table)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.features.itemChanged.connect(lambda _: self._check())
        self._check()

    def _target_changed(self) -> None:
        target = self.target.currentIndex()
        self.features.blockSignals(True)
        for i in range(self.features.count()):
            item = self.features.item(i)
            if i == target:  # the target is never also a feature
                item.setCheckState(Qt.Unchecked)
                item.setFlags(item.flags() & ~Qt.ItemIsEnabled)
            else:
                item.setFlags(item.flags() | Qt.ItemIsEnabled)
                if item.checkState() == Qt.Unchecked and getattr(self, "_last_target", None) == i:
                    item.setCheckState(Qt.Checked)  # the old target goes back among the features
        self.features.blockSignals(False)
        self._last_target = target
        if hasattr(self, "problem"):
            self._check()

    def chosen_features(self) -> list[str]:
        return [self.features.item(i).text() for i in range(self.features.count())
                if self.features.item(i).checkState() == Qt.Checked and i != self.target.currentIndex()]

    def _check(self) -> None:
        none = not self.chosen_features()
        self.problem.setText(self.tr("Choose at least one column to learn from.") if none else "")
        self.ok.setEnabled(not none)

    def spec(self) -> str:
        features = self.chosen_features()
        others = [h for i, h in enumerate(self.header) if i != self.target.currentIndex()]
        return csv_spec(self.path, self.target.currentText(), None if features == others else features,
                        self.task.currentData())


class ImageOptions(QDialog):
    """The size every image is resized to, and whether to read it in grey."""

    def __init__(self, folder: str | Path, parent=None) -> None:
        super().__init__(parent)
        self.folder = Path(folder)
        self.setWindowTitle(self.tr("Images in {name}").format(name=self.folder.name or str(self.folder)))
        classes = sorted(p.name for p in self.folder.iterdir() if p.is_dir()) if self.folder.is_dir() else []
        self.size = QSpinBox()
        self.size.setObjectName("size")
        self.size.setRange(4, 1024)
        self.size.setValue(28)
        self.size.setSuffix(" px")
        self.gray = QCheckBox(self.tr("Grey (1 channel instead of 3)"))
        self.gray.setObjectName("gray")
        form = QFormLayout(self)
        note = QLabel(self.tr("{n} classes: {names}").format(n=len(classes), names=", ".join(classes[:12]) +
                                                            (" …" if len(classes) > 12 else ""))
                      if classes else self.tr("No subfolders: put the images of each class in a folder of its own."))
        note.setWordWrap(True)
        form.addRow(note)
        form.addRow(self.tr("Resize to (square)"), self.size)
        form.addRow("", self.gray)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def spec(self) -> str:
        return images_spec(self.folder, self.size.value(), self.gray.isChecked())
