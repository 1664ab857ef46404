"""The JSON Schema of the ``.neurona`` file, generated from the catalogue so that the schema
in resources/schema/ can never drift from what the loader accepts (a test compares them).

The loader is the authority: it is slightly stricter (e.g. ``1.0`` is not a whole number, and
wiring rules across nodes are beyond a schema). No Qt, no torch.
"""

from __future__ import annotations

import json
from typing import Any

from ..graph.fileformat import FORMAT, VERSION
from ..graph.model import RESERVED_IDS
from . import CATALOGUE
from .spec import Param

ID_PATTERN = "^[A-Za-z][A-Za-z0-9_]{0,63}$"
ENDPOINT_PATTERN = "^[A-Za-z][A-Za-z0-9_]{0,63}(:[A-Za-z0-9_]{1,64})?$"


def _value_schema(p: Param) -> dict[str, Any]:
    rng = {k: v for k, v in (("minimum", p.min), ("maximum", p.max)) if v is not None}
    integer = {"type": "integer", **rng}
    if p.kind == "int":
        s: dict[str, Any] = integer
    elif p.kind == "float":
        s = {"type": "number", **rng}
    elif p.kind == "bool":
        s = {"type": "boolean"}
    elif p.kind == "choice":
        s = {"enum": list(p.choices)}
    elif p.kind == "int2":
        s = {"anyOf": [integer, {"type": "array", "items": integer, "minItems": 2, "maxItems": 2}]}
    elif p.kind == "padding":
        s = {"anyOf": [integer, {"type": "array", "items": integer, "minItems": 2, "maxItems": 2},
                       {"enum": ["same", "valid"]}]}
    elif p.kind == "ints":
        item = {"anyOf": [integer, {"const": -1}]} if p.allow_infer else integer
        s = {"type": "array", "items": item, "minItems": p.min_len, "maxItems": p.max_len}
    else:  # pragma: no cover
        raise AssertionError(p.kind)
    if p.optional:
        s = {"anyOf": [{"type": "null"}, s]}
    return {"description": p.help, "default": p.default, **s}


def graph_schema() -> dict[str, Any]:
    per_type = []
    for spec in CATALOGUE.values():
        per_type.append({
            "if": {"properties": {"type": {"const": spec.type}}},
            "then": {"properties": {"params": {
                "type": "object",
                "properties": {p.name: _value_schema(p) for p in spec.params},
                "additionalProperties": False,
            }}},
        })
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://neurona.studio/schema/neurona-graph-1.json",
        "title": "Neurona Studio graph (.neurona)",
        "description": "A neural network design: layer nodes and the wires between their ports. "
                       "Shapes exclude the batch dimension; input sizes are inferred, never stored.",
        "type": "object",
        "required": ["format", "version", "nodes"],
        "additionalProperties": False,
        "properties": {
            "format": {"const": FORMAT},
            "version": {"type": "integer", "minimum": 1, "maximum": VERSION},
            "name": {"type": "string", "maxLength": 200},
            "description": {"type": "string"},
            "nodes": {"type": "array", "items": {"$ref": "#/$defs/node"}},
            "edges": {"type": "array", "items": {"$ref": "#/$defs/edge"}},
            "training": {"type": "object", "description": "settings for neurona train (see docs/file-format.md)"},
        },
        "$defs": {
            "node": {
                "type": "object",
                "required": ["id", "type"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": ID_PATTERN, "not": {"enum": sorted(RESERVED_IDS)}},
                    "type": {"enum": list(CATALOGUE)},
                    "params": {"type": "object"},
                    "position": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2},
                },
                "allOf": per_type,
            },
            "edge": {
                "type": "object",
                "required": ["from", "to"],
                "additionalProperties": False,
                "properties": {
                    "from": {"type": "string", "pattern": ENDPOINT_PATTERN,
                             "description": "node id, or \"id:port\" for another output port (e.g. \"lstm:hidden\")"},
                    "to": {"type": "string", "pattern": ENDPOINT_PATTERN,
                           "description": "node id, or \"id:port\" (e.g. \"cat:1\" for the second input of a Concat)"},
                },
            },
        },
    }


def schema_text() -> str:
    return json.dumps(graph_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":  # python -m studio.layers.schema > resources/schema/neurona-graph.schema.json
    print(schema_text(), end="")
