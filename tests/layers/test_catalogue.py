"""The catalogue: every layer type declared once, completely."""

import json
from pathlib import Path

import jsonschema
import pytest

from studio.layers import CATALOGUE, CATEGORIES, by_category, search
from studio.layers.schema import schema_text
from studio.layers.spec import INFERRED_PARAMS, resources_dir

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = {
    "core": {"Input", "Output", "Linear", "Dropout", "Flatten", "Unflatten", "Reshape", "Identity"},
    "activation": {"ReLU", "LeakyReLU", "ELU", "GELU", "SiLU", "Sigmoid", "Tanh", "Softmax", "LogSoftmax", "Softplus"},
    "convolution": {"Conv1d", "Conv2d", "ConvTranspose2d", "MaxPool1d", "MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d",
                    "Upsample"},
    "normalization": {"BatchNorm1d", "BatchNorm2d", "LayerNorm"},
    "sequence": {"Embedding", "RNN", "LSTM", "GRU"},
    "attention": {"MultiheadAttention", "TransformerEncoderLayer", "PositionalEncoding"},
    "merge": {"Add", "Concat", "Multiply"},
}


def test_every_required_type_is_declared_in_its_category():
    groups = by_category()
    for category, types in REQUIRED.items():
        assert types <= {s.type for s in groups[category]}, category


@pytest.mark.parametrize("spec", CATALOGUE.values(), ids=lambda s: s.type)
def test_declaration_is_complete(spec):
    assert spec.category in CATEGORIES and spec.label and spec.keywords
    for p in spec.params:
        assert p.help, f"{spec.type}.{p.name} has no help text"
        assert p.name not in INFERRED_PARAMS, "input sizes are inferred, never parameters"
        assert p.problem(p.default) is None
    if spec.role == "layer":
        assert spec.ctor is not None or spec.forward is not None
    for lang in ("en", "es"):
        text = spec.teaching(lang)
        assert text["summary"] and text["when"], f"{spec.type} lacks {lang} teaching text"


def test_teaching_files_cover_exactly_the_catalogue():
    for lang in ("en", "es"):
        data = json.loads((resources_dir() / "teaching" / f"{lang}.json").read_text(encoding="utf-8"))
        assert set(data) == set(CATALOGUE), lang
    en, es = (json.loads((resources_dir() / "teaching" / f"{x}.json").read_text(encoding="utf-8")) for x in ("en", "es"))
    assert sum(en[k]["summary"] != es[k]["summary"] for k in en) == len(en)  # really translated


def test_spanish_falls_back_to_english_for_unknown_languages():
    assert CATALOGUE["Conv2d"].teaching("xx") == CATALOGUE["Conv2d"].teaching("en")


@pytest.mark.parametrize("query,expected", [
    ("dense", {"Linear"}), ("Conv2D", {"Conv2d"}), ("MaxPooling2D", {"MaxPool2d"}),
    ("pooling", {"MaxPool1d", "MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d"}),
    ("residual", {"Add"}), ("GlobalAveragePooling2D", {"AdaptiveAvgPool2d"}), ("SimpleRNN", {"RNN"}),
])
def test_search_finds_keras_names_and_keywords(query, expected):
    assert expected <= {s.type for s in search(query)}


def test_unknown_params_suggest_the_right_one():
    problems = CATALOGUE["Linear"].param_problems({"out_feature": 3})
    assert problems == [("out_feature", "Linear has no parameter 'out_feature'; did you mean 'out_features'?")]
    [(key, msg)] = CATALOGUE["Linear"].param_problems({"in_features": 3})
    assert "worked out from the incoming shape" in msg


@pytest.mark.parametrize("value,ok", [(3, True), ([3, 5], True), ("same", True), ("valid", True), ([3], False),
                                      (True, False), (-1, False), ("full", False), (2.0, False)])
def test_padding_values(value, ok):
    assert (CATALOGUE["Conv2d"].param("padding").problem(value) is None) == ok


def test_the_committed_schema_is_generated_from_the_catalogue():
    committed = (ROOT / "resources" / "schema" / "neurona-graph.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), "run: python -m studio.layers.schema > resources/schema/neurona-graph.schema.json"


def test_examples_validate_against_the_schema_and_bad_files_do_not():
    schema = json.loads(schema_text())
    validator = jsonschema.Draft202012Validator(schema)
    examples = sorted((ROOT / "examples").glob("*.neurona"))
    assert examples
    for path in examples:
        errors = list(validator.iter_errors(json.loads(path.read_text(encoding="utf-8"))))
        assert not errors, f"{path.name}: {errors[0].message}"
    bad = {"format": "neurona-graph", "version": 1, "nodes": [
        {"id": "forward", "type": "Linear", "params": {"out_features": 0, "in_features": 3}}], "edges": [{"from": "a:"}]}
    messages = {e.message for e in validator.iter_errors(bad)}
    assert len(list(validator.iter_errors(bad))) >= 3, messages
