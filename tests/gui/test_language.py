"""The Spanish translation and what keeps it true: the committed .ts holds every string of
studio/ui, translated, with its placeholders; the committed .qm is the one lrelease builds; the
window switches language at run time; every layer parameter has Spanish help; screenshots of
both languages for a person to look at (kept in $NEURONA_SCREENSHOTS when it is set).

The lupdate and lrelease commands are the ones in resources/translations/README.md."""

from __future__ import annotations

import ast
import html
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTranslator
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QLabel, QMenu

from conftest import EXAMPLES, ROOT
from studio.layers import CATALOGUE
from studio.ui import i18n

TRANSLATIONS = ROOT / "resources" / "translations"
TS = TRANSLATIONS / "neurona_es.ts"
QM = TRANSLATIONS / "neurona_es.qm"
TEACHING_ES = ROOT / "resources" / "teaching" / "es.json"
UI_SOURCES = ROOT / "studio" / "ui"
LUPDATE = ["-extensions", "py", "-no-obsolete", "-locations", "none", "-source-language", "en",
           "-target-language", "es", "studio/ui"]
LRELEASE = ["-fail-on-unfinished", "-fail-on-invalid"]
SPANISH_PLURAL_FORMS = 2

PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)[^>]*>")
FILE_PATTERN = re.compile(r"\(\*[^)]*\)")


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    comment: str
    numerus: bool
    kind: str  # the translation's type attribute: "" when finished
    forms: tuple[str, ...]

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.context, self.source, self.comment)


def read_ts(path: Path) -> list[Message]:
    out = []
    for ctx in ET.parse(path).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for m in ctx.iter("message"):
            tr = m.find("translation")
            numerus = m.get("numerus") == "yes"
            forms = tuple(f.text or "" for f in tr.iter("numerusform")) if numerus else (tr.text or "",)
            out.append(Message(name, m.findtext("source") or "", m.findtext("comment") or "", numerus,
                               tr.get("type", ""), forms))
    return out


MESSAGES = read_ts(TS)
SPANISH = {(m.context, m.source): m.forms[0] for m in MESSAGES if not m.numerus}


def es(context: str, source: str) -> str:
    """The committed Spanish translation of a (non-plural) source string."""
    assert (context, source) in SPANISH, f"{source!r} ({context}) is not in {TS.name}"
    return SPANISH[(context, source)]


def _tool(name: str) -> str:
    """A Qt tool from the PySide6 wheel (installed beside the interpreter)."""
    for candidate in (Path(sys.executable).parent / name, Path(sys.executable).parent / f"{name}.exe"):
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    assert found, f"{name} not found: it comes with PySide6"
    return found


def _run(tool: str, *args: str) -> None:
    done = subprocess.run([_tool(tool), *args], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


def _settle() -> None:
    for _ in range(3):  # language changes arrive as posted events, and widgets rebuild on them
        QApplication.processEvents()


# -- the .ts holds every string, translated -----------------------------------------------------

def test_lupdate_finds_no_string_the_ts_lacks(tmp_path):
    copy = tmp_path / TS.name
    shutil.copy(TS, copy)
    _run("pyside6-lupdate", *LUPDATE, "-ts", str(copy))
    fresh = {m.key: m for m in read_ts(copy)}
    committed = {m.key: m for m in MESSAGES}
    new = sorted(k for k in fresh if k not in committed)
    assert not new, f"strings in studio/ui missing from {TS.name} (run the update command in README.md): {new}"
    gone = sorted(k for k in committed if k not in fresh)
    assert not gone, f"strings no longer in studio/ui (run the update command in README.md): {gone}"
    assert [m.forms for m in fresh.values()] == [committed[k].forms for k in fresh]


def test_every_message_is_translated():
    assert len(MESSAGES) > 100
    for m in MESSAGES:
        assert m.kind == "", f"{m.source!r} ({m.context}) is marked {m.kind}"
        assert all(f.strip() for f in m.forms), f"{m.source!r} ({m.context}) has an empty translation"
        if m.numerus:
            assert len(m.forms) == SPANISH_PLURAL_FORMS, f"{m.source!r} needs singular and plural"
            assert m.forms[0] != m.forms[1], f"{m.source!r}: the plural form is the singular"
    assert sum(m.numerus for m in MESSAGES) >= 4


def _is_self_tr(node: ast.AST) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "tr" and isinstance(node.value, ast.Name)
            and node.value.id == "self")


