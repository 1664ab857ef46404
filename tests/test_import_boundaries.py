"""The core knows nothing of Qt, and the window can paint before torch loads.

- No package below studio/ui imports PySide6, shiboken6 or pyqtgraph (checked in the source,
  so a lazy import inside a function is caught too).
- Importing studio.graph, studio.layers and shape inference, and running shape inference on
  every example, does not load torch.
"""

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = ["graph", "layers", "compile", "data", "train", "deploy"]
PRESENT = [p for p in CORE if (ROOT / "studio" / p).is_dir()]
QT = ("PySide6", "shiboken6", "pyqtgraph")


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                yield a.name, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module, node.lineno


def test_the_core_packages_exist():
    assert {"graph", "layers", "compile"} <= set(PRESENT)


@pytest.mark.parametrize("package", PRESENT)
def test_core_packages_do_not_import_qt(package):
    base = ROOT / "studio" / package
    offenders = [f"{p.relative_to(ROOT)}:{line} imports {name}"
                 for p in base.rglob("*.py") for name, line in _imports(p) if name.split(".")[0] in QT]
    assert not offenders, "\n".join(offenders)


def test_the_check_itself_catches_a_qt_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from PySide6.QtCore import QObject\n")
    assert [n for n, _ in _imports(bad)] == ["PySide6.QtCore"]


def test_graph_layers_and_shape_inference_do_not_load_torch():
    code = (
        "import sys, json, glob\n"
        "import studio.graph, studio.layers, studio.compile, studio.compile.shapes, studio.compile.summary\n"
        "from studio.layers import load_graph\n"
        "from studio.compile import analyze\n"
        "from studio.compile.summary import summarize\n"
        "n = 0\n"
        "for f in sorted(glob.glob('examples/*.neurona')):\n"
        "    g = load_graph(f); summarize(g, analyze(g)); n += 1\n"
        "heavy = [m for m in ('torch', 'numpy', 'PySide6', 'onnx') if m in sys.modules]\n"
        "print(json.dumps({'examples': n, 'heavy': heavy}))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["examples"] >= 1
    assert result["heavy"] == []


def test_the_cli_check_does_not_load_torch():
    code = ("import sys, runpy\n"
            "sys.argv = ['neurona', 'check', 'examples/xor.neurona']\n"
            "from studio.cli import main\n"
            "rc = main()\n"
            "print('TORCH' if 'torch' in sys.modules else 'NO-TORCH', rc)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.stdout.strip().splitlines()[-1] == "NO-TORCH 0", proc.stdout + proc.stderr
