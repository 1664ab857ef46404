"""Spanish texts that are not Qt strings: the bundled examples' descriptions
(resources/teaching/examples-es.json), shown in the inspector when the window is in Spanish,
and the layers' teaching texts (resources/teaching/es.json) in the course's own words."""

from __future__ import annotations

import html
import json

import pytest
from PySide6.QtWidgets import QApplication, QLabel

from conftest import EXAMPLES, ROOT
from studio.layers import CATALOGUE, load_graph

TEACHING = ROOT / "resources" / "teaching"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.neurona"))


def _settle() -> None:
    for _ in range(3):  # language changes arrive as posted events, and widgets rebuild on them
        QApplication.processEvents()


def _shown(w) -> set[str]:
    return {html.unescape(label.text()) for label in w.inspector.widget().findChildren(QLabel)}


def _spanish_descriptions() -> dict:
    return json.loads((TEACHING / "examples-es.json").read_text(encoding="utf-8"))


# -- the examples' descriptions -------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_every_example_has_its_description_in_spanish(path):
    entry = _spanish_descriptions().get(path.stem)
    assert entry, f"resources/teaching/examples-es.json has no {path.stem!r}"
    # "en" is the example's description as it is now: an edited English text needs its Spanish again
    assert entry["en"] == load_graph(path).description
    assert entry["es"].strip() and entry["es"] != entry["en"]
    for figure in ("100 %", "90 %", "95 %", "97 %"):  # a promised figure is promised in both
        assert (figure in entry["en"]) == (figure in entry["es"]), figure
    assert ("R² ≥ " in entry["en"]) == ("R² ≥ " in entry["es"])


def test_every_entry_is_an_example():
    assert {k for k in _spanish_descriptions() if not k.startswith("_")} == {p.stem for p in EXAMPLE_FILES}


def test_a_template_opened_in_spanish_shows_its_spanish_description(make_window, qtbot):
    entry = _spanish_descriptions()["digits_cnn"]
    w = make_window()
    w.resize(1280, 800)
    w.set_language("es")
    _settle()
    assert w.new_from_template(str(EXAMPLES / "digits_cnn.neurona"))
    _settle()
    shown = _shown(w)
    assert entry["es"] in shown and entry["en"] not in shown
    # all of it: the label is as tall as its wrapped text, not cut after the line that fitted first
    (label,) = [la for la in w.inspector.widget().findChildren(QLabel) if html.unescape(la.text()) == entry["es"]]
    qtbot.waitUntil(lambda: label.width() > 0 and label.height() >= label.heightForWidth(label.width()), timeout=3000)

    w.set_language("en")  # the open document follows the switch, both ways
    _settle()
    shown = _shown(w)
    assert entry["en"] in shown and entry["es"] not in shown
    w.set_language("es")
    _settle()
    assert entry["es"] in _shown(w)


def test_a_description_of_ones_own_is_shown_as_written(make_window, tmp_path):
    data = json.loads((EXAMPLES / "xor.neurona").read_text(encoding="utf-8"))
    data["description"] = "Mi red del XOR, with my own notes."
    path = tmp_path / "mine.neurona"
    path.write_text(json.dumps(data), encoding="utf-8")
    w = make_window()
    w.set_language("es")
    assert w.open_path(path, confirm=False)
    _settle()
    assert "Mi red del XOR, with my own notes." in _shown(w)


# -- the teaching texts use the course's words -----------------------------------------------------


def _es() -> dict:
    return json.loads((TEACHING / "es.json").read_text(encoding="utf-8"))


def _text(entry: dict) -> str:
    return (entry["summary"] + " " + entry["when"]).lower()


def test_a_linear_layer_is_the_courses_dense_layer_and_perceptron():
    linear = _text(_es()["Linear"])
    assert _es()["Linear"]["summary"].lower().startswith("capa densa (totalmente conectada")
    for words in ("perceptrón", "perceptrón multicapa", "red", "prealimentada", "función de activación"):
        assert words in linear, words


@pytest.mark.parametrize("layer", sorted(t for t, s in CATALOGUE.items() if s.category == "activation"))
def test_an_activation_is_called_a_funcion_de_activacion(layer):
    assert "función de activación" in _text(_es()[layer])


def test_gradients_are_spoken_of_with_retropropagacion():
    about_gradients = {k: e for k, e in _es().items() if "gradiente" in _text(e)}
    assert len(about_gradients) >= 4
    for layer, entry in about_gradients.items():
        assert "retropropagación" in _text(entry), layer


def test_feedforward_networks_are_redes_prealimentadas():
    texts = {k: _text(e) for k, e in _es().items()}
    assert all("prealimentada" in t for t in texts.values() if "ffnn" in t or "feed-forward" in t)
    assert "prealimentada" in _spanish_descriptions()["digits_mlp"]["es"]
