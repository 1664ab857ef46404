"""A value the inspector refuses is explained under the field it was typed into: the limit from
the layer's declaration and why it is there, in the window's language; the document is left as
it was, and the field keeps what was typed (marked) or says what it went back to."""

import html
import os
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QSpinBox

from conftest import EXAMPLES
from studio.layers import CATALOGUE
from studio.ui import i18n


def _open(make_window, name="digits_cnn.neurona"):
    return make_window(EXAMPLES / name)


def _type(qtbot, field, text, finish=Qt.Key_Return):
    """Type ``text`` into ``field`` as a person does: click in, select all, type, then Enter
    (``finish=None``: leave the field by giving the focus to another one)."""
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    (field.lineEdit() if isinstance(field, QSpinBox) else field).selectAll()
    qtbot.keyClicks(QApplication.focusWidget(), text)
    if not text:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Backspace)
    if finish is not None:
        qtbot.keyClick(QApplication.focusWidget(), finish)


def _leave(qtbot, w):
    w.inspector.id_edit.setFocus()  # another field of the inspector: focus out, as a click elsewhere
    qtbot.waitUntil(w.inspector.id_edit.hasFocus)


def _message(w, key):
    label = w.inspector.problems[key]
    return label, html.unescape(label.text()).replace("<b>", "").replace("</b>", "").replace("<br>", "\n")


def _is_near(w, label, field):
    """The message sits in the inspector, right under the field it is about, and has the height
    its wrapped lines take."""
    assert w.inspector.isAncestorOf(label) and label.isVisibleTo(w.inspector)
    QApplication.processEvents()  # the form fits its wrapped labels on the next turn of the loop
    assert label.height() >= label.heightForWidth(label.width()) > label.fontMetrics().height() * 2
    top = field.mapTo(w.inspector.widget(), QPoint(0, 0))
    under = label.mapTo(w.inspector.widget(), QPoint(0, 0))
    assert 0 < under.y() - top.y() <= field.height() + 12, (top, under)
    return True


def test_a_kernel_size_below_1_is_explained_under_the_field_and_not_applied(make_window, qtbot, tmp_path):
    w = _open(make_window)
    w.focus_node("conv1")
    editor = w.inspector.editors["kernel_size"]
    spin = editor.findChild(QSpinBox)
    count = w.doc.undo_stack.count()
    for typed, finish in (("-3", Qt.Key_Return), ("0", None)):
        _type(qtbot, spin, typed, finish)
        if finish is None:
            _leave(qtbot, w)
        label, text = _message(w, "kernel_size")
        assert _is_near(w, label, editor)
        assert "kernel_size must be at least 1" in text
        assert "count, a size or a step" in text  # why
        assert "Allowed: whole numbers from 1 to 1,024, for height and width." in text
        assert spin.text() == typed and spin.property("refused")  # what was typed stays, marked
        assert w.doc.graph.node("conv1").params["kernel_size"] == 3
        assert w.doc.undo_stack.count() == count
        assert w.doc.analysis.nodes["conv1"].output.shape == (16, 8, 8)
    shots = Path(os.environ.get("NEURONA_SCREENSHOTS") or tmp_path)
    w.inspector.grab().save(str(shots / "inspector-refusal.png"))
    # the arrows step back into the declared range
    spin.stepBy(1)
    assert spin.value() == 1
    _type(qtbot, spin, "5")
    assert not w.inspector.problems["kernel_size"].isVisibleTo(w.inspector)
    assert not spin.property("refused")
    assert w.doc.graph.node("conv1").params["kernel_size"] == 5
    assert w.doc.analysis.nodes["conv1"].output.shape == (16, 6, 6)


