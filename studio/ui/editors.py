"""One editor widget per parameter kind of the layer declarations (``Param.kind``): spin boxes
with the declared ranges, combo boxes for choices, check boxes, pair and list editors.

Every editor emits ``edited(value)`` with a candidate value (the inspector validates it with
the declaration before it becomes an edit) and takes ``set_value`` without emitting.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QHBoxLayout, QLineEdit, QSpinBox, QToolButton, QWidget,
)

from ..layers import Param

INT_LIMIT = 2**31 - 1


def _spin(p: Param) -> QSpinBox:
    s = QSpinBox()
    lo = int(p.min) if p.min is not None else -INT_LIMIT
    hi = int(p.max) if p.max is not None else INT_LIMIT
    s.setRange(max(lo, -INT_LIMIT), min(hi, INT_LIMIT))
    s.setAccelerated(True)
    return s


class Editor(QWidget):
    edited = Signal(object)  # a value to apply
    typing = Signal(object)  # a value being typed (checked, not yet applied)

    def __init__(self, param: Param, parent=None) -> None:
        super().__init__(parent)
        self.param = param
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSpacing(4)

    def set_value(self, value: Any) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def _emit(self, *_: Any) -> None:
        self.edited.emit(self.value())

    def value(self) -> Any:  # pragma: no cover - interface
        raise NotImplementedError


class IntEditor(Editor):
    def __init__(self, param: Param, parent=None) -> None:
        super().__init__(param, parent)
        self.spin = _spin(param)
        self.row.addWidget(self.spin)
        self.spin.valueChanged.connect(self._emit)

    def value(self) -> int:
        return self.spin.value()

    def set_value(self, value: Any) -> None:
        with QSignalBlocker(self.spin):
            if isinstance(value, int) and self.spin.value() != value:
                self.spin.setValue(value)


class FloatEditor(Editor):
    """A number in a text field: learning rates and epsilons span many magnitudes (1e-5 …),
    which a fixed-decimals spin box cannot show."""

    def __init__(self, param: Param, parent=None) -> None:
        super().__init__(param, parent)
        self.line = QLineEdit()
        self.row.addWidget(self.line)
        self.line.textEdited.connect(lambda _: self.typing.emit(self.value()))
        self.line.editingFinished.connect(self._emit)  # Enter or leaving the field applies it

    def value(self) -> Any:
        text = self.line.text().strip().replace(",", ".")
        try:
            return float(text)
        except ValueError:
            return text  # not a number: the declaration's check says so

    def set_value(self, value: Any) -> None:
        if isinstance(value, (int, float)) and self.value() != value:
            self.line.setText(f"{value:g}" if abs(value) >= 1e-4 or value == 0 else repr(float(value)))


class BoolEditor(Editor):
    def __init__(self, param: Param, parent=None) -> None:
        super().__init__(param, parent)
        self.box = QCheckBox()
        self.row.addWidget(self.box)
        self.row.addStretch(1)
        self.box.toggled.connect(self._emit)

    def value(self) -> bool:
        return self.box.isChecked()

    def set_value(self, value: Any) -> None:
        with QSignalBlocker(self.box):
            self.box.setChecked(bool(value))


class ChoiceEditor(Editor):
    def __init__(self, param: Param, parent=None) -> None:
        super().__init__(param, parent)
        self.combo = QComboBox()
        self.combo.addItems(list(param.choices))
        self.row.addWidget(self.combo)
        self.combo.currentTextChanged.connect(self._emit)

    def value(self) -> str:
        return self.combo.currentText()

    def set_value(self, value: Any) -> None:
        with QSignalBlocker(self.combo):
            self.combo.setCurrentText(str(value))


class PairEditor(Editor):
    """An int or a pair of ints (``kernel_size=3`` or ``[3, 5]``); the chain button keeps both equal."""

    def __init__(self, param: Param, parent=None) -> None:
        super().__init__(param, parent)
        self.a, self.b = _spin(param), _spin(param)
        self.link = QToolButton()
        self.link.setCheckable(True)
        self.link.setChecked(True)
        self.link.setText("=")
        self.row.addWidget(self.a)
        self.row.addWidget(self.link)
        self.row.addWidget(self.b)
        self.a.valueChanged.connect(self._a_changed)
        self.b.valueChanged.connect(self._emit)
        self.link.toggled.connect(self._linked)
        self._linked(True)

    def _a_changed(self, v: int) -> None:
        if self.link.isChecked():
            with QSignalBlocker(self.b):
                self.b.setValue(v)
        self._emit()

    def _linked(self, on: bool) -> None:
        self.b.setEnabled(not on)
        self.link.setToolTip(self.tr("Same value for height and width") if on else self.tr("Different height and width"))
        if on and self.b.value() != self.a.value():
            with QSignalBlocker(self.b):
                self.b.setValue(self.a.value())
            self._emit()

    def value(self) -> int | list[int]:
        a, b = self.a.value(), self.b.value()
        return a if self.link.isChecked() or a == b else [a, b]

    def set_value(self, value: Any) -> None:
        a, b = (value, value) if isinstance(value, int) else (value[0], value[1]) if isinstance(value, list) and len(value) == 2 else (None, None)
        if a is None:
            return
        for w in (self.a, self.b, self.link):
            w.blockSignals(True)
        self.a.setValue(a)
        self.b.setValue(b)
        self.link.setChecked(a == b)
        self.b.setEnabled(a != b)
        for w in (self.a, self.b, self.link):
            w.blockSignals(False)


class ListEditor(Editor):
    """A list of whole numbers typed as ``1, 8, 8`` (a shape; ``-1`` where one size is worked out)."""

    def __init__(self, param: Param, parent=None) -> None:
        super().__init__(param, parent)
        self.line = QLineEdit()
        self.line.setPlaceholderText("1, 8, 8")
        self.row.addWidget(self.line)
        self.line.textEdited.connect(lambda _: self.typing.emit(self.value()))
        self.line.editingFinished.connect(self._emit)

    def value(self) -> Any:
        text = self.line.text().replace("×", ",").replace("x", ",").replace(";", ",")
        parts = [t.strip() for t in text.replace(" ", ",").split(",") if t.strip()]
        try:
            return [int(t) for t in parts]
        except ValueError:
            return self.line.text()

    def set_value(self, value: Any) -> None:
        if isinstance(value, list) and self.value() != value:
            self.line.setText(", ".join(str(v) for v in value))


class PaddingEditor(Editor):
    """A number or pair, or 'same' / 'valid'."""

    def __init__(self, param: Param, parent=None) -> None:
        super().__init__(param, parent)
        self.mode = QComboBox()
        self.mode.addItems(["#", "same", "valid"])
        self.pair = PairEditor(param)
        self.row.addWidget(self.mode)
        self.row.addWidget(self.pair, 1)
        self.mode.currentIndexChanged.connect(self._mode_changed)
        self.pair.edited.connect(self._emit)

    def _mode_changed(self, index: int) -> None:
        self.pair.setEnabled(index == 0)
        self._emit()

    def value(self) -> Any:
        return self.pair.value() if self.mode.currentIndex() == 0 else self.mode.currentText()

    def set_value(self, value: Any) -> None:
        with QSignalBlocker(self.mode):
            if isinstance(value, str):
                self.mode.setCurrentText(value)
                self.pair.setEnabled(False)
            else:
                self.mode.setCurrentIndex(0)
                self.pair.setEnabled(True)
                self.pair.set_value(value)


class OptionalEditor(Editor):
    """A parameter that may be None: a check box turns the value on."""

    def __init__(self, param: Param, inner: Editor, parent=None) -> None:
        super().__init__(param, parent)
        self.on = QCheckBox()
        self.inner = inner
        self.row.addWidget(self.on)
        self.row.addWidget(inner, 1)
        self.on.toggled.connect(self._toggled)
        inner.edited.connect(self._emit)
        inner.typing.connect(self.typing)
        self._default = param.default

    def _toggled(self, on: bool) -> None:
        self.inner.setEnabled(on)
        if on and self.inner.value() in (None, "", []):
            self.inner.set_value(self._fallback())
        self._emit()

    def _fallback(self) -> Any:
        p = self.param
        if p.kind == "int":
            return int(p.min) if p.min is not None else 1
        if p.kind == "float":
            return float(p.min) if p.min is not None else 1.0
        if p.kind == "ints":
            return [1]
        return 1

    def value(self) -> Any:
        return self.inner.value() if self.on.isChecked() else None

    def set_value(self, value: Any) -> None:
        with QSignalBlocker(self.on):
            self.on.setChecked(value is not None)
        self.inner.setEnabled(value is not None)
        if value is not None:
            self.inner.set_value(value)


_KINDS = {"int": IntEditor, "float": FloatEditor, "bool": BoolEditor, "choice": ChoiceEditor,
          "int2": PairEditor, "ints": ListEditor, "padding": PaddingEditor}


def editor_for(param: Param) -> Editor:
    inner = _KINDS[param.kind](param)
    if param.optional:
        return OptionalEditor(param, inner)
    return inner