def _tr_calls_lupdate_misses_too():
    """(class, literal, where) for every self.tr call in studio/ui, including the ones lupdate
    cannot see: through an alias (``t = self.tr``), inside an f-string, on a module constant."""
    found, bad = [], []
    for path in sorted(UI_SOURCES.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        consts = {t.id: n.value.value for n in tree.body if isinstance(n, ast.Assign)
                  and isinstance(n.value, ast.Constant) and isinstance(n.value.value, str)
                  for t in n.targets if isinstance(t, ast.Name)}
        for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
            for fn in (n for n in ast.walk(cls) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))):
                aliases = {t.id for n in ast.walk(fn) if isinstance(n, ast.Assign) and _is_self_tr(n.value)
                           for t in n.targets if isinstance(t, ast.Name)}
                for call in (n for n in ast.walk(fn) if isinstance(n, ast.Call) and n.args):
                    f = call.func
                    if not (_is_self_tr(f) or (isinstance(f, ast.Name) and f.id in aliases)):
                        continue
                    arg, where = call.args[0], f"{path.relative_to(ROOT)}:{call.lineno}"
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        found.append((cls.name, arg.value, where))
                    elif isinstance(arg, ast.Name) and arg.id in consts:
                        found.append((cls.name, consts[arg.id], where))
                    elif isinstance(arg, ast.JoinedStr):
                        bad.append(where)
    return found, bad


def test_strings_that_lupdate_cannot_see_are_in_the_ts_too():
    found, bad = _tr_calls_lupdate_misses_too()
    assert len(found) > 100
    assert not bad, f"self.tr on an f-string can never be translated: {bad}"
    keys = {(m.context, m.source) for m in MESSAGES}
    missing = [(ctx, text, where) for ctx, text, where in found if (ctx, text) not in keys]
    assert not missing, ("translated at run time but missing from the .ts; call self.tr(\"…\") with the "
                         f"literal text so lupdate finds it: {missing}")


@pytest.mark.parametrize("m", MESSAGES, ids=lambda m: f"{m.context}:{m.source[:40]}")
def test_a_translation_keeps_placeholders_accelerators_and_markup(m):
    def accelerators(s):
        return len(re.findall(r"&(?!&)\w", s.replace("&&", "")))

    for form in m.forms:
        assert sorted(PLACEHOLDER.findall(form)) == sorted(PLACEHOLDER.findall(m.source)), form
        assert ("%n" in form) == ("%n" in m.source), form
        assert accelerators(form) == accelerators(m.source), form
        assert TAG.findall(form) == TAG.findall(m.source), form
        assert FILE_PATTERN.findall(form) == FILE_PATTERN.findall(m.source), form
        assert form.count(";;") == m.source.count(";;"), form
        if TAG.search(form):
            ET.fromstring(f"<root>{form}</root>")  # well-formed markup


# -- the .qm is the one lrelease builds from the .ts ---------------------------------------------

def test_lrelease_reproduces_the_committed_qm(tmp_path):
    built = tmp_path / QM.name
    _run("pyside6-lrelease", *LRELEASE, str(TS), "-qm", str(built))
    assert built.read_bytes() == QM.read_bytes(), \
        f"{QM.name} is not what lrelease builds from {TS.name}: rebuild it (README.md)"


def test_the_qm_translates_every_message(qapp):
    tr = QTranslator()
    assert tr.load(str(QM))
    for m in MESSAGES:
        if m.numerus:
            assert [tr.translate(m.context, m.source, m.comment or None, n) for n in (1, 2)] == list(m.forms)
        else:
            assert tr.translate(m.context, m.source, m.comment or None) == m.forms[0]