def test_a_whole_number_field_says_why_it_put_back_text_that_is_no_whole_number(make_window, qtbot):
    w = _open(make_window)
    w.focus_node("dense1")
    spin = w.inspector.editors["out_features"].findChild(QSpinBox)
    _type(qtbot, spin, "two", finish=None)
    label, text = _message(w, "out_features")
    assert label.isVisibleTo(w.inspector) and 'must be a whole number, not "two"' in text  # while typing
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Return)
    label, text = _message(w, "out_features")
    assert _is_near(w, label, w.inspector.editors["out_features"])
    assert 'out_features must be a whole number, not "two": a layer counts whole things' in text
    assert "The field went back to 64." in text and spin.text() == "64"
    assert w.doc.graph.node("dense1").params["out_features"] == 64
    # "2" counts as it is typed (one undo step per number); ".5" cannot follow, and the field says so
    _type(qtbot, spin, "2.5")
    text = _message(w, "out_features")[1]
    assert "out_features must be a whole number, not 2.5" in text and "The field went back to 2." in text
    assert spin.text() == "2" and w.doc.graph.node("dense1").params["out_features"] == 2
    _type(qtbot, spin, "", finish=None)
    _leave(qtbot, w)
    assert "out_features must have a value" in _message(w, "out_features")[1]
    assert w.doc.graph.node("dense1").params["out_features"] == 2
    _type(qtbot, spin, "2000000")
    assert "must be at most 1000000: the studio goes no higher, since" in _message(w, "out_features")[1]
    assert spin.text() == "2000000" and w.doc.graph.node("dense1").params["out_features"] == 200000
    # more than the box can hold: put back to the last number it took, and said
    _type(qtbot, spin, "99999999999")
    text = _message(w, "out_features")[1]
    assert "must be at most 1000000" in text and "The field went back to 999999999." in text
    assert spin.property("refused")  # what it went back to is refused too
    assert w.doc.graph.node("dense1").params["out_features"] == 999999  # the last one typed that fits


def test_a_probability_above_1_and_a_word_are_refused_with_the_reason(make_window, qtbot):
    w = _open(make_window)
    w.focus_node("drop")
    line = w.inspector.editors["p"].findChild(QLineEdit)
    _type(qtbot, line, "1.5")
    label, text = _message(w, "p")
    assert _is_near(w, label, w.inspector.editors["p"])
    assert "p must be at most 1: it is a probability or a fraction, so it lies between 0 and 1" in text
    assert "Allowed: numbers from 0 to 1." in text
    assert line.text() == "1.5" and line.property("refused")
    _type(qtbot, line, "half")
    assert 'p must be a number, not "half"' in _message(w, "p")[1]
    assert w.doc.graph.node("drop").params["p"] == 0.25
    _type(qtbot, line, "0,4")  # a decimal comma is a decimal point
    assert not label.isVisibleTo(w.inspector) and not line.property("refused")
    assert w.doc.graph.node("drop").params["p"] == 0.4


def test_a_shape_with_a_zero_is_refused(make_window, qtbot):
    w = _open(make_window)
    w.focus_node("x")
    line = w.inspector.editors["shape"].findChild(QLineEdit)
    _type(qtbot, line, "1, 0, 8")
    label, text = _message(w, "shape")
    assert _is_near(w, label, w.inspector.editors["shape"])
    assert "shape must be at least 1: it is a count, a size or a step" in text
    assert "Allowed: 1 to 5 whole numbers from 1 to 1,000,000, separated by commas." in text
    assert line.text() == "1, 0, 8" and w.doc.graph.node("x").params["shape"] == [1, 8, 8]


def test_padding_a_pair_and_an_optional_stride_are_refused_too(make_window, qtbot):
    w = _open(make_window)
    w.focus_node("conv1")
    padding = w.inspector.editors["padding"]
    spin = padding.findChildren(QSpinBox)[0]
    _type(qtbot, spin, "-1")
    label, text = _message(w, "padding")
    assert _is_near(w, label, padding)
    assert "padding must be at least 0: it counts or scales something" in text
    assert "or 'same' or 'valid'" in text
    assert w.doc.graph.node("conv1").params["padding"] == 1
    # height and width apart: the second number alone is refused
    kernel = w.inspector.editors["kernel_size"]
    kernel.link.click()
    _type(qtbot, kernel.b, "0")
    assert "kernel_size must be at least 1" in _message(w, "kernel_size")[1]
    assert w.doc.graph.node("conv1").params["kernel_size"] == 3
    # an optional number, switched on
    w.focus_node("pool1")
    stride = w.inspector.editors["stride"]
    stride.on.click()
    assert w.doc.graph.node("pool1").params["stride"] == 1
    _type(qtbot, stride.findChild(QSpinBox), "0")
    label, text = _message(w, "stride")
    assert _is_near(w, label, stride) and "stride must be at least 1" in text and "; or none (untick the box)." in text
    assert w.doc.graph.node("pool1").params["stride"] == 1


