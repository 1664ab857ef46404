"""Generated code quotes the document's own text: a graph name, description or file name holding
quotes, backslashes or a docstring's end can never run as code, and reads back as written."""

import ast
import json
import subprocess
import sys

import pytest

from studio.compile.codegen import generate
from studio.graph.model import Edge, Graph, Node

NASTY = [
    'xor"""; __import__("os").system("touch PWNED"); """',
    'ends with a quote"',
    "back\\slash \\N{ and \\x",
    '""""""',
    "line\nbreak \"\"\" and '''",
    "\\",
]


def g2(name: str = "g2", description: str = "") -> Graph:
    g = Graph(name)
    g.description = description
    g.add_node(Node("x", "Input", {"shape": [2]}))
    g.add_node(Node("dense", "Linear", {"out_features": 2}))
    g.add_node(Node("y", "Output", {}))
    g.add_edge(Edge("x", "dense"))
    g.add_edge(Edge("dense", "y"))
    return g


@pytest.mark.parametrize("text", NASTY)
def test_a_documents_text_stays_inside_the_docstring(text):
    source = generate(g2(name=text, description=text), source_name=text + ".neurona")
    module = ast.parse(source)  # a syntax error fails here
    doc = ast.get_docstring(module, clean=False)
    assert doc is not None and repr(text) in doc and text + ".neurona" in doc
    assert text.splitlines()[0] in doc  # the description, word-wrapped, reads as written
    # nothing but the docstring, imports, the class and the __main__ block: no statement smuggled in
    kinds = [type(n).__name__ for n in module.body]
    assert kinds == ["Expr", "Import", "ImportFrom", "ClassDef", "If"], kinds


def test_the_codegen_command_writes_code_that_runs_nothing_from_the_file(tmp_path):
    bad = tmp_path / "evil.neurona"
    graph = json.loads(json.dumps({
        "format": "neurona-graph", "version": 1, "name": NASTY[0], "description": NASTY[0],
        "nodes": [{"id": "x", "type": "Input", "params": {"shape": [2]}},
                  {"id": "dense", "type": "Linear", "params": {"out_features": 2}},
                  {"id": "y", "type": "Output"}],
        "edges": [{"from": "x", "to": "dense"}, {"from": "dense", "to": "y"}]}))
    bad.write_text(json.dumps(graph))
    out = tmp_path / "m.py"
    subprocess.run([sys.executable, "-m", "studio", "codegen", str(bad), "-o", str(out)], check=True, timeout=120)
    run = subprocess.run([sys.executable, str(out)], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert not (tmp_path / "PWNED").exists()
