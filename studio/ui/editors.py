"""One editor widget per parameter kind of the layer declarations (``Param.kind``): spin boxes
with the declared ranges, combo boxes for choices, check boxes, pair and list editors.

Every editor emits ``edited(value)`` with a candidate value (the inspector validates it with
the declaration before it becomes an edit) and takes ``set_value`` without emitting. Nothing is
refused here: a value outside the declared range, or text that is no number, goes to the
inspector, which says why right under the field (a spin box that clamped -3 to 1, or dropped
the keystroke, would refuse it without a word).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtGui import QColor, QPalette, QValidator
from PySide6.QtWidgets import (
    QAbstractSpinBox, QCheckBox, QComboBox, QHBoxLayout, QLineEdit, QSpinBox, QToolButton, QWidget,
)

from ..layers import Param

INT_LIMIT = 2**31 - 1
INCOMPLETE = object()  # typed text that is no value yet ("", "-"): nothing to say while typing
REFUSED_BASE, REFUSED_TEXT = QColor("#fdecec"), QColor("#b42318")


def typed_number(text: str) -> Any:
    """What a number field's text says: an int or a float (a decimal comma is a decimal point),
    None when it is empty, else the text itself, for the declaration's check to explain."""
    text = text.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return text


def _while_typing(text: str) -> Any:
    return INCOMPLETE if text.strip() in ("", "-", "+") else typed_number(text)


class ParamSpin(QSpinBox):
    """A whole-number box that keeps what was typed. It takes any whole number, so -3 stays in the
    box for the inspector to refuse with its reason instead of being clamped to the minimum, and
    text that is no whole number stays while typing (a plain spin box drops those keystrokes).
    The arrows and the wheel step within the declared range (``low``, ``high``)."""

    def __init__(self, p: Param, parent=None) -> None:
        super().__init__(parent)
        lo = int(p.min) if p.min is not None else -INT_LIMIT
        hi = int(p.max) if p.max is not None else INT_LIMIT
        self.low, self.high = max(lo, -INT_LIMIT), min(hi, INT_LIMIT)
        self.setRange(self.low, self.high)
        self._hints = (super().sizeHint(), super().minimumSizeHint())  # as wide as the declared range needs
        self.setRange(-INT_LIMIT, INT_LIMIT)
        self.setAccelerated(True)
        self.typed: str | None = None  # the text last typed, until editing finishes
        self.lineEdit().textEdited.connect(self._text_edited)

    def _text_edited(self, text: str) -> None:
        self.typed = text

    def validate(self, text: str, pos: int):
        state, text, pos = super().validate(text, pos)
        return (QValidator.Intermediate if state == QValidator.Invalid else state), text, pos

    def stepBy(self, steps: int) -> None:
        target = min(max(self.value() + steps, self.low), self.high)
        if target != self.value():
            super().stepBy(target - self.value())

    def stepEnabled(self) -> QAbstractSpinBox.StepEnabledFlag:
        flags = QAbstractSpinBox.StepNone
        if self.isReadOnly():
            return flags
        if self.value() < self.high:
            flags |= QAbstractSpinBox.StepUpEnabled
        if self.value() > self.low:
            flags |= QAbstractSpinBox.StepDownEnabled
        return flags

    def sizeHint(self):
        return self._hints[0]

    def minimumSizeHint(self):
        return self._hints[1]

    def take_refused(self) -> Any:
        """The typed text Qt put back to the last value (not a whole number, or one too large for
        the box) as ``typed_number`` reads it, or INCOMPLETE when what was typed stood."""
        typed, self.typed = self.typed, None
        if typed is None:
            return INCOMPLETE
        value = typed_number(typed)
        return INCOMPLETE if isinstance(value, int) and value == self.value() else value


def _mark(widget: QWidget, refused: bool) -> None:
    """A refused value's field is tinted red until the value is fixed."""
    if bool(widget.property("refused")) == refused:
        return
    widget.setProperty("refused", refused)
    if refused:
        palette = widget.palette()
        palette.setColor(QPalette.Base, REFUSED_BASE)
        palette.setColor(QPalette.Text, REFUSED_TEXT)
        widget.setPalette(palette)
    else:
        widget.setPalette(QPalette())  # back to the inherited palette


class Editor(QWidget):
    edited = Signal(object)  # a value to apply
    typing = Signal(object)  # a value being typed (checked, not yet applied), or INCOMPLETE

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

    def fields(self) -> list[QWidget]:
        """The widgets a value is typed into (tinted when the inspector refuses it)."""
        return []

    def set_refused(self, refused: bool) -> None:
        for w in self.fields():
            _mark(w, refused)

    def _watch(self, spin: ParamSpin) -> None:
        """Typed text that is no whole number is checked as it is typed, and refused (with the
        reason) when editing finishes and the box has put its last value back."""
        spin.lineEdit().textEdited.connect(lambda text: self.typing.emit(_while_typing(text)))

        def finished() -> None:
            refused = spin.take_refused()
            if refused is not INCOMPLETE:
                self.edited.emit(refused)

        spin.editingFinished.connect(finished)


class IntEditor(Editor):
    def __init__(self, param: Param, parent=None) -> None:
        super().__init__(param, parent)
        self.spin = ParamSpin(param)
        self.row.addWidget(self.spin)
        self.spin.valueChanged.connect(self._emit)
        self._watch(self.spin)

    def value(self) -> int:
        return self.spin.value()

    def fields(self) -> list[QWidget]:
        return [self.spin]

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
        self.line.textEdited.connect(lambda text: self.typing.emit(_while_typing(text)))
        self.line.editingFinished.connect(self._emit)  # Enter or leaving the field applies it

    def value(self) -> Any:
        value = typed_number(self.line.text())  # not a number: the declaration's check says so
        if isinstance(value, int):
            try:
                return float(value)
            except OverflowError:
                return value  # too large for a float: "must be a finite number"
        return value

    def fields(self) -> list[QWidget]:
        return [self.line]

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
        self.a, self.b = ParamSpin(param), ParamSpin(param)
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
        self._watch(self.a)
        self._watch(self.b)

    def fields(self) -> list[QWidget]:
        return [self.a, self.b]

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

    def fields(self) -> list[QWidget]:
        return [self.line]

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
        self.pair.edited.connect(self.edited)  # a refused number too, for the inspector to explain
        self.pair.typing.connect(self.typing)

    def fields(self) -> list[QWidget]:
        return self.pair.fields()

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
        inner.edited.connect(lambda value: self.edited.emit(value if self.on.isChecked() else None))
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

    def fields(self) -> list[QWidget]:
        return self.inner.fields()

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