def test_choices_offer_only_what_the_declaration_allows(make_window):
    """A list of choices cannot be typed into: it holds the declared choices and nothing else."""
    w = _open(make_window, "transformer_classifier.neurona")
    node = next(n for n in w.doc.graph.nodes.values() if n.type == "TransformerEncoderLayer")
    w.focus_node(node.id)
    combo = w.inspector.editors["activation"].findChild(QComboBox)
    assert not combo.isEditable()
    assert [combo.itemText(i) for i in range(combo.count())] == list(CATALOGUE[node.type].param("activation").choices)


def test_refusals_in_spanish(make_window, qtbot, tmp_path):
    w = _open(make_window)
    i18n.install("es")
    QApplication.processEvents()  # the window retranslates
    w.focus_node("conv1")
    editor = w.inspector.editors["kernel_size"]
    spin = editor.findChild(QSpinBox)
    _type(qtbot, spin, "-3")
    label, text = _message(w, "kernel_size")
    assert _is_near(w, label, editor)
    assert "kernel_size debe ser al menos 1: es una cantidad, un tamaño o un paso" in text
    assert "Se admite: números enteros de 1 a 1024, para alto y ancho." in text
    assert w.doc.graph.node("conv1").params["kernel_size"] == 3
    w.focus_node("dense1")
    _type(qtbot, w.inspector.editors["out_features"].findChild(QSpinBox), "dos")
    text = _message(w, "out_features")[1]
    assert 'out_features debe ser un número entero, no "dos": una capa cuenta cosas enteras' in text
    assert "El campo ha vuelto a 64." in text
    w.focus_node("drop")
    _type(qtbot, w.inspector.editors["p"].findChild(QLineEdit), "1.5")
    label, text = _message(w, "p")
    assert _is_near(w, label, w.inspector.editors["p"])
    assert "p debe ser como máximo 1: es una probabilidad o una fracción, así que está entre 0 y 1.\n" in text
    assert "Se admite: números de 0 a 1." in text
    shots = Path(os.environ.get("NEURONA_SCREENSHOTS") or tmp_path)
    w.inspector.grab().save(str(shots / "inspector-refusal-es.png"))


def test_every_declared_limit_has_a_reason_and_says_what_is_allowed(qapp):
    """Below the minimum or above the maximum of any parameter of any layer: the refusal names the
    limit, gives a reason and says what is allowed."""
    from studio.ui import limits

    seen = 0
    for spec in CATALOGUE.values():
        for p in spec.params:
            if p.kind not in ("int", "float", "int2", "padding", "ints"):
                continue
            whole = p.kind != "float"
            outside = []
            if p.min is not None:
                outside.append(int(p.min) - 1 if whole else p.min - max(abs(p.min), 1e-3))
            if p.max is not None:
                outside.append(int(p.max) + 1 if whole else p.max * 2 + 1)
            for v in outside:
                value = [v, 1] if p.kind == "ints" and p.allow_infer else [v] if p.kind == "ints" else v
                if p.kind == "ints" and v == -1:
                    value = [v, v]  # -1 alone is "worked out"; twice it is refused
                problem = p.problem(value)
                assert problem, (spec.type, p.name, value)
                text = limits.refusal(p, problem)
                assert text.startswith(f"<b>{p.name} ") and "Allowed: " in text, text
                if problem.startswith(("must be at least", "must be at most")):
                    assert limits.why(p, problem), (spec.type, p.name, problem)
                seen += 1
    assert seen > 50