# -- switching the window's language -------------------------------------------------------------

def _menus(w) -> list[QMenu]:
    return [w.menu_file, w.menu_edit, w.menu_view, w.menu_language, w.menu_help]


def _texts(w) -> dict[str, object]:
    """Everything the switch must change, keyed by where it is."""
    insp = w.inspector.widget()
    model = w.summary.model
    texts: dict[str, object] = {
        "menus": [m.title() for m in _menus(w)] + [w.menu_templates.title(), w.menu_recent.title()],
        "actions": [[a.text() for a in m.actions() if not a.isSeparator()] for m in _menus(w)],
        "docks": [d.windowTitle() for d in (w.palette_dock, w.inspector_dock, w.summary_dock)],
        "toolbar": w.toolbar.windowTitle(),
        "categories": [w.palette.tree.topLevelItem(i).text(0) for i in range(w.palette.tree.topLevelItemCount())],
        "search": w.palette.search.placeholderText(),
        "inspector": sorted(lab.text() for lab in insp.findChildren(QLabel)),
        "headers": [model.headerData(c, Qt.Horizontal) for c in range(model.columnCount())],
        "totals": w.summary.totals.text(),
        "status": [w.status_valid.text(), w.status_params.text()],
    }
    return texts


def test_switching_to_spanish_retranslates_the_window_and_back(make_window):
    w = make_window(EXAMPLES / "digits_cnn.neurona")
    w.focus_node("conv1")
    english = _texts(w)
    assert english["menus"][0] == "&File"

    w.set_language("es")
    _settle()
    assert i18n.current() == "es"
    spanish = _texts(w)
    assert spanish["menus"][:5] == ["&Archivo", "&Editar", "&Ver", "&Idioma", "A&yuda"]
    assert w.menuBar().actions()[0].text() == "&Archivo"
    for key in english:
        assert spanish[key] != english[key], f"{key} did not change: {spanish[key]}"
    # every menu entry is its translation (the language names stay as they are)
    for en_items, es_items in zip(english["actions"], spanish["actions"]):
        for en_text, es_text in zip(en_items, es_items):
            if en_text in i18n.LANGUAGES.values():
                assert es_text == en_text
            else:
                assert es_text == es("MainWindow", en_text), en_text
    assert spanish["docks"] == [es("MainWindow", t) for t in english["docks"]]
    assert spanish["categories"] == [es("Catalogue", t) for t in english["categories"]]
    assert spanish["headers"] == ["Nodo", "Tipo", "Forma de salida", "Parámetros"]
    assert spanish["totals"].startswith("Parámetros totales: ")
    assert "Red válida" in spanish["status"][0] and spanish["status"][1].startswith("Parámetros: ")
    labels = " ".join(spanish["inspector"])
    for word in ("Parámetros", "Formas", "Acerca de esta capa", "Cuándo usarla", "Entrada", "Salida"):
        assert word in labels, word
    assert "Parameters" not in labels and "When to use it" not in labels

    w.set_language("en")
    _settle()
    assert i18n.current() == "en"
    assert _texts(w) == english


@pytest.mark.parametrize("lang", ["en", "es"])
def test_menu_accelerators_do_not_clash(make_window, lang):
    w = make_window()
    w.set_language(lang)
    _settle()

    def letters(texts):
        return [t[t.index("&") + 1].lower() for t in texts if "&" in t.replace("&&", "")]

    bars = letters([a.text() for a in w.menuBar().actions()])
    assert len(bars) == len(set(bars)) == len(w.menuBar().actions()), bars
    for menu in _menus(w):
        keys = letters([a.text() for a in menu.actions() if not a.isSeparator()])
        assert len(keys) == len(set(keys)), (menu.title(), keys)


def test_every_parameter_has_spanish_help_and_the_inspector_shows_it(make_window):
    teaching = json.loads(TEACHING_ES.read_text(encoding="utf-8"))
    for spec in CATALOGUE.values():
        helps = teaching[spec.type].get("params")
        assert isinstance(helps, dict), f"{spec.type} has no params in es.json"
        assert set(helps) == {p.name for p in spec.params}, spec.type
        for p in spec.params:
            assert helps[p.name].strip() and helps[p.name] != p.help, f"{spec.type}.{p.name}"

    w = make_window(EXAMPLES / "digits_cnn.neurona")
    w.set_language("es")
    _settle()
    for spec in CATALOGUE.values():
        for p in spec.params:
            assert i18n.param_help(spec, p.name) == teaching[spec.type]["params"][p.name]
    w.focus_node("conv1")
    spec = CATALOGUE["Conv2d"]
    shown = {html.unescape(lab.text()) for lab in w.inspector.widget().findChildren(QLabel)}
    for p in spec.params:
        spanish = teaching["Conv2d"]["params"][p.name]
        assert w.inspector.editors[p.name].toolTip() == spanish
        assert spanish in shown, p.name
        assert p.help not in shown, p.name

    w.set_language("en")
    _settle()
    assert w.inspector.editors["out_channels"].toolTip() == spec.param("out_channels").help


# -- screenshots --------------------------------------------------------------------------------

def _distinct_colours(img: QImage, step: int = 16) -> int:
    return len({img.pixel(x, y) for x in range(0, img.width(), step) for y in range(0, img.height(), step)})


def test_screenshots_in_english_and_spanish(make_window, tmp_path):
    folder = Path(os.environ.get("NEURONA_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    w = make_window()
    w.resize(1280, 800)
    paths = {}
    for lang in ("en", "es"):  # as someone working in that language sees it: opened after the switch
        w.set_language(lang)
        assert w.open_path(EXAMPLES / "digits_cnn.neurona", confirm=False)
        w.focus_node("conv1")
        _settle()
        paths[lang] = folder / f"digits_cnn_{lang}.png"
        assert w.grab().save(str(paths[lang]), "PNG")
    images = {lang: QImage(str(p)) for lang, p in paths.items()}
    for lang, img in images.items():
        assert paths[lang].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert not img.isNull()
        ratio = w.devicePixelRatioF()
        assert (img.width(), img.height()) == (round(1280 * ratio), round(800 * ratio)), lang
        assert _distinct_colours(img) > 20, f"{lang} screenshot looks blank"
    assert images["en"] != images["es"]


def test_problems_speak_spanish(make_window):
    from studio.graph import SetParam

    w = make_window(EXAMPLES / "digits_cnn.neurona")
    w.set_language("es")
    w.doc.push(SetParam("x", "shape", [64]))
    model = w.summary.problems_model
    texts = [model.data(model.index(r, 1)) for r in range(model.rowCount())]
    assert any(t.startswith("Conv2d espera canales × alto × ancho") and "Reshape" in t for t in texts), texts
    w.scene.nodes["conv1"].setToolTip("")
    assert "Conv2d espera" in w.scene.node_tooltip(w.scene.nodes["conv1"])
    w.set_language("en")
    texts = [model.data(model.index(r, 1)) for r in range(model.rowCount())]
    assert any(t.startswith("Conv2d expects") for t in texts)


def test_wires_refused_by_a_real_drag_say_why_in_spanish(make_window, qtbot):
    """A wire dragged with the mouse between ports that cannot work: the reason the canvas
    gives, and the status bar, are Spanish — for a shape that does not fit and for a loop."""
    from studio.graph import AddNode, Edge, Node
    from studio.graph.edits import Macro

    from gui.conftest import wire

    w = make_window()
    w.set_language("es")
    _settle()
    w.doc.push(Macro([AddNode(Node("x", "Input", {"shape": [64]}, (0, 0))),
                      AddNode(Node("conv1", "Conv2d", {}, (260, 0))),
                      AddNode(Node("a", "ReLU", {}, (0, 200))), AddNode(Node("b", "ReLU", {}, (260, 200)))]))
    w.view.resetTransform()
    w.view.centerOn(250, 120)
    prefix = es("MainWindow", "Cannot wire: {reason}").split("{reason}")[0]
    assert prefix.startswith("No se puede conectar")

    with qtbot.waitSignal(w.view.wire_refused, timeout=2000) as got:
        wire(qtbot, w, "x", "conv1")
    reason = got.args[0]
    assert "Conv2d espera canales × alto × ancho" in reason and "añade antes un Reshape" in reason, reason
    assert "fija primero la forma del Input 'x'" in reason, reason
    assert "expects" not in reason and "first set the shape" not in reason, reason
    assert w.statusBar().currentMessage() == prefix + reason
    assert w.doc.graph.edges == []

    wire(qtbot, w, "a", "b")
    with qtbot.waitSignal(w.view.wire_refused, timeout=2000) as got:
        wire(qtbot, w, "b", "a")
    assert "crearía un bucle" in got.args[0] and "loop" not in got.args[0], got.args[0]
    assert w.statusBar().currentMessage() == prefix + got.args[0]
    assert w.doc.graph.edges == [Edge("a", "b")]
    w.set_language("en")


# -- English plural forms -----------------------------------------------------------------------

TS_EN = TRANSLATIONS / "neurona_en.ts"
QM_EN = TRANSLATIONS / "neurona_en.qm"


def test_english_has_every_plural_message_with_both_forms(tmp_path):
    copy = tmp_path / TS_EN.name
    shutil.copy(TS_EN, copy)
    _run("pyside6-lupdate", *[a if a != "es" else "en" for a in LUPDATE], "-pluralonly", "-ts", str(copy))
    fresh, committed = read_ts(copy), read_ts(TS_EN)
    assert {m.key for m in fresh} == {m.key for m in committed}, "run the English update command in README.md"
    assert all(m.numerus and len(m.forms) == 2 and not m.kind and "(s)" not in "".join(m.forms) for m in committed)
    built = tmp_path / QM_EN.name
    _run("pyside6-lrelease", *LRELEASE, str(TS_EN), "-qm", str(built))
    assert built.read_bytes() == QM_EN.read_bytes()


def test_english_counts_read_naturally(make_window):
    from studio.graph import SetParam

    w = make_window(EXAMPLES / "digits_cnn.neurona")
    w.set_language("en")
    w.doc.push(SetParam("x", "shape", [64]))
    assert "1 error" in w.status_valid.text() and "(s)" not in w.status_valid.text()
    w.scene.clearSelection()
    assert "14 layers" in w.inspector.dynamic["totals"].text()


def test_results_name_the_metrics_and_write_numbers_the_spanish_way(make_window, qtbot, tmp_path):
    src = tmp_path / "xor.neurona"
    src.write_text((EXAMPLES / "xor.neurona").read_text())
    w = make_window(src)
    w.set_language("es")
    panel = w.training_panel()
    with qtbot.waitSignal(panel.training_finished, timeout=180_000) as got:
        assert w.start_training()
    test = got.args[0].test
    rows = {panel.metrics.item(r, 0).toolTip(): (panel.metrics.item(r, 0).text(), panel.metrics.item(r, 1).text())
            for r in range(panel.metrics.rowCount())}
    assert rows["accuracy"] == ("Exactitud (accuracy)", "100,0\u00a0%")
    assert rows["recall"][0].startswith("Exhaustividad") and rows["precision"][0].startswith("Precisión")
    assert rows["loss"] == ("Pérdida", f"{test['loss']:.4g}".replace(".", ","))
    assert panel.runs.item(0).text().endswith("100,0\u00a0%")
    w.set_language("en")
    _settle()
    assert (panel.metrics.item(0, 0).text(), panel.metrics.item(1, 0).text()) == ("Loss", "Accuracy")
    assert "100.0%" in [panel.metrics.item(r, 1).text() for r in range(panel.metrics.rowCount())]
    panel.process.wait(5000)
